package server_test

import (
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
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "rules:\n  section-renamed: sometimes\n"})
	ed.FileChanged(".specls.yaml")
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	// The defaults apply until the file is fixed, and the user is told.
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Errorf("with a broken .specls.yaml: %v, want the defaults", codes)
	}
	m := ed.WaitMessage(".specls.yaml:2")
	if !strings.Contains(m.Message, "sometimes") {
		t.Errorf("message %q does not say what is wrong", m.Message)
	}
}
