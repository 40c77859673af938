package assist

import (
	"github.com/specls/specls/spec"
)

// SymbolKind says what an outline entry is.
type SymbolKind int

const (
	SymbolTitle SymbolKind = iota
	SymbolSection
	SymbolService
)

// Symbol is one entry of the document outline.
type Symbol struct {
	Name      string
	Detail    string
	Kind      SymbolKind
	Span      spec.Span // the whole section
	Selection spec.Span // the heading text
	Children  []Symbol
}

// Symbols returns the sections of d as a tree; services are marked as such.
func Symbols(d *spec.Document, services []Service) []Symbol {
	isService := map[*spec.Section]bool{}
	for _, s := range services {
		isService[s.Section] = true
	}
	var build func(s *spec.Section) Symbol
	build = func(s *spec.Section) Symbol {
		sym := Symbol{Name: s.Title, Kind: SymbolSection, Span: trimSpan(d.Text, s.Span), Selection: s.TitleSpan}
		switch {
		case isService[s]:
			sym.Kind, sym.Detail = SymbolService, "service"
		case s.Level == 1:
			sym.Kind = SymbolTitle
		}
		if sym.Name == "" {
			sym.Name = "(untitled)"
		}
		// The selection must lie inside the range; an empty heading selects
		// the heading line.
		if sym.Selection.Start < sym.Span.Start || sym.Selection.End > sym.Span.End || sym.Selection.Len() == 0 {
			sym.Selection = s.Heading
		}
		if sym.Span.End < sym.Selection.End {
			sym.Span.End = sym.Selection.End
		}
		for _, c := range s.Children {
			sym.Children = append(sym.Children, build(c))
		}
		return sym
	}
	out := make([]Symbol, 0, len(d.Roots))
	for _, r := range d.Roots {
		out = append(out, build(r))
	}
	return out
}

// trimSpan drops trailing whitespace (blank lines) from a span.
func trimSpan(src []byte, s spec.Span) spec.Span {
	for s.End > s.Start && s.End <= len(src) && (src[s.End-1] == '\n' || src[s.End-1] == '\r' || src[s.End-1] == ' ' || src[s.End-1] == '\t') {
		s.End--
	}
	return s
}

// FoldKind says what a folding range covers.
type FoldKind int

const (
	FoldSection FoldKind = iota
	FoldCode
	FoldTable
)

// Fold is a foldable region from the line holding Start to the line
// holding End (both byte offsets).
type Fold struct {
	Start, End int
	Kind       FoldKind
}

// Folds returns the foldable regions of d: sections (heading to last
// non-blank line), fenced code blocks and tables. Regions of one line are
// left out by the server, which knows lines.
func Folds(d *spec.Document) []Fold {
	var out []Fold
	for _, s := range d.Headings {
		sp := trimSpan(d.Text, s.Span)
		out = append(out, Fold{Start: s.Heading.Start, End: max(sp.End-1, sp.Start), Kind: FoldSection})
	}
	for _, c := range d.Code {
		sp := trimSpan(d.Text, c.Span)
		out = append(out, Fold{Start: c.Span.Start, End: max(sp.End-1, sp.Start), Kind: FoldCode})
	}
	for _, t := range d.Tables {
		sp := trimSpan(d.Text, t.Span)
		out = append(out, Fold{Start: t.Span.Start, End: max(sp.End-1, sp.Start), Kind: FoldTable})
	}
	return out
}
