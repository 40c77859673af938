package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// DocumentSymbol returns the outline: sections as a hierarchy, services as
// children of Service Definitions. Clients without hierarchy support get a
// flat list with container names.
func (s *Server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return protocol.DocumentSymbolSlice{}, err
	}
	syms := assist.Symbols(v.doc, assist.Services(v.doc, v.template()))
	s.mu.Lock()
	hierarchical := s.caps.hierarchicalSymbols
	s.mu.Unlock()
	if hierarchical {
		return protocol.DocumentSymbolSlice(toDocumentSymbols(v, syms)), nil
	}
	out := protocol.SymbolInformationSlice{}
	var flatten func(syms []assist.Symbol, container string)
	flatten = func(syms []assist.Symbol, container string) {
		for _, sym := range syms {
			info := protocol.SymbolInformation{Location: protocol.Location{URI: v.r.uriOf(v.path), Range: v.rng(sym.Span)}}
			info.Name = sym.Name
			info.Kind = symbolKind(sym.Kind)
			if container != "" {
				info.ContainerName = ptr(container)
			}
			out = append(out, info)
			flatten(sym.Children, sym.Name)
		}
	}
	flatten(syms, "")
	return out, nil
}

func toDocumentSymbols(v *view, syms []assist.Symbol) []protocol.DocumentSymbol {
	out := make([]protocol.DocumentSymbol, 0, len(syms))
	for _, sym := range syms {
		ds := protocol.DocumentSymbol{
			Name:           sym.Name,
			Kind:           symbolKind(sym.Kind),
			Range:          v.rng(sym.Span),
			SelectionRange: v.rng(sym.Selection),
			Children:       toDocumentSymbols(v, sym.Children),
		}
		if sym.Detail != "" {
			ds.Detail = ptr(sym.Detail)
		}
		out = append(out, ds)
	}
	return out
}

func symbolKind(k assist.SymbolKind) protocol.SymbolKind {
	switch k {
	case assist.SymbolTitle:
		return protocol.SymbolKindFile
	case assist.SymbolService:
		return protocol.SymbolKindClass
	}
	return protocol.SymbolKindString
}
