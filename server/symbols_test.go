package server_test

import (
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

func findSymbol(syms []protocol.DocumentSymbol, name string) *protocol.DocumentSymbol {
	for i := range syms {
		if syms[i].Name == name {
			return &syms[i]
		}
		if s := findSymbol(syms[i].Children, name); s != nil {
			return s
		}
	}
	return nil
}

func TestDocumentSymbols(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	syms, ok := ed.Symbols(techspec).(protocol.DocumentSymbolSlice)
	if !ok || len(syms) != 1 {
		t.Fatalf("symbols %#v, want one title with the sections under it", ed.Symbols(techspec))
	}
	if syms[0].Name != "Technical Specification: Password reset" {
		t.Errorf("title symbol %q", syms[0].Name)
	}
	defs := findSymbol(syms, "Service Definitions")
	if defs == nil || len(defs.Children) != 2 {
		t.Fatalf("Service Definitions: %+v, want the two services as children", defs)
	}
	for _, c := range defs.Children {
		if c.Kind != protocol.SymbolKindClass || c.Detail == nil || *c.Detail != "service" {
			t.Errorf("service %q: kind %d detail %v", c.Name, c.Kind, c.Detail)
		}
	}
	arch := findSymbol(syms, "Architecture Overview")
	if arch == nil || findSymbol(arch.Children, "Communication Matrix") == nil {
		t.Fatalf("Architecture Overview lacks its subsections")
	}
	if got := ed.Slice(techspec, arch.SelectionRange); got != "Architecture Overview" {
		t.Errorf("selection range covers %q", got)
	}
	if got := ed.Slice(techspec, arch.Range); len(got) < 200 || got[:24] != "## Architecture Overview" {
		t.Errorf("range covers %q, want the whole section", got)
	}
}

func TestFlatSymbols(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.TextDocument.DocumentSymbol = nil
	ed, _ := start(t, func(c *lsptest.Config) { c.Caps = &caps })
	ed.OpenFile(techspec)
	syms, ok := ed.Symbols(techspec).(protocol.SymbolInformationSlice)
	if !ok {
		t.Fatalf("symbols %T, want a flat list for a client without hierarchy support", ed.Symbols(techspec))
	}
	for _, s := range syms {
		if s.Name == "Mailer" {
			if s.ContainerName == nil || *s.ContainerName != "Service Definitions" {
				t.Errorf("Mailer container %v", s.ContainerName)
			}
			return
		}
	}
	t.Errorf("no Mailer symbol")
}
