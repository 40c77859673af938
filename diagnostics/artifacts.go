package diagnostics

import (
	"github.com/specls/specls/arch"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// The rules read a tech spec's architecture through package arch (the
// services, dependency graph, Communication Matrix, Data Ownership,
// phases, checklist and libraries, and the one name-matching function).
// The short names below keep the gates' code readable.

type (
	Service      = arch.Service
	DepGraph     = arch.DepGraph
	MatrixRow    = arch.MatrixRow
	OwnershipRow = arch.OwnershipRow
	Library      = arch.Library
	Phase        = arch.Phase
)

const (
	protoGRPC = arch.ProtoGRPC
	protoREST = arch.ProtoREST
)

func normalize(s string) string                 { return spec.Normalize(s) }
func nameWords(name string) []string            { return arch.NameWords(name) }
func mentions(text string, forms []string) bool { return arch.Mentions(text, forms) }
func findSection(d *spec.Document, names ...string) *spec.Section {
	return arch.FindSection(d, names...)
}
func findSectionContaining(d *spec.Document, words ...string) *spec.Section {
	return arch.FindSectionContaining(d, words...)
}
func splitNames(s string) []string                          { return arch.SplitNames(s) }
func cellAt(r []spec.Cell, i int) spec.Cell                 { return arch.CellAt(r, i) }
func rowSpan(d *spec.Document, r []spec.Cell) spec.Span     { return arch.RowSpan(d, r) }
func lineOf(src []byte, off int) spec.Span                  { return spec.LineAt(src, off) }
func trimmedLine(src []byte, off int) spec.Span             { return arch.TrimmedLine(src, off) }
func contains(xs []string, x string) bool                   { return arch.Contains(xs, x) }
func isDataStore(n *mermaid.Node) bool                      { return arch.IsDataStore(n) }
func serviceLike(n *mermaid.Node) bool                      { return arch.ServiceLike(n) }
func syncProtocol(p string) bool                            { return arch.SyncProtocol(p) }
func asyncProtocol(p string) bool                           { return arch.AsyncProtocol(p) }
func isGraphHeading(title string) bool                      { return arch.IsGraphHeading(title) }
func ProtocolOf(s string) string                            { return arch.ProtocolOf(s) }
func NodeService(n *mermaid.Node, svcs []*Service) *Service { return arch.NodeService(n, svcs) }

// isPassive is arch.IsPassive, memoised for one Check: the rules of Gate F
// ask it for both ends of every edge.
func (a *analysis) isPassive(n *mermaid.Node) bool {
	if g := a.graphOK(); g != nil {
		if i, ok := g.Index(n); ok {
			// The dependency graph's nodes, by index: 0 unknown, 1 no, 2 yes.
			if a.passive == nil {
				a.passive = make([]uint8, len(g.Nodes))
			}
			if a.passive[i] == 0 {
				a.passive[i] = 1
				if arch.IsPassive(n) {
					a.passive[i] = 2
				}
			}
			return a.passive[i] == 2
		}
	}
	if v, ok := a.passiveMemo[n]; ok {
		return v
	}
	v := arch.IsPassive(n)
	if a.passiveMemo == nil {
		a.passiveMemo = map[*mermaid.Node]bool{}
	}
	a.passiveMemo[n] = v
	return v
}

// isStore is isDataStore, memoised for one Check by node index: the
// matrix rule asks it for both ends of every edge.
func (a *analysis) isStore(n *mermaid.Node) bool {
	g := a.graphOK()
	i, ok := 0, false
	if g != nil {
		i, ok = g.Index(n)
	}
	if !ok {
		return isDataStore(n)
	}
	if a.stores == nil {
		a.stores = make([]uint8, len(g.Nodes)) // 0 unknown, 1 no, 2 yes
	}
	if a.stores[i] == 0 {
		a.stores[i] = 1
		if isDataStore(n) {
			a.stores[i] = 2
		}
	}
	return a.stores[i] == 2
}

// protocolOf is ProtocolOf, memoised for one Check: a graph's labels and a
// matrix's protocol cells say the same few things many times over.
func (a *analysis) protocolOf(s string) string {
	if p, ok := a.protocols[s]; ok {
		return p
	}
	p := ProtocolOf(s)
	if a.protocols == nil {
		a.protocols = map[string]string{}
	}
	a.protocols[s] = p
	return p
}

// keyVariants is arch.KeyVariants, memoised for one Check: table rows are
// matched against every graph node.
func (a *analysis) keyVariants(name string) []string { return a.names.KeyVariants(name) }

// nodeMatches reports whether a matrix or ownership cell names node n
// (arch.NamesNode).
func (a *analysis) nodeMatches(cell string, n *mermaid.Node) bool { return a.names.NamesNode(cell, n) }

// sectionText returns the normalised text of a section (subsections
// included), code blocks left out.
func sectionText(d *spec.Document, s *spec.Section) string {
	if s == nil {
		return ""
	}
	return normalize(textOutsideCode(d, s.Body()))
}

// textOutsideCode returns the text of span with fenced code blocks blanked.
func textOutsideCode(d *spec.Document, span spec.Span) string {
	b := []byte(d.Slice(span))
	for _, c := range d.Code {
		if c.Span.End <= span.Start || c.Span.Start >= span.End {
			continue
		}
		s, e := max(c.Span.Start, span.Start)-span.Start, min(c.Span.End, span.End)-span.Start
		for i := s; i < e; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// sameNames reports whether two lists name the same services, in order.
func (a *analysis) sameNames(x, y []string) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !a.names.SameService(x[i], y[i]) {
			return false
		}
	}
	return true
}
