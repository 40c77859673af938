// Package assist computes what the editor shows besides diagnostics: hover
// text, completion candidates, the outline, folding ranges, links and
// definitions. It reads the spec model, the templates and the engine's
// findings and speaks byte offsets only; the server converts its answers to
// LSP types. Nothing here knows about JSON-RPC.
package assist

import (
	"path/filepath"
	"strconv"
	"strings"

	"go.lsp.dev/uri"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// Context is one document of a checked feature, with what the engine said
// about the feature.
type Context struct {
	Feature  *spec.Feature
	Doc      *spec.Document
	Template *spec.Template // the template for Doc's kind; nil when there is none
	Findings []diagnostics.Finding
	Gates    []diagnostics.GateStatus
	Scope    *diagnostics.Scope // the profile and template in force; nil when unknown
}

// Location is a place in a file.
type Location struct {
	Path string
	Span spec.Span
}

// line returns the 1-based line of off in the feature document at path, or
// 0 when the document is not part of the feature.
func (c Context) line(path string, off int) int {
	if c.Feature != nil {
		for _, d := range c.Feature.Docs() {
			if d.Path == path {
				return d.Mapper().Line(off) + 1
			}
		}
	}
	if c.Doc != nil && c.Doc.Path == path {
		return c.Doc.Mapper().Line(off) + 1
	}
	return 0
}

// where renders a finding's place as a markdown link
// "[_techspec.md:12](file:///…/_techspec.md#L12)", which editors open at the
// line (VS Code reads the #L fragment; others open the file).
func (c Context) where(f diagnostics.Finding) string {
	return fileLink(f.Path, c.line(f.Path, f.Span.Start))
}

// fileLink links to line n (1-based; 0 for the whole file) of path.
func fileLink(path string, n int) string {
	name, target := filepath.Base(path), string(uri.File(path))
	if n > 0 {
		name += ":" + strconv.Itoa(n)
		target += "#L" + strconv.Itoa(n)
	}
	return "[" + name + "](" + target + ")"
}

// wordAt returns the span of the identifier-like word around off: letters,
// digits, '_' and '-'.
func wordAt(src []byte, off int) spec.Span {
	isWord := func(b byte) bool {
		return b == '_' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
	}
	off = min(max(off, 0), len(src))
	s, e := off, off
	for s > 0 && isWord(src[s-1]) {
		s--
	}
	for e < len(src) && isWord(src[e]) {
		e++
	}
	return spec.Span{Start: s, End: e}
}

// lineAt returns the span of the line holding off, without its line break.
func lineAt(src []byte, off int) spec.Span { return spec.LineAt(src, off) }

// codeAt returns the fenced code block holding off (fences included), or nil.
func codeAt(d *spec.Document, off int) *spec.CodeBlock {
	for _, c := range d.Code {
		if c.Span.Start <= off && off <= c.Span.End {
			return c
		}
	}
	return nil
}

// trimMarkdown drops the trailing blank lines of a template body.
func trimMarkdown(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}
