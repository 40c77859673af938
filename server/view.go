package server

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/server/assist"
	"github.com/specls/specls/spec"
)

// view is a request's look at one spec document as of the latest check of
// its feature folder.
type view struct {
	r    *result
	doc  *spec.Document
	path string
	enc  spec.Encoding
}

// view returns the view of the document at u, or nil when it is not a
// spec file (requests about other files answer empty).
func (s *Server) view(ctx context.Context, u uri.URI) (*view, error) {
	path := docKey(u)
	if !filepath.IsAbs(path) || !spec.IsSpecFile(path) {
		return nil, nil
	}
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	r := s.check(filepath.Dir(path))
	d := r.doc(path)
	if d == nil {
		return nil, nil
	}
	return &view{r: r, doc: d, path: path, enc: r.enc}, nil
}

func (v *view) offset(p protocol.Position) int {
	return toOffset(v.doc.Mapper(), p, v.enc, len(v.doc.Text))
}

func (v *view) span(r protocol.Range) spec.Span {
	return toSpan(v.doc.Mapper(), r, v.enc, len(v.doc.Text))
}

func (v *view) rng(sp spec.Span) protocol.Range {
	return toRange(v.doc.Mapper(), sp, v.enc)
}

// rangeIn converts a span of another document of the feature.
func (v *view) rangeIn(path string, sp spec.Span) (protocol.Range, bool) {
	d := v.r.doc(filepath.Clean(path))
	if d == nil {
		return protocol.Range{}, false
	}
	return toRange(d.Mapper(), sp, v.enc), true
}

// template returns the template the document is checked against, or nil.
func (v *view) template() *spec.Template {
	if v.doc.Kind == spec.KindTasks && !v.r.ws.CustomTasks {
		return nil
	}
	return v.r.ws.Templates[v.doc.Kind]
}

func (v *view) assist() assist.Context {
	return assist.Context{Feature: v.r.feature, Doc: v.doc, Template: v.template(), Findings: v.r.findings, Gates: v.r.gates, Scope: v.r.scope}
}
