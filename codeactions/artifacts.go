package codeactions

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/mermaid"
)

// artifacts is what a tech spec already says about its architecture, read
// through package arch as the rules read it: the services it defines, with
// their stated dependencies, and the service dependency graph (its mermaid
// graph, else one derived from the services).
type artifacts struct {
	services []*service
	// graph is nil when the document's mermaid graph does not parse: then
	// nothing is derived from it.
	graph *graph
	// fromMermaid is true when graph was read from the document.
	fromMermaid bool
}

// service is a service of Service Definitions (arch.Service) with the
// dependencies its section states.
type service struct {
	*arch.Service
	Deps []dependency
}

// graph is the dependency graph as the generators write it: nodes with
// the service each stands for, edges with their labels.
type graph struct {
	nodes []*gnode
	edges []*gedge
	// Built on first use (most generators need neither):
	byKey map[string]*gnode   // nodes by nameKey of ID and label
	out   map[*gnode][]*gnode // the nodes each node points at, in edge order
}

type gnode struct {
	ID, Label string
	svc       *service // the service definition it stands for, or nil
	store     bool     // a data store: edges to it are data access
	mn        *mermaid.Node
	src       *mermaid.Node // the document's node it was read from, or nil
}

// node is the mermaid node the rules would see for n.
func (n *gnode) node() *mermaid.Node {
	if n.mn == nil {
		n.mn = &mermaid.Node{ID: n.ID, Label: n.Label}
	}
	return n.mn
}

// nameNode is the node to match names against (arch.Matcher, which reads
// a node's ID and label only): the document's own when n was read from
// it, whose names the check has already matched, else node().
func (n *gnode) nameNode() *mermaid.Node {
	if n.src != nil && n.src.ID == n.ID && n.src.Label == n.Label {
		return n.src
	}
	return n.node()
}

type gedge struct {
	from, to  *gnode
	label     string
	streaming bool
}

// node returns the first node whose ID or label has the key k, or nil.
func (g *graph) node(k string) *gnode {
	if g.byKey == nil {
		g.byKey = make(map[string]*gnode, 2*len(g.nodes))
		for _, n := range g.nodes {
			g.index(n)
		}
	}
	return g.byKey[k]
}

// addNode adds a node.
func (g *graph) addNode(n *gnode) {
	g.nodes = append(g.nodes, n)
	if g.byKey != nil {
		g.index(n)
	}
}

// index files n under its keys; the first node keeps a key.
func (g *graph) index(n *gnode) {
	for _, k := range [2]string{nameKey(n.ID), nameKey(n.Label)} {
		if _, ok := g.byKey[k]; !ok {
			g.byKey[k] = n
		}
	}
}

// addEdge adds an edge.
func (g *graph) addEdge(e *gedge) {
	g.edges = append(g.edges, e)
	if g.out != nil {
		g.out[e.from] = append(g.out[e.from], e.to)
	}
}

// deps returns the nodes n points at.
func (g *graph) deps(n *gnode) []*gnode {
	if g.out == nil {
		g.out = map[*gnode][]*gnode{}
		for _, e := range g.edges {
			g.out[e.from] = append(g.out[e.from], e.to)
		}
	}
	return g.out[n]
}

func (f *fixer) artifacts() *artifacts {
	if f.arts == nil {
		a := &artifacts{services: f.services()}
		a.graph, a.fromMermaid = f.readGraph(a.services)
		f.arts = a
	}
	return f.arts
}

// services returns the services of Service Definitions as the rules see
// them (arch.Services), but for the template's own "[Service Name]"
// placeholder and template sections out of place there (the section-order
// fix moves them).
func (f *fixer) services() []*service {
	svcs, _ := f.model().Services()
	var out []*service
	for _, s := range svcs {
		if bracketedTitle.MatchString(s.Name) || nameKey(s.Name) == "" || f.templateTitle(s.Name) {
			continue
		}
		out = append(out, &service{Service: s, Deps: arch.Dependencies(f.doc, s.Section)})
	}
	return out
}

