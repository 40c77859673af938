// Package mermaid parses mermaid flowcharts (graph/flowchart) with exact
// byte spans, for the service dependency graph of a tech spec.
//
// It reads what authors write in specs: a "graph"/"flowchart" header with a
// direction; node shapes A[..], A(..), A{..}, A[(..)], A((..)) and the other
// flowchart shapes; edges -->, ---, -.->, ==>, ~~~, "-- text -->",
// "-->|label|"; chains A --> B --> C; "&" groups; subgraphs; %% comments;
// classDef/class/style/linkStyle/click lines (skipped). A syntax error
// stops the parse and names the offending token.
package mermaid

import (
	"strings"

	"github.com/specls/specls/spec"
)

// Graph is a parsed flowchart. Spans are byte offsets into the source that
// was passed to Parse (add the code block's Content.Start to map them into
// the markdown document).
type Graph struct {
	Direction string // TD, TB, BT, LR, RL
	Nodes     []*Node
	Edges     []*Edge
	Subgraphs []*Subgraph
	// Header is the span of the "graph TD" / "flowchart LR" line's words.
	Header spec.Span

	// byID indexes Nodes once parsed, so that Node is a map lookup: the
	// rules look up both ends of every edge, and graphs of thousands of
	// edges must check in linear time. Nil for a Graph built by hand.
	byID map[string]*Node
}

// Node is a node, first declaration wins for its label and shape.
type Node struct {
	ID    string
	Label string // the text inside the shape, or the ID when it has none
	Shape string // "rect" [..], "round" (..), "diamond" {..}, "cylinder" [(..)], "circle" ((..)), "" bare; also "stadium", "subroutine", "hexagon", "doublecircle", "asymmetric", "parallelogram", "trapezoid"
	// Span is the node's declaration: its first occurrence with a shape
	// (ID and shape), or its first occurrence when it never has one.
	Span spec.Span
	// LabelSpan is the label text inside the shape (the ID when bare).
	LabelSpan spec.Span
	Refs      []spec.Span // every occurrence of the ID

	// index is the node's place in Graph.Nodes when the parser made it
	// (Graph.Index): what the rules keep per node lives in slices, not
	// maps, for graphs of 100,000 nodes.
	index int
}

// Edge is one arrow between two nodes; a chain A --> B --> C gives two edges.
// From and To are node IDs, or subgraph IDs when an edge links a subgraph.
type Edge struct {
	From, To string    // node IDs
	Label    string    // "gRPC" for A -->|gRPC| B or A -- gRPC --> B
	Arrow    string    // "-->", "---", "-.->", "==>", ... (without its label)
	Span     spec.Span // from the start of From to the end of To
	// ArrowSpan covers the link, label included ("-- gRPC -->", "-->|gRPC|").
	ArrowSpan spec.Span
	// LabelSpan covers the label text ("" label: empty span at the arrow).
	LabelSpan spec.Span

	// from and to are the end nodes when the parser made the edge (nil for
	// a subgraph end): Graph.Ends without a lookup by ID.
	from, to *Node
}

// Directed reports whether the edge has an arrow head (A --> B); an open
// link (A --- B) or an invisible one (A ~~~ B) has none.
func (e *Edge) Directed() bool {
	return strings.HasSuffix(e.Arrow, ">") || strings.HasSuffix(e.Arrow, "x") || strings.HasSuffix(e.Arrow, "o")
}

// Reversed returns a copy of the edge from To to From (one way of A <--> B).
func (e *Edge) Reversed() *Edge {
	r := *e
	r.From, r.To, r.from, r.to = e.To, e.From, e.to, e.from
	return &r
}

// Dotted reports whether the edge is drawn dotted (-.->, -.-).
func (e *Edge) Dotted() bool { return strings.Contains(e.Arrow, ".") }

// Subgraph is a subgraph block.
type Subgraph struct {
	ID, Title string
	Span      spec.Span // from "subgraph" to the end of its "end"
	Nodes     []string  // IDs of the nodes written inside, in order, once each
}

// SyntaxError is a parse error at an exact byte span of the source.
type SyntaxError struct {
	Span spec.Span
	Msg  string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Node returns the node with the ID, or nil.
func (g *Graph) Node(id string) *Node {
	if g.byID != nil {
		return g.byID[id]
	}
	for _, n := range g.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// Index returns n's position in g.Nodes, and false when it cannot tell
// in constant time: n is no node of g, or g was built by hand rather than
// parsed. Data kept per node can then live in a slice.
func (g *Graph) Index(n *Node) (int, bool) {
	if n == nil || n.index < 0 || n.index >= len(g.Nodes) || g.Nodes[n.index] != n {
		return 0, false
	}
	return n.index, true
}

// Ends returns the nodes an edge links, Node(e.From) and Node(e.To),
// without looking them up when the parser recorded them (nil for a
// subgraph end).
func (g *Graph) Ends(e *Edge) (from, to *Node) {
	return g.end(e.from, e.From), g.end(e.to, e.To)
}

func (g *Graph) end(n *Node, id string) *Node {
	if _, ok := g.Index(n); ok {
		return n
	}
	return g.Node(id)
}

// Subgraph returns the subgraph with the ID, or nil.
func (g *Graph) Subgraph(id string) *Subgraph {
	for _, s := range g.Subgraphs {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Parse parses a flowchart. On a syntax error it returns the graph parsed
// so far and a *SyntaxError.
func Parse(src []byte) (*Graph, error) { return ParseString(string(src)) }

// ParseString is Parse of a string: IDs and labels are substrings of src,
// not copies.
func ParseString(src string) (*Graph, error) {
	// A statement per line, a node or an edge or two each: room for as
	// many as there are lines, so that a graph of 100,000 edges does not
	// grow its index and lists step by step.
	lines := strings.Count(src, "\n") + 1
	p := &parser{src: src, g: &Graph{Nodes: make([]*Node, 0, lines), Edges: make([]*Edge, 0, lines)}, index: make(map[string]*Node, lines), lines: lines}
	err := p.parse()
	p.finish()
	p.g.byID = p.index // finish left only the graph's nodes in it
	if err != nil {
		return p.g, err
	}
	return p.g, nil
}

// Diagram kinds Kind reports besides "flowchart".
var diagramKinds = []string{"sequenceDiagram", "classDiagram", "stateDiagram-v2", "stateDiagram", "erDiagram", "journey", "gantt",
	"pie", "quadrantChart", "requirementDiagram", "gitGraph", "C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment",
	"mindmap", "timeline", "sankey-beta", "xychart-beta", "block-beta", "packet-beta", "architecture-beta", "kanban", "zenuml"}

// Kind returns the diagram type a mermaid block declares: "flowchart" for
// graph/flowchart, the mermaid keyword for the others ("sequenceDiagram",
// "erDiagram", ...), or "" when the first statement names no known type.
// The span covers the keyword.
func Kind(src []byte) (string, spec.Span) { return KindString(string(src)) }

// KindString is Kind of a string.
func KindString(src string) (string, spec.Span) {
	p := &parser{src: src}
	p.skipPreamble()
	w := p.word()
	sp := spec.Span{Start: p.pos, End: p.pos + len(w)}
	switch w {
	case "graph", "flowchart", "flowchart-elk":
		return "flowchart", sp
	}
	for _, k := range diagramKinds {
		if w == k {
			return k, sp
		}
	}
	return "", sp
}
