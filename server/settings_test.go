package server_test

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

var renameOff = map[string]any{"rules": map[string]any{"section-renamed": "off"}}

func TestSettingsOverrideFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		mod  func(*lsptest.Config)
	}{
		{"initializationOptions", func(c *lsptest.Config) { c.InitOptions = renameOff }},
		{"workspace/configuration", func(c *lsptest.Config) { c.Settings = renameOff }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ed, root := start(t, tt.mod)
			v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
			if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); has(codes, "section-renamed") {
				t.Fatalf("rule switched off in the settings still reported: %v", codes)
			}
		})
	}
}

func TestDidChangeConfiguration(t *testing.T) {
	ed, root := start(t, nil)
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Fatalf("diagnostics %v, want section-renamed", codes)
	}
	mark := ed.Mark()
	ed.SetSettings(renameOff)
	ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return p.Version == v && !has(p.Codes(), "section-renamed") })
	// Raising the severity back through the settings.
	mark = ed.Mark()
	ed.SetSettings(map[string]any{"rules": map[string]any{"section-renamed": "error"}})
	p := ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return has(p.Codes(), "section-renamed") })
	for _, d := range p.Diagnostics {
		if lsptest.Codes([]protocol.Diagnostic{d})[0] == "section-renamed" && d.Severity != 1 {
			t.Errorf("severity %d, want error (1)", d.Severity)
		}
	}
}

func TestBadSettingsAndConfigAreShown(t *testing.T) {
	ed, root := start(t, func(c *lsptest.Config) {
		c.InitOptions = map[string]any{"rules": map[string]any{"no-such-rule": "off"}}
	})
	ed.WaitMessage(`unknown rule no-such-rule`)
	mark := ed.Mark()
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "rules:\n  section-renamed: sometimes\n"})
	ed.FileChanged(".specls.yaml")
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	// The defaults apply until the file is fixed (no configuration ever
	// loaded), and the error sits on the file's line.
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Errorf("with a broken .specls.yaml: %v, want the defaults", codes)
	}
	p := ed.WaitPublished(mark, ".specls.yaml", func(p lsptest.Published) bool { return len(p.Diagnostics) == 1 })
	if d := p.Diagnostics[0]; d.Range.Start.Line != 1 || !strings.Contains(fmt.Sprint(d.Message), "sometimes") || !strings.Contains(fmt.Sprint(d.Message), "until this is fixed") {
		t.Errorf("diagnostic on .specls.yaml = %+v, want line 2 saying what is wrong", d)
	}
}

// TestBrokenConfigKeepsTheLastGood: while .specls.yaml is broken (the user
// is typing in it), the last configuration that loaded stays in force
// and the error is a diagnostic on the file; fixing it clears that.
func TestBrokenConfigKeepsTheLastGood(t *testing.T) {
	ed, root := start(t, nil)
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "rules:\n  section-renamed: off\n"})
	ed.FileChanged(".specls.yaml")
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	ed.WaitPublished(0, techspec, func(p lsptest.Published) bool { return p.Version == v && !has(p.Codes(), "section-renamed") })

	mark := ed.Mark()
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "rules:\n  section-renamed: of\n"})
	ed.FileChanged(".specls.yaml")
	p := ed.WaitPublished(mark, ".specls.yaml", func(p lsptest.Published) bool { return len(p.Diagnostics) == 1 })
	if d := p.Diagnostics[0]; d.Range.Start.Line != 1 || !strings.Contains(fmt.Sprint(d.Message), `"of"`) || !strings.Contains(fmt.Sprint(d.Message), "keeps the last configuration") {
		t.Errorf("diagnostic = %+v", d)
	}
	v = ed.Replace(techspec, "Data Model", "Data Modell")
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); has(codes, "section-renamed") {
		t.Errorf("the rules came back at their defaults while .specls.yaml is broken: %v", codes)
	}

	mark = ed.Mark()
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "rules:\n  section-renamed: warning\n"})
	ed.FileChanged(".specls.yaml")
	ed.WaitPublished(mark, ".specls.yaml", func(p lsptest.Published) bool { return len(p.Diagnostics) == 0 })
}
