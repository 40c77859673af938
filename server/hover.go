package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// Hover explains what is under the cursor: on a section heading what the
// section must contain and its findings, on "Gate X" the gate's live
// status, on a requirement ID the PRD text it names.
func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return nil, err
	}
	text, sp, ok := assist.Hover(v.assist(), v.offset(p.Position))
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindMarkdown
	s.mu.Lock()
	if !s.caps.markdownHover {
		kind = protocol.MarkupKindPlainText
		text = assist.PlainText(text)
	}
	s.mu.Unlock()
	r := v.rng(sp)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: text}, Range: &r}, nil
}
