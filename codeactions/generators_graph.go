package codeactions

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// --- Service dependency graph ----------------------------------------------

func graphBody(f *fixer, _ *spec.TemplateSection) string {
	a := f.artifacts()
	if a.fromMermaid || a.graph == nil || len(a.services) == 0 {
		return "" // the document has a graph already, or nothing to draw
	}
	var sb strings.Builder
	sb.WriteString("```mermaid\ngraph TD\n")
	for _, n := range a.graph.nodes {
		sb.WriteString("  " + oneLine(n.ID) + nodeShape(n) + "\n")
	}
	for _, e := range a.graph.edges {
		if e.label != "" {
			fmt.Fprintf(&sb, "  %s -->|%s| %s\n", oneLine(e.from.ID), mermaidText(e.label), oneLine(e.to.ID))
		} else {
			fmt.Fprintf(&sb, "  %s --> %s\n", oneLine(e.from.ID), oneLine(e.to.ID))
		}
	}
	sb.WriteString("```")
	return sb.String()
}

var plainLabel = lazyregexp.New(`^[\p{L}\p{N} _.,/-]+$`)

// nodeShape writes a node's label: a rectangle, or a cylinder for a store.
func nodeShape(n *gnode) string {
	l := mermaidText(n.Label)
	if n.svc == nil && arch.NamesDataStore(n.Label) {
		return "[(" + l + ")]"
	}
	return "[" + l + "]"
}

// oneLine makes a name fit on one line of generated text: a heading may
// hold a lone CR (a line break to LSP, not to markdown) or other control
// characters.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// mermaidText quotes a label that holds characters mermaid reads as syntax.
func mermaidText(s string) string {
	s = oneLine(s)
	if plainLabel.MatchString(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"`
}

func fillGraph(f *fixer, sec *spec.Section) []Edit {
	for _, c := range f.doc.Code {
		if c.Lang == "mermaid" && c.Span.Start >= sec.Span.Start && c.Span.Start < sec.Span.End {
			return nil // the author's graph: never replaced
		}
	}
	return f.fillText(sec, graphBody(f, nil))
}
