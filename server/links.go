package server

import (
	"context"
	"os"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/assist"
)

// DocumentLink links mentions of spec files and relative markdown links to
// the files they name.
func (s *Server) DocumentLink(ctx context.Context, p *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return []protocol.DocumentLink{}, err
	}
	s.mu.Lock()
	open := map[string]bool{}
	for k := range s.docs {
		open[k] = true
	}
	s.mu.Unlock()
	exists := func(path string) bool {
		if open[path] {
			return true
		}
		info, err := os.Stat(path)
		return err == nil && !info.IsDir()
	}
	out := []protocol.DocumentLink{}
	for _, l := range assist.Links(v.doc, exists) {
		target := v.r.uriOf(l.Target)
		out = append(out, protocol.DocumentLink{Range: v.rng(l.Span), Target: &target, Tooltip: ptr("Open " + filepath.Base(l.Target))})
	}
	return out, nil
}
