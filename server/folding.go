package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// FoldingRanges folds sections, code blocks and tables.
func (s *Server) FoldingRanges(ctx context.Context, p *protocol.FoldingRangeParams) ([]protocol.FoldingRange, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return []protocol.FoldingRange{}, err
	}
	m := v.doc.Mapper()
	out := []protocol.FoldingRange{}
	for _, f := range assist.Folds(v.doc) {
		a, b := m.Line(f.Start), m.Line(f.End)
		if b <= a {
			continue
		}
		fr := protocol.FoldingRange{StartLine: uint32(a), EndLine: uint32(b)}
		if f.Kind != assist.FoldSection {
			fr.Kind = protocol.FoldingRangeKindRegion
		}
		out = append(out, fr)
	}
	return out, nil
}
