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
		".compozy/tasks/_archived/old/_prd.md": "# archived",
		".compozy/tasks/chat/_prd.md":          "# PRD",
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
	want := ".compozy/tasks/chat,notes,tasks/prd-chat,tasks/prd-search"
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
	custom := NewTemplate(KindTechSpec, "x", []byte("# D\n\n## Rollout (optional)\n\nx\n\n## Alt\n\nOnly include if needed.\n\n## Risks\n\nWhat could go wrong.\n\n## Appendix\n\n[Include any additional information]\n\n## Apêndice\n\nx\n"))
	var got []string
	for _, s := range custom.Sections {
		got = append(got, s.Title+map[bool]string{true: "?", false: ""}[s.Optional])
	}
	if strings.Join(got, ",") != "D,Rollout (optional)?,Alt?,Risks,Appendix?,Apêndice?" {
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

func TestFolderProblemLayouts(t *testing.T) {
	for _, tt := range []struct {
		dir      string
		patterns []string
		want     string
	}{
		{"ws/.compozy/tasks/chat-search", nil, ""},
		{"ws/.compozy/tasks/prd-chat", nil, ""},
		{"ws/.compozy/tasks/Chat", nil, "not kebab-case"},
		{"ws/tasks/prd-chat", []string{"docs/specs/*"}, `matches none of the feature folder patterns of layout.features (docs/specs/*)`},
		{"ws/docs/specs/chat", []string{"docs/specs/*"}, ""},
		{"ws/docs/specs/feat-chat", []string{"specs/feat-*"}, ""},
		{"ws/docs/specs/feat-Chat", []string{"specs/feat-*"}, `slug "Chat" is not kebab-case`},
		{"specs", []string{"docs/specs/*"}, "matches none"},
	} {
		got := FolderProblemIn(filepath.FromSlash(tt.dir), tt.patterns)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("FolderProblemIn(%s, %v) = %q, want %q", tt.dir, tt.patterns, got, tt.want)
		}
	}
	// "." is the folder it stands for.
	dir := filepath.Join(t.TempDir(), "tasks", "prd-chat")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if p := FolderProblem("."); p != "" {
		t.Errorf(`FolderProblem(".") inside tasks/prd-chat = %q`, p)
	}
}

func TestWorkspaceRoot(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"repo/.git/HEAD":                    "",
		"repo/.specls.yaml":                 "",
		"repo/.compozy/tasks/chat/_prd.md":  "",
		"repo/pkg/a/tasks/prd-x/_prd.md":    "",
		"repo/pkg/b/.specls.yaml":           "",
		"repo/pkg/b/tasks/prd-y/_prd.md":    "",
		"plain/.compozy/tasks/chat/_prd.md": "",
		"plain/tasks/prd-z/_prd.md":         "",
		"above/.specls.yaml":                "",
		"above/ws/tasks/prd-w/_prd.md":      "",
		"norepo/notes/_prd.md":              "",
		"gitonly/.git/HEAD":                 "",
		"gitonly/docs/specs/chat/_prd.md":   "",
	})
	var roots Roots
	for _, tt := range []struct{ path, want string }{
		{"repo/.compozy/tasks/chat/_prd.md", "repo"}, // config at the repository root
		{"repo/pkg/a/tasks/prd-x", "repo"},           // walks up past tasks/ to the config
		{"repo/pkg/b/tasks/prd-y", "repo/pkg/b"},     // the nearest config
		{"plain/.compozy/tasks/chat", "plain"},       // the folder holding .compozy
		{"plain/tasks/prd-z/_prd.md", "plain"},       // the folder holding tasks/
		{"above/ws/tasks/prd-w", "above/ws"},         // no repository: no config above tasks/'s parent
		{"gitonly/docs/specs/chat", "gitonly"},       // the repository root
	} {
		if got := WorkspaceRoot(filepath.Join(root, filepath.FromSlash(tt.path))); got != filepath.Join(root, filepath.FromSlash(tt.want)) {
			t.Errorf("WorkspaceRoot(%s) = %s, want %s", tt.path, got, tt.want)
		}
		// One run's Roots, which remembers every lookup of the cases
		// before, answers the same.
		if got := roots.Of(filepath.Join(root, filepath.FromSlash(tt.path))); got != filepath.Join(root, filepath.FromSlash(tt.want)) {
			t.Errorf("Roots.Of(%s) = %s, want %s", tt.path, got, tt.want)
		}
	}
}

// Discover follows linked folders, once each, so a loop ends; it reports an
// unreadable folder by name beside what it found elsewhere.
func TestDiscoverLinks(t *testing.T) {
	root := t.TempDir()
	real := t.TempDir()
	write(t, real, map[string]string{"prd-a/_prd.md": "# A"})
	if err := os.Symlink(real, filepath.Join(root, "tasks")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(real, "prd-a", "up")); err != nil { // a loop
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "dangling")); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{root, filepath.Join(root, "tasks")} {
		dirs, err := Discover(start)
		if err != nil || len(dirs) != 1 || dirs[0] != filepath.Join(root, "tasks", "prd-a") {
			t.Errorf("Discover(%s) = %v, %v", start, dirs, err)
		}
	}
}
