package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplatesStayInsideTheRoot: a template named by .specls.yaml, or
// found at its conventional place, is read only inside the workspace root.
func TestTemplatesStayInsideTheRoot(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	notes := filepath.Join(outside, "notes.md")
	if err := os.WriteFile(notes, []byte("# Private notes\n\n## Salary\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conventional := filepath.Join(root, filepath.FromSlash(TemplatePaths[KindTechSpec]))
	os.MkdirAll(filepath.Dir(conventional), 0o755)
	inside := filepath.Join(root, "my-template.md")
	os.WriteFile(inside, []byte("# Technical Specification: [Feature]\n\n## Overview\n"), 0o644)
	for _, c := range []struct {
		name, override string
		link           bool // the conventional file links to the notes
		ok             bool
	}{
		{name: "an absolute path outside", override: notes},
		{name: "a relative path that climbs out", override: "../" + filepath.Base(outside) + "/notes.md"},
		{name: "a conventional template linking out", link: true},
		{name: "a path inside", override: "my-template.md", ok: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(conventional)
			if c.link {
				if err := os.Symlink(notes, conventional); err != nil {
					t.Fatal(err)
				}
			}
			tmpl, err := TemplateFor(KindTechSpec, root, c.override)
			if c.ok {
				if err != nil || tmpl.Sections[1].Title != "Overview" {
					t.Fatalf("TemplateFor = %v, %v", tmpl, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "outside the workspace root") {
				t.Errorf("err = %v, want a refusal naming the workspace root", err)
			}
			if tmpl != nil {
				t.Errorf("a template outside the root was read: %s", tmpl.Source)
			}
		})
	}
}

func TestScreen(t *testing.T) {
	cases := []struct {
		name, src string
		code      string
		at        int
	}{
		{"markdown", "# T\n\n- a\n  - b\n", "", 0},
		{"crlf", "# T\r\n\r\n- a\r\n", "", 0},
		{"nul", "# T\n\x00", CodeNotText, 4},
		{"latin-1", "# Caf\xe9\n", CodeNotText, 5},
		{"lone cr", "# T\r\r- a\r", CodeNotText, 3},
		{"deep list", "# T\n" + strings.Repeat("- ", 101) + "x\n", CodeNestingTooDeep, 4},
		{"deep quote", "# T\n" + strings.Repeat(">", 101) + " x\n", CodeNestingTooDeep, 4},
		{"deep indentation", "# T\n" + strings.Repeat("  ", 101) + "- x\n", CodeNestingTooDeep, 4},
		{"an indented code line is no nesting", "# T\n" + strings.Repeat(" ", 300) + "x\n", "", 0},
		{"100 levels", "# T\n" + strings.Repeat("- ", 100) + "x\n", "", 0},
	}
	for _, c := range cases {
		r := Limits{}.Screen("_techspec.md", []byte(c.src))
		switch {
		case c.code == "" && r != nil:
			t.Errorf("%s: refused: %+v", c.name, r)
		case c.code != "" && (r == nil || r.Code != c.code || r.At != c.at):
			t.Errorf("%s: %+v, want %s at %d", c.name, r, c.code, c.at)
		}
	}
}