// model returns the document's architecture model.
func (f *fixer) model() *arch.Model {
	if f.arch == nil {
		f.arch = f.in.ArchOf(f.doc) // the check's, in fix-all
	}
	return f.arch
}

// templateTitle reports whether a name is the title of a section of the
// template: never a service's.
func (f *fixer) templateTitle(name string) bool {
	return f.tmpl != nil && f.tmpl.Lookup(name) != nil
}

var bracketedTitle = lazyregexp.New(`^\s*\[[^\]]+\]\s*$`)

// dependency is one entry of a service's "Dependencies" line.
type dependency = arch.Dependency

func stripMarkup(s string) string { return arch.StripMarkup(s) }

// parseDeps is arch.ParseDependencies.
func parseDeps(s string) []dependency { return arch.ParseDependencies(s) }

// nameKey folds a name for matching services, node IDs and labels, as
// the rules do: "Auth Service", "AuthService" and "auth-service" all give
// "auth".
func nameKey(s string) string { return arch.ServiceKey(s) }

// sameName reports whether two names stand for the same service or node
// (arch.SameService, the rules' matching), memoised for this request.
func (f *fixer) sameName(a, b string) bool { return f.model().Names.SameService(a, b) }

// named reports whether a cell names the node, by its ID or its label
// (arch.NamesNode).
func (f *fixer) named(cell string, n *gnode) bool {
	return f.model().Names.NamesNode(cell, n.nameNode())
}

// identifier makes a mermaid node ID or proto name from a name:
// "Auth Service" -> "AuthService", "api-gateway" -> "ApiGateway".
func identifier(name string) string {
	var sb strings.Builder
	up := true
	for _, r := range name {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if up {
				r = unicode.ToUpper(r)
			}
			sb.WriteRune(r)
			up = false
		} else {
			up = true
		}
	}
	id := sb.String()
	if id == "" {
		return "Node"
	}
	if unicode.IsDigit(rune(id[0])) {
		id = "S" + id
	}
	return id
}

// serviceLike reports whether an undefined node is named like a service, as
// the rules see it.
func serviceLike(n *gnode) bool { return arch.ServiceLike(n.node()) }

// isInfra reports whether a node without a service definition names
// infrastructure, a client or an external system, as the rules see it.
func isInfra(n *gnode) bool {
	return n.svc == nil && arch.IsInfrastructure(n.Label, n.ID)
}

// readGraph reads the service dependency graph the rules read
// (arch.DependencyGraph); without one, it derives the graph from the
// services' stated dependencies. A graph that does not parse, or a diagram
// that is no flowchart, gives none: nothing is derived from it.
func (f *fixer) readGraph(svcs []*service) (*graph, bool) {
	dg, _ := f.model().Graph()
	if dg == nil {
		return deriveGraph(svcs, &f.model().Names), false
	}
	if dg.Err != nil || dg.Kind != "flowchart" || dg.Graph == nil {
		return nil, true
	}
	return fromMermaid(dg.Graph, svcs, &f.model().Names), true
}

