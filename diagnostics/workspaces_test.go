package diagnostics_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// copyWorkspace copies a workspace to a temporary folder, each file through
// edit (nil: as it is).
func copyWorkspace(t *testing.T, src string, edit func(path string, b []byte) []byte) string {
	t.Helper()
	root := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if edit != nil {
			b = edit(p, b)
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// crlfIf is the edit that gives every line a CRLF ending, when crlf is set.
func crlfIf(crlf bool) func(string, []byte) []byte {
	if !crlf {
		return nil
	}
	return func(_ string, b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "\n", "\r\n")) }
}

// TestSeedFaithfulSpecsAreClean checks tech specs that meet every
// requirement of the seed, each in its own style (artifacts under other
// headings or none, decisions as a subsection, phases under Development
// Sequencing): no finding at all, every gate passed, LF and CRLF.
func TestSeedFaithfulSpecsAreClean(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/workspaces/seed-*")
	if len(dirs) < 3 {
		t.Fatalf("want at least three seed-faithful workspaces, have %v", dirs)
	}
	for _, dir := range dirs {
		for _, crlf := range []bool{false, true} {
			results, err := workspace.CheckPaths([]string{copyWorkspace(t, dir, crlfIf(crlf))})
			if err != nil || len(results) == 0 {
				t.Fatalf("%s: %v, %d features", dir, err, len(results))
			}
			for _, r := range results {
				for _, f := range r.Findings {
					t.Errorf("%s (crlf %v): %s %s: %s", filepath.Base(dir), crlf, filepath.Base(f.Path), f.Code, f.Message)
				}
				if s := diagnostics.Summary(r.Gates); s != "A ✓  B ✓  C ✓  D ✓  E ✓  F ✓" {
					t.Errorf("%s: gates %s", filepath.Base(dir), s)
				}
				if r.Scope.Profile != config.ProfilePython || r.Scope.Template != "built-in" {
					t.Errorf("%s: scope %s, want the Python profile and the built-in template", filepath.Base(dir), r.Scope)
				}
			}
		}
	}
}

// TestForeignStackWorkspaces checks workspaces with templates of their own
// for a Go service, a TypeScript web app and a .NET backend: on specs that
// follow them, no rule of the Python microservices profile reports and
// Gate E is clean; and fixing everything (check --diff) adds no heading
// that the workspace's template does not have.
func TestForeignStackWorkspaces(t *testing.T) {
	for _, name := range []string{"go-service", "ts-webapp", "dotnet-backend"} {
		for _, crlf := range []bool{false, true} {
			root := copyWorkspace(t, filepath.Join("testdata", "workspaces", name), crlfIf(crlf))
			results, err := workspace.CheckPaths([]string{root})
			if err != nil || len(results) < 2 {
				t.Fatalf("%s: %v, %d features", name, err, len(results))
			}
			ws, err := workspace.Open(root)
			if err != nil {
				t.Fatal(err)
			}
			tmpl := ws.Templates[spec.KindTechSpec]
			if tmpl == nil {
				t.Fatalf("%s: no workspace template", name)
			}
			inTemplate := map[string]bool{}
			for _, ts := range tmpl.Sections {
				inTemplate[ts.MatchKey] = true
			}
			for _, r := range results {
				if r.Scope.Profile != diagnostics.ProfileTemplate {
					t.Errorf("%s: profile %q, want %q", name, r.Scope.Profile, diagnostics.ProfileTemplate)
				}
				for _, f := range r.Findings {
					if f.Rule().Needs.Profile != "" || f.Gate == "E" {
						t.Errorf("%s (crlf %v): %s:%s %s: %s", name, crlf, r.Feature.Slug, filepath.Base(f.Path), f.Code, f.Message)
					}
				}
				fixed, err := codeactions.FixAll(ws.Input(r.Feature), nil)
				if err != nil {
					t.Fatal(err)
				}
				for path, text := range fixed.Files {
					before := map[string]bool{}
					if orig := fixed.Original[path]; orig != nil {
						for _, h := range spec.Parse(path, orig).Headings {
							before[h.MatchKey] = true
						}
					}
					for _, h := range spec.Parse(path, text).Headings {
						if !before[h.MatchKey] && !inTemplate[h.MatchKey] && spec.KindOf(path) == spec.KindTechSpec {
							t.Errorf("%s: the fixes add %q to %s, a heading the template does not have", name, h.Title, filepath.Base(path))
						}
					}
				}
			}
		}
	}
}

// TestMessagesFitOneLine holds every message a user sees to 100
// characters, so that it fits an editor's virtual-text line: the advice
// goes to Advice (hover, related information, the CLI's second line). It
// checks the bundled examples and the fixture workspaces; the rule cases
// are held to the same in TestRuleCaseMessagesFitOneLine.
func TestMessagesFitOneLine(t *testing.T) {
	paths := []string{filepath.Join("..", "examples")}
	ws, _ := filepath.Glob("testdata/workspaces/*")
	for _, w := range ws {
		if fi, err := os.Stat(w); err == nil && fi.IsDir() {
			paths = append(paths, w)
		}
	}
	results, err := workspace.CheckPaths(paths)
	if err != nil {
		t.Fatal(err)
	}
	var fs []diagnostics.Finding
	for _, r := range results {
		fs = append(fs, r.Findings...)
	}
	if len(fs) < 30 {
		t.Fatalf("only %d findings to measure", len(fs))
	}
	for _, f := range fs {
		if err := diagnostics.CheckMessage(f); err != "" {
			t.Error(err)
		}
	}
}

// TestCompozyLayout: a feature under .compozy/tasks/ in a workspace with no
// template of its own follows the outline of the tools that write that
// layout, not the seed's microservices outline: a spec that follows it is
// clean, and no profile rule runs that the outline does not ask for.
func TestCompozyLayout(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		root := copyWorkspace(t, filepath.Join("testdata", "workspaces", "compozy-layout"), crlfIf(crlf))
		results, err := workspace.CheckPaths([]string{root})
		if err != nil || len(results) != 1 {
			t.Fatalf("%v, %d features", err, len(results))
		}
		r := results[0]
		for _, f := range r.Findings {
			t.Errorf("crlf %v: %s %s: %s", crlf, filepath.Base(f.Path), f.Code, f.Message)
		}
		if r.Scope.Template != "built-in (.compozy layout)" || r.Scope.Profile != diagnostics.ProfileTemplate {
			t.Errorf("scope %s", r.Scope)
		}
	}
}
