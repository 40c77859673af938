package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscover(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".gitignore":                           "build/\n*.draft.md\nscratch/_prd.md\n",
		"tasks/prd-chat/_prd.md":               "# PRD",
		"tasks/prd-chat/_techspec.md":          "# TS",
		"tasks/prd-search/_techspec.md":        "# TS",
		"tasks/docs/_techspec-template.md":     "# T",
		"node_modules/pkg/tasks/prd-x/_prd.md": "# ignored",
		".git/tasks/prd-y/_prd.md":             "# ignored",
		"build/tasks/prd-z/_prd.md":            "# ignored by .gitignore",
		"scratch/_prd.md":                      "# ignored by .gitignore",
		"notes/_techspec.md":                   "# outside tasks/, still a spec",
		"sub/.gitignore":                       "private/\n",
		"sub/private/_prd.md":                  "# ignored by a nested .gitignore",
	})
	dirs, err := Discover(root)
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, d := range dirs {
		r, _ := filepath.Rel(root, d)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := "notes,tasks/prd-chat,tasks/prd-search"
	if got := strings.Join(rel, ","); got != want {
		t.Errorf("Discover = %s, want %s", got, want)
	}
	if d, err := Discover(filepath.Join(root, "tasks/prd-chat/_prd.md")); err != nil || len(d) != 1 {
		t.Errorf("Discover(file) = %v, %v", d, err)
	}
	if _, err := Discover(filepath.Join(root, "README.md")); err == nil {
		t.Error("Discover(non-spec file) should fail")
	}
	if _, err := Discover(filepath.Join(root, "missing")); err == nil {
		t.Error("Discover(missing) should fail")
	}
	f, err := LoadFeature(filepath.Join(root, "tasks/prd-chat"), nil)
	if err != nil || f.PRD == nil || f.TechSpec == nil || f.Tasks != nil || f.Slug != "chat" {
		t.Errorf("LoadFeature = %+v, %v", f, err)
	}
	if r := WorkspaceRoot(filepath.Join(root, "tasks/prd-chat/_prd.md")); r != root {
		t.Errorf("WorkspaceRoot = %s, want %s", r, root)
	}
}

func TestFolderProblem(t *testing.T) {
	for dir, want := range map[string]string{
		"ws/tasks/prd-chat-search": "",
		"ws/tasks/prd-Chat_Search": "not kebab-case",
		"ws/tasks/chat":            `does not start with "prd-"`,
		"ws/notes/prd-chat":        "not inside a tasks/ folder",
	} {
		got := FolderProblem(filepath.FromSlash(dir))
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("FolderProblem(%s) = %q, want %q", dir, got, want)
		}
	}
}

func TestTemplates(t *testing.T) {
	ts := BuiltinTemplate(KindTechSpec)
	if ts.Title() == nil || ts.Lookup("data models") == nil || !ts.Lookup("[Service Name]").Variable {
		t.Fatalf("tech spec template: %+v", ts.Sections)
	}
	prd := BuiltinTemplate(KindPRD)
	if a := prd.Lookup("Appendix"); a == nil || !a.Optional {
		t.Errorf("Appendix should be optional: %+v", a)
	}
	if g := prd.Lookup("goals"); g == nil || g.Optional {
		t.Errorf("Goals should be required: %+v", g)
	}
	custom := NewTemplate(KindTechSpec, "x", []byte("# D\n\n## Rollout (optional)\n\nx\n\n## Alt\n\nOnly include if needed.\n\n## Risks\n\nWhat could go wrong.\n"))
	var got []string
	for _, s := range custom.Sections {
		got = append(got, s.Title+map[bool]string{true: "?", false: ""}[s.Optional])
	}
	if strings.Join(got, ",") != "D,Rollout (optional)?,Alt?,Risks" {
		t.Errorf("optional detection: %v", got)
	}
	md := ts.Lookup("Architecture Overview").Markdown("\r\n")
	if !strings.HasPrefix(md, "## Architecture Overview\r\n\r\n- Service topology diagram\r\n") || strings.Contains(md, "### Service Dependency Graph") || strings.Contains(strings.ReplaceAll(md, "\r\n", ""), "\n") {
		t.Errorf("skeleton = %q", md)
	}
	// The seed's outline is required; the headings the built-in template
	// suggests beyond it are optional, and so not in a skeleton.
	var required []string
	for _, s := range ts.Sections {
		if !s.Optional {
			required = append(required, s.Title)
		}
		if s.Suggested != (s.Optional && s.Level > 1) {
			t.Errorf("%q: suggested %v, optional %v", s.Title, s.Suggested, s.Optional)
		}
	}
	if want := "Technical Specification: [Feature Name],Architecture Overview,Service Definitions,[Service Name],Proto Definitions,Data Models,Communication Patterns,Deployment Architecture,Development Sequencing,Testing Strategy"; strings.Join(required, ",") != want {
		t.Errorf("required sections of the built-in tech spec template:\n got %s\nwant %s", strings.Join(required, ","), want)
	}
	root := t.TempDir()
	write(t, root, map[string]string{"tasks/docs/_prd-template.md": "# Our PRD\n\n## Problem\n\nx\n"})
	if tp, err := TemplateFor(KindPRD, root, ""); err != nil || tp.Lookup("problem") == nil {
		t.Errorf("workspace template: %v, %v", tp, err)
	}
	if _, err := TemplateFor(KindPRD, root, "missing.md"); err == nil {
		t.Error("a missing override should fail")
	}
}

func TestNormalizeNearMiss(t *testing.T) {
	if Normalize("  Non-Goals (Out of Scope) ") != "non goals out of scope" {
		t.Error(Normalize("Non-Goals (Out of Scope)"))
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"data model", "data models", true},
		{"service definition", "service definitions", true},
		{"testing stratgy", "testing strategy", true},
		{"goals", "risks", false},
		{"overview", "overview", false},
		{"data", "date", false}, // too short for an edit to count
	} {
		if got := NearMiss(tt.a, tt.b); got != tt.want {
			t.Errorf("NearMiss(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