func fromMermaid(mg *mermaid.Graph, svcs []*service, m *arch.Matcher) *graph {
	g := &graph{nodes: make([]*gnode, 0, len(mg.Nodes)), edges: make([]*gedge, 0, len(mg.Edges))}
	gnodes := make([]gnode, len(mg.Nodes)) // one allocation, not one per node
	gedges := make([]gedge, len(mg.Edges))
	as := make([]*arch.Service, len(svcs))
	for i, s := range svcs {
		as[i] = s.Service
	}
	// Every node's ID and label are matched, and their keys numbered.
	m.Reserve(2*len(mg.Nodes), len(mg.Nodes), 3*len(mg.Nodes))
	ix := arch.NewServiceIndex(as, m)
	of := map[*arch.Service]*service{}
	for _, s := range svcs {
		of[s.Service] = s
	}
	for i, n := range mg.Nodes {
		label := n.Label
		if label == "" {
			label = n.ID
		}
		gn := &gnodes[i]
		*gn = gnode{ID: n.ID, Label: label, store: arch.IsDataStore(n), src: n}
		if label == n.Label {
			gn.mn = n // the node itself: the Matcher knows it by its index
		}
		if s := ix.Node(n); s != nil {
			gn.svc = of[s]
		}
		g.addNode(gn)
	}
	// An edge's ends are found by the nodes' places in mg.Nodes when the
	// parser made the graph (one node per ID), not by a map of 100,000 IDs;
	// in a graph built by hand, by ID, the last node with it.
	var byID map[string]*gnode
	end := func(n *mermaid.Node, id string) *gnode {
		if byID == nil {
			if i, ok := mg.Index(n); ok && n.ID == id {
				return &gnodes[i]
			}
			byID = make(map[string]*gnode, len(mg.Nodes))
			for i, n := range mg.Nodes {
				byID[n.ID] = &gnodes[i]
			}
		}
		return byID[id]
	}
	for i, e := range mg.Edges {
		mf, mt := mg.Ends(e)
		from, to := end(mf, e.From), end(mt, e.To)
		if from == nil || to == nil {
			continue
		}
		label := strings.TrimSpace(e.Label)
		ge := &gedges[i]
		*ge = gedge{from: from, to: to, label: label, streaming: containsFold(label, "stream")}
		g.addEdge(ge)
	}
	return g
}

// deriveGraph makes the graph the services' dependencies describe: a node
// per service and per external dependency, an edge per dependency.
func deriveGraph(svcs []*service, m *arch.Matcher) *graph {
	g := &graph{}
	ids := map[string]bool{}
	add := func(label string, svc *service) *gnode {
		if n := g.node(nameKey(label)); n != nil {
			return n
		}
		id := identifier(label)
		for i := 2; ids[id]; i++ {
			id = identifier(label) + strconv.Itoa(i)
		}
		ids[id] = true
		n := &gnode{ID: id, Label: label, svc: svc}
		if svc == nil {
			n.store = arch.NamesDataStore(label)
		}
		g.addNode(n)
		return n
	}
	for _, s := range svcs {
		add(s.Name, s)
	}
	type pair struct{ from, to *gnode }
	seen := map[pair]bool{}
	for _, s := range svcs {
		from := g.node(nameKey(s.Name))
		for _, d := range s.Deps {
			var to *gnode
			if target := findService(svcs, d.Name, m); target != nil {
				to = g.node(nameKey(target.Name))
			} else {
				to = add(d.Name, nil)
			}
			if to == from || seen[pair{from, to}] {
				continue
			}
			seen[pair{from, to}] = true
			label := d.Protocol
			if label == "" {
				label = defaultProtocol(to)
			}
			g.addEdge(&gedge{from: from, to: to, label: label, streaming: d.Streaming})
		}
	}
	return g
}

// findService returns the service a name refers to, or nil.
func findService(svcs []*service, name string, m *arch.Matcher) *service {
	for _, s := range svcs {
		if m.SameService(name, s.Name) {
			return s
		}
	}
	return nil
}

// defaultProtocol is the protocol of a dependency the spec leaves unsaid:
// gRPC between services (the convention's internal protocol), the store's
// own protocol for known infrastructure, else none.
func defaultProtocol(to *gnode) string {
	if to.svc != nil {
		return "gRPC"
	}
	return arch.InfraProtocol(to.Label)
}

// containsFold is strings.Contains(strings.ToLower(s), sub) for a lower
// case ASCII sub, without the lower-cased copy when s is ASCII.
func containsFold(s, sub string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), sub)
		}
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for j < len(sub) && lowerASCII(s[i+j]) == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}
