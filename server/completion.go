package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// Completion offers template headings on a heading line, service names in
// tables and mermaid blocks, protocol and pattern values in the
// Communication Matrix, and requirement IDs from the PRD.
func (s *Server) Completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	empty := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return empty, err
	}
	items := assist.Complete(v.assist(), v.offset(p.Position))
	out := make([]protocol.CompletionItem, 0, len(items))
	for _, it := range items {
		ci := protocol.CompletionItem{
			Label:    it.Label,
			Kind:     itemKind(it.Kind),
			TextEdit: &protocol.TextEdit{Range: v.rng(it.Replace), NewText: it.Insert},
		}
		if it.Detail != "" {
			ci.Detail = protocol.NewOptional(it.Detail)
		}
		if it.Doc != "" {
			ci.Documentation = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: it.Doc}
		}
		if it.Filter != "" {
			ci.FilterText = protocol.NewOptional(it.Filter)
		}
		if it.Sort != "" {
			ci.SortText = protocol.NewOptional(it.Sort)
		}
		out = append(out, ci)
	}
	return &protocol.CompletionList{Items: out}, nil
}

func itemKind(k assist.ItemKind) protocol.CompletionItemKind {
	switch k {
	case assist.ItemHeading:
		return protocol.CompletionItemKindModule
	case assist.ItemService:
		return protocol.CompletionItemKindClass
	case assist.ItemRequirement:
		return protocol.CompletionItemKindReference
	}
	return protocol.CompletionItemKindValue
}
