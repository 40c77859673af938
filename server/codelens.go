package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// CodeLens puts the gate summary ("Gates: A ✓  B ✗ 2 …") at the top of a
// tech spec; choosing it shows the failing checks.
func (s *Server) CodeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil || v.doc.Kind != spec.KindTechSpec {
		return []protocol.CodeLens{}, err
	}
	at := spec.Span{}
	if t := v.doc.Title(); t != nil {
		at = t.Heading
	}
	arg, _ := protocol.Marshal(string(p.TextDocument.URI))
	title := "Gates: " + diagnostics.Summary(v.r.gates)
	if v.r.scope != nil {
		// Which rules ran depends on the profile: say which one.
		title += "  (" + v.r.scope.Profile + ")"
	}
	return []protocol.CodeLens{{
		Range: v.rng(at),
		Command: protocol.Command{
			Title:     title,
			Command:   cmdShowGates,
			Arguments: []protocol.LSPAny{arg},
		},
	}}, nil
}
