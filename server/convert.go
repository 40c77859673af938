package server

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// This file is the edge where byte offsets become LSP positions, in the
// encoding negotiated at initialize.

// toRange converts a byte span. Offsets outside the text are clamped, so a
// stale span never produces an invalid range.
func toRange(m *spec.Mapper, sp spec.Span, enc spec.Encoding) protocol.Range {
	a, b := toPosition(m, sp.Start, enc), toPosition(m, sp.End, enc)
	if b.Line < a.Line || b.Line == a.Line && b.Character < a.Character {
		b = a
	}
	return protocol.Range{Start: a, End: b}
}

func toPosition(m *spec.Mapper, off int, enc spec.Encoding) protocol.Position {
	p, err := m.OffsetPosition(max(off, 0), enc)
	if err != nil {
		// Past the end: the end of the last line.
		last := m.LineCount() - 1
		ls, _ := m.LineSpan(last)
		p, _ = m.OffsetPosition(ls.End, enc)
	}
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Character)}
}

// toOffset converts a position; a line past the end is the end of the text.
func toOffset(m *spec.Mapper, p protocol.Position, enc spec.Encoding, n int) int {
	off, _ := offset(m, p, enc, n)
	return off
}

// toSpan converts a range.
func toSpan(m *spec.Mapper, r protocol.Range, enc spec.Encoding, n int) spec.Span {
	a, b := toOffset(m, r.Start, enc, n), toOffset(m, r.End, enc, n)
	if b < a {
		a, b = b, a
	}
	return spec.Span{Start: a, End: b}
}

func toSeverity(s config.Severity) protocol.DiagnosticSeverity {
	switch s {
	case config.Error:
		return protocol.DiagnosticSeverityError
	case config.Warning:
		return protocol.DiagnosticSeverityWarning
	case config.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// uriOf returns the URI for a path of the result: the client's own URI when
// the file is open, else a file URI.
func (r *result) uriOf(path string) uri.URI {
	if d, ok := r.overlays[filepath.Clean(path)]; ok {
		return d.uri
	}
	return uri.File(path)
}

// diagnosticsFor converts the findings about the document at path. The
// slice is never nil: a clean document publishes [].
func (r *result) diagnosticsFor(path string, related bool) []protocol.Diagnostic {
	out := []protocol.Diagnostic{}
	if r.slim() {
		// Computed with the session's relatedInformation, which does not
		// change after initialize.
		return append(out, r.diags[path]...)
	}
	d := r.doc(path)
	if d == nil {
		return out
	}
	for _, f := range r.findingsFor(path) {
		out = append(out, r.toDiagnostic(f, d, related))
	}
	return out
}

func (r *result) toDiagnostic(f diagnostics.Finding, d *spec.Document, related bool) protocol.Diagnostic {
	diag := protocol.Diagnostic{
		Range:    toRange(d.Mapper(), f.Span, r.enc),
		Severity: toSeverity(f.Severity),
		Code:     protocol.String(f.Code),
		Source:   protocol.NewOptional("specls"),
		Message:  protocol.String(f.Message),
	}
	if rule := f.Rule(); rule != nil {
		// The rule's entry in docs/rules.md: editors link the code to it.
		diag.CodeDescription = protocol.CodeDescription{Href: uri.URI(rule.Href())}
	}
	if related {
		for _, rel := range f.Related {
			rd := r.doc(filepath.Clean(rel.Path))
			if rd == nil {
				continue
			}
			diag.RelatedInformation = append(diag.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: r.uriOf(rel.Path), Range: toRange(rd.Mapper(), rel.Span, r.enc)},
				Message:  rel.Message,
			})
		}
	}
	return diag
}

// resultID names a set of diagnostics by its content, so that a pull
// client is told "unchanged" exactly when nothing changed.
func resultID(diags []protocol.Diagnostic) string {
	b, err := protocol.Marshal(diags)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// fileURI is the URI of a file path.
func fileURI(path string) uri.URI { return uri.File(path) }
