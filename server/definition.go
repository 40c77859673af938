package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// Definition goes from a requirement ID to its PRD line and from a service
// name to its "### Service" heading.
func (s *Server) Definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return protocol.LocationSlice{}, err
	}
	locs, _ := assist.Definition(v.assist(), v.offset(p.Position))
	out := protocol.LocationSlice{}
	for _, l := range locs {
		if r, ok := v.rangeIn(l.Path, l.Span); ok {
			out = append(out, protocol.Location{URI: v.r.uriOf(l.Path), Range: r})
		}
	}
	return out, nil
}
