package diagnostics

import (
	"fmt"
	"slices"
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate B: service architecture analysis with a dependency graph.

// graphOK returns the dependency graph when it parsed completely.
func (a *analysis) graphOK() *mermaid.Graph {
	if a.graph == nil || a.graph.Err != nil {
		return nil
	}
	return a.graph.Graph
}

func checkGraph(c *Context, a *analysis) {
	d := a.doc
	invalid := append([]*DepGraph(nil), a.flowcharts...)
	if a.graph != nil && a.graph.Kind != "flowchart" {
		invalid = append([]*DepGraph{a.graph}, invalid...)
	}
	for _, g := range invalid {
		if g.Err == nil {
			continue
		}
		span := g.Span(g.Err.Span)
		if span.Start == span.End {
			span = trimmedLine(d.Text, span.Start)
			if span.Start == span.End {
				span = trimmedLine(d.Text, g.Block.Span.Start)
			}
		}
		c.Report(rules.GraphInvalid, d, span, Data{Target: g.Err.Msg}, "the mermaid diagram does not parse: %s", g.Err.Msg)
	}
	if a.graph == nil {
		c.reportAbsent(a, rules.GraphMissing, artGraph, findSection(d, "service dependency graph", "dependency graph"),
			"the tech spec has no service dependency graph; add a ```mermaid flowchart (graph TD) with one node per service and one edge per dependency, labelled with its protocol")
		return
	}
	g := a.graphOK()
	if g == nil {
		return
	}
	matched := map[*Service]bool{}
	for _, n := range g.Nodes {
		if s := a.serviceOf(n); s != nil {
			matched[s] = true
			continue
		}
		if serviceLike(n) {
			c.Report(rules.GraphServiceUndefined, d, a.graph.Span(n.Span), Data{Target: n.Label, Want: n.ID},
				"graph node %q looks like a service but has no \"### %s\" definition; define it, rename the node after a defined service, or mark it as existing: %s", n.Label, n.Label, existingLabel(n))
		}
	}
	for _, s := range a.services {
		if !matched[s] {
			rel := []Related{{Path: d.Path, Span: a.graph.Block.Span, Message: "the service dependency graph"}}
			c.ReportRelated(rules.GraphServiceMissing, d, s.Section.TitleSpan, rel, Data{Target: s.Name, Section: s.Section},
				"service %q is not a node of the dependency graph; add it with its dependencies (e.g. %s[%s])", s.Name, nodeID(s.Name), s.Name)
		}
	}
}

// nodeID suggests a mermaid node ID for a name: "Auth Service" -> "Auth".
func nodeID(name string) string {
	var sb strings.Builder
	words := nameWords(name)
	if len(words) > 1 && (words[len(words)-1] == "service" || words[len(words)-1] == "svc") {
		words = words[:len(words)-1]
	}
	for _, w := range words {
		if w == "" {
			continue
		}
		sb.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	if sb.Len() == 0 {
		return "Node"
	}
	return sb.String()
}

// shortName is how a matrix row names a node: its label without a trailing
// "Service" ("Auth Service" -> "Auth").
func shortName(g *mermaid.Graph, id string) string {
	n := g.Node(id)
	if n == nil {
		return id
	}
	return shortNameOf(n)
}

// shortNameOf is shortName of a node in hand.
func shortNameOf(n *mermaid.Node) string {
	label := strings.TrimSpace(n.Label)
	for _, suf := range []string{" Service", " service", " Svc", " svc"} {
		if strings.HasSuffix(label, suf) && len(label) > len(suf) {
			return strings.TrimSuffix(label, suf)
		}
	}
	return label
}

func checkMatrix(c *Context, a *analysis) {
	d := a.doc
	if len(a.matrixTables) == 0 {
		c.reportAbsent(a, rules.MatrixMissing, artMatrix, findSection(d, "communication matrix"),
			"the tech spec has no Communication Matrix; add a table | From | To | Protocol | Pattern | with one row per graph edge")
		return
	}
	g := a.graphOK()
	if g == nil || !c.Enabled(rules.MatrixMismatch) {
		return
	}
	x := newMatrixEdges(g)
	edges := x.edges
	used := make([]bool, len(edges))
	// resolve returns the node or subgraph matrix cell k names, as a
	// vertex of x and its ID, or "".
	resolve := func(k int) (int32, string) {
		if n := a.nodeNamed(g, k); n != nil {
			return x.vertex(n, n.ID, false), n.ID
		}
		cell := strings.TrimSpace(a.cellText(k))
		for _, s := range g.Subgraphs {
			if strings.EqualFold(cell, s.ID) || strings.EqualFold(cell, s.Title) {
				return x.vertex(nil, s.ID, false), s.ID
			}
		}
		return -1, ""
	}
	for i, r := range a.matrix {
		fv, from := resolve(2 * i)
		tv, to := resolve(2*i + 1)
		switch {
		case from == "" && to == "":
			c.Report(rules.MatrixMismatch, d, r.Span, Data{Target: r.From.Text + " → " + r.To.Text},
				"matrix row %s → %s names no node of the dependency graph; add both to the graph or remove the row", r.From.Text, r.To.Text)
			continue
		case from == "":
			c.Report(rules.MatrixMismatch, d, r.From.Span, Data{Target: r.From.Text},
				"matrix row names %q, which is not a node of the dependency graph; add it to the graph or fix the name", r.From.Text)
			continue
		case to == "":
			c.Report(rules.MatrixMismatch, d, r.To.Span, Data{Target: r.To.Text},
				"matrix row names %q, which is not a node of the dependency graph; add it to the graph or fix the name", r.To.Text)
			continue
		}
		rp := a.protocolOf(r.Protocol.Text)
		best := -1
		for _, j := range x.between(fv, tv) {
			if best < 0 || used[best] && !used[j] || rp != "" && a.protocolOf(edges[j].Label) == rp && a.protocolOf(edges[best].Label) != rp {
				best = j
			}
		}
		if best < 0 {
			c.Report(rules.MatrixMismatch, d, r.Span, Data{Target: r.From.Text + " → " + r.To.Text, Want: edgeText(g, from, to, r.Protocol.Text)},
				"matrix row %s → %s has no edge in the dependency graph; add \"%s\" to the graph or remove the row", r.From.Text, r.To.Text, edgeText(g, from, to, r.Protocol.Text))
			continue
		}
		used[best] = true
		e := edges[best]
		if ep := a.protocolOf(e.Label); ep != "" && rp != "" && ep != rp {
			rel := []Related{{Path: d.Path, Span: a.graph.Span(e.LabelSpan), Message: "the graph edge says " + e.Label}}
			c.ReportRelated(rules.MatrixMismatch, d, r.Protocol.Span, rel, Data{Target: r.From.Text + " → " + r.To.Text, Want: ep},
				"the matrix says %s for %s → %s but the graph edge says %s; make them agree", r.Protocol.Text, r.From.Text, r.To.Text, e.Label)
		}
	}
	// The edges without a row, counted first: there may be 50,000 of
	// them, and the findings are not grown step by step. The room left
	// over is for the few findings of the rules after this one, which
	// Check appends to these when this rule ran apart (apartRun.join).
	missing := make([]bool, len(edges))
	n := 0
	for j, e := range edges {
		fromNode, toNode := g.Ends(e)
		if missing[j] = !used[j] && !a.isStore(toNode) && !a.isStore(fromNode); missing[j] {
			n++
		}
	}
	switch {
	case n > 64:
		c.findings = slices.Grow(c.findings, n+64)
	case c.findings == nil:
		// Not nil once this rule has run, as when it grew them (and as
		// when it runs apart). A few findings are appended as any others:
		// growing by 64 more on every check copied those so far for
		// nothing.
		c.findings = make([]Finding, 0, 8)
	}
	for j, e := range edges {
		if !missing[j] {
			continue
		}
		fromNode, toNode := g.Ends(e)
		from, to := matrixName(a, fromNode, e.From), matrixName(a, toNode, e.To)
		proto, pattern := matrixRowParts(a.protocolOf, e)
		// The message, its target and the row are one string: there may be
		// 50,000 of them. As Report would write it:
		// "graph edge %s → %s has no Communication Matrix row; add \"%s\"".
		msg := "graph edge " + from + " → " + to + " has no Communication Matrix row; add \"| " + from + " | " + to + " | " + proto + " | " + pattern + " |\""
		target := msg[len("graph edge ") : len("graph edge ")+len(from)+len(" → ")+len(to)]
		row := msg[strings.LastIndex(msg, "add \"| ")+len("add \"") : len(msg)-1]
		c.reportText(rules.MatrixMismatch, d, a.graph.Span(e.Span), Data{Target: target, Want: row}, msg)
	}
}

func edgeText(g *mermaid.Graph, from, to, protocol string) string {
	if p := strings.TrimSpace(protocol); p != "" {
		return fmt.Sprintf("%s -->|%s| %s", from, p, to)
	}
	return fmt.Sprintf("%s --> %s", from, to)
}

// matrixName is how the matrix names node n (g.Node(id)): as an existing
// row does, else by its short name.
func matrixName(a *analysis, n *mermaid.Node, id string) string {
	if n == nil {
		return id
	}
	if c, ok := a.firstCell(n); ok {
		return c
	}
	return shortNameOf(n)
}

// matrixRowText writes the matrix row an edge needs.
func matrixRowText(e *mermaid.Edge, from, to string) string {
	proto, pattern := matrixRowParts(ProtocolOf, e)
	return "| " + from + " | " + to + " | " + proto + " | " + pattern + " |"
}

// matrixRowParts returns the protocol and pattern of the matrix row an edge
// needs; protocolOf is ProtocolOf or a memo of it.
func matrixRowParts(protocolOf func(string) string, e *mermaid.Edge) (proto, pattern string) {
	proto = protocolOf(e.Label)
	if proto == "" {
		proto = strings.TrimSpace(e.Label)
	}
	pattern = arch.PatternRequestReply
	switch {
	case asyncProtocol(proto) || e.Dotted():
		pattern = arch.PatternPubSub
	case strings.Contains(strings.ToLower(e.Label), "stream"):
		pattern = arch.PatternStreaming
	}
	return proto, pattern
}

func checkOwnership(c *Context, a *analysis) {
	d := a.doc
	if len(a.ownerTables) == 0 {
		c.reportAbsent(a, rules.OwnershipMissing, artOwnership, findSection(d, "data ownership"),
			"the tech spec has no Data Ownership table; add | Service | Database | Data Domain | with a row per service")
		return
	}
	if !c.Enabled(rules.OwnershipServiceMissing) {
		return
	}
	for _, s := range a.services {
		if ownershipRow(a, s) == nil {
			rel := []Related{{Path: d.Path, Span: a.ownerTables[0].Span, Message: "the Data Ownership table"}}
			c.ReportRelated(rules.OwnershipServiceMissing, d, s.Section.TitleSpan, rel, Data{Target: s.Name, Section: s.Section},
				"service %q has no Data Ownership row; add one naming its database and data domain (\"none (stateless)\" when it owns no data)", s.Name)
		}
	}
}

func checkAnalysis(c *Context, a *analysis) {
	if !c.Enabled(rules.AnalysisMissing) {
		return
	}
	d := a.doc
	cs := consistencySection(d)
	var ct *spec.Table // read only without a section
	if cs == nil {
		ct = consistencyTable(d)
	}
	if cs == nil && ct == nil {
		c.reportAbsent(a, rules.AnalysisMissing, artConsistency, nil,
			"the tech spec has no consistency model; state strong or eventual consistency for each service, and why")
	} else {
		var text string
		span := spec.Span{}
		var sec *spec.Section
		if cs != nil {
			text, span, sec = sectionText(d, cs), headSpan(d, cs), cs
		} else {
			text, span = normalize(d.Slice(ct.Span)), trimmedLine(d.Text, ct.Span.Start)
		}
		var missing []string
		for _, s := range a.services {
			if !mentions(text, a.names.NameForms(s.Name)) {
				missing = append(missing, s.Name)
			}
		}
		if len(missing) > 0 {
			c.Report(rules.AnalysisMissing, d, span, Data{Section: sec, Target: strings.Join(missing, ", ")},
				"the consistency model does not cover %s; state strong or eventual consistency for each service, and why", joinAnd(quoteAll(missing)))
		}
	}
	if failureSection(d) == nil && failureTable(d) == nil {
		c.reportAbsent(a, rules.AnalysisMissing, artFailure, nil,
			"the tech spec has no failure impact analysis; for each dependency, say what degrades when it is down and how the system recovers")
	}
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// existingLabel is the declaration that marks a graph node as a system that
// exists outside this feature, in syntax mermaid parses: the label quoted,
// since its parentheses would otherwise open a shape.
func existingLabel(n *mermaid.Node) string {
	return arch.ExistingLabel(n.ID, n.Label)
}
