package diagnostics

import (
	"slices"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/mermaid"
)

// The rules match every matrix row with every graph node and edge. These
// indexes, built on first use in a check, keep that linear in the size of
// the graph and tables (arch.NameIndex): each lookup confirms its
// candidates with the same test as before, in the same order, so the
// findings are those of a full scan.

// smallScan is the table or graph size up to which a plain scan is
// cheaper than building an index: most specs, on every keystroke.
var smallScan = 48

// serviceOf returns the service node n stands for (NodeService),
// memoised by node index for the dependency graph's nodes: the graph and
// deployment-order rules both ask it of every node.
func (a *analysis) serviceOf(n *mermaid.Node) *Service {
	g := a.graphOK()
	i, ok := 0, false
	if g != nil {
		i, ok = g.Index(n)
	}
	if !ok {
		return a.findServiceOf(n)
	}
	if a.nodeServices == nil {
		a.nodeServices = make([]*Service, len(g.Nodes)) // nil: not known yet
	}
	if a.nodeServices[i] == nil {
		a.nodeServices[i] = noService
		if s := a.findServiceOf(n); s != nil {
			a.nodeServices[i] = s
		}
	}
	if s := a.nodeServices[i]; s != noService {
		return s
	}
	return nil
}

// noService marks a node known to stand for no service (serviceOf).
var noService = new(Service)

// findServiceOf is serviceOf without the memo.
func (a *analysis) findServiceOf(n *mermaid.Node) *Service {
	if len(a.services) <= smallScan {
		// arch.NodeService, with the node's names split once per graph
		// (UseGraph) rather than on every call.
		if n == nil {
			return nil
		}
		for _, s := range a.services {
			if a.names.NamesNode(s.Name, n) {
				return s
			}
		}
		return nil
	}
	if a.serviceIx == nil {
		a.serviceIx = arch.NewServiceIndex(a.services, a.names)
	}
	return a.serviceIx.Node(n)
}

// nodeNamed returns the first node of g (in order) that matrix cell k
// names (nodeMatches), or nil.
func (a *analysis) nodeNamed(g *mermaid.Graph, k int) *mermaid.Node {
	if len(g.Nodes) <= smallScan {
		cell := a.cellText(k)
		for _, n := range g.Nodes {
			if a.nodeMatches(cell, n) {
				return n
			}
		}
		return nil
	}
	cells := a.matrixCells()
	if a.nodeIx == nil {
		a.nodeIx = arch.NewKeyIndex(a.names.KeyCount())
		for i, n := range g.Nodes {
			a.nodeIx.Add(i, a.names.NodeKeyIDs(n))
		}
	}
	a.scratch = a.nodeIx.Candidates(a.scratch[:0], cells[k].Keys)
	for _, i := range a.scratch {
		if a.names.NameNamesNode(&cells[k], g.Nodes[i]) {
			return g.Nodes[i]
		}
	}
	return nil
}

// cellText is the text of matrix cell k: the From (k even) or To of row
// k/2.
func (a *analysis) cellText(k int) string {
	if k%2 == 1 {
		return a.matrix[k/2].To.Text
	}
	return a.matrix[k/2].From.Text
}

// matrixCells returns the names of the matrix cells (cell k is cellText(k)),
// computed once per check: the matrix rules look every cell up among the
// graph's nodes, and every node up among the cells.
func (a *analysis) matrixCells() []arch.Name {
	if a.cells != nil {
		return a.cells
	}
	// The graph's node keys are numbered first: a cell's key without a
	// number then is no node's, and the cell is never filed under it.
	if g := a.graphOK(); g != nil {
		for _, n := range g.Nodes {
			a.names.NodeKeyIDs(n)
		}
	}
	a.cells = make([]arch.Name, 0, 2*len(a.matrix))
	keys := make([]int32, 0, 2*len(a.matrix))
	for k := range 2 * len(a.matrix) {
		var nm arch.Name
		nm, keys = a.names.Name(a.cellText(k), keys)
		a.cells = append(a.cells, nm)
	}
	return a.cells
}

// firstRow returns the index of the first matrix row whose From names
// from and whose To names to, or -1.
func (a *analysis) firstRow(from, to *mermaid.Node) int {
	if len(a.matrix) <= smallScan {
		for i, r := range a.matrix {
			if a.nodeMatches(r.From.Text, from) && a.nodeMatches(r.To.Text, to) {
				return i
			}
		}
		return -1
	}
	if a.rowIx == nil {
		a.rowIx = &arch.NameIndex{}
		for i, r := range a.matrix {
			a.rowIx.Add(i, arch.PairKeys(a.names.NameKeys(r.From.Text), a.names.NameKeys(r.To.Text)))
		}
	}
	for _, i := range a.rowIx.Candidates(nil, arch.PairKeys(a.names.NodeKeys(from), a.names.NodeKeys(to))) {
		r := a.matrix[i]
		if a.nodeMatches(r.From.Text, from) && a.nodeMatches(r.To.Text, to) {
			return i
		}
	}
	return -1
}

// firstCell returns the text of the first matrix cell (rows in order, From
// before To) that names node n, and whether there is one.
func (a *analysis) firstCell(n *mermaid.Node) (string, bool) {
	if len(a.matrix) <= smallScan {
		for _, r := range a.matrix {
			for _, c := range []string{r.From.Text, r.To.Text} {
				if a.nodeMatches(c, n) {
					return c, true
				}
			}
		}
		return "", false
	}
	cells := a.matrixCells()
	if a.cellIx == nil {
		a.cellIx = arch.NewKeyIndex(a.names.KeyCount())
		for k := range cells {
			a.cellIx.Add(k, cells[k].Keys)
		}
	}
	a.scratch = a.cellIx.Candidates(a.scratch[:0], a.names.NodeKeyIDs(n))
	for _, k := range a.scratch {
		if a.names.NameNamesNode(&cells[k], n) {
			return cells[k].Text, true
		}
	}
	return "", false
}

// ownershipRow returns the Data Ownership row of a service, or nil: the
// first row one of whose services is the same service.
func ownershipRow(a *analysis, s *Service) *OwnershipRow {
	if len(a.ownership) <= smallScan {
		want := s.Variants()
		for i, r := range a.ownership {
			for _, n := range r.Services {
				for _, v := range a.keyVariants(n) {
					if contains(want, v) {
						return &a.ownership[i]
					}
				}
			}
		}
		return nil
	}
	if a.ownerIx == nil {
		a.ownerIx = &arch.KeyIndex{}
		for i, r := range a.ownership {
			for _, n := range r.Services {
				a.ownerIx.Add(i, a.names.NameKeyIDs(n))
			}
		}
	}
	a.scratch = a.ownerIx.Candidates(a.scratch[:0], a.names.NameKeyIDs(s.Name))
	for _, i := range a.scratch {
		for _, n := range a.ownership[i].Services {
			if a.names.SameService(n, s.Name) {
				return &a.ownership[i]
			}
		}
	}
	return nil
}

// matrixEdges are the edges the Communication Matrix is held to (all but
// "~~~"), numbered in order, with their ends as vertices (a node is its
// index in the graph, another end, a subgraph, comes after) and each
// vertex's edges in one array sorted by the other end: a row finds its
// edges by a binary search, without a map lookup on strings (issue 16).
type matrixEdges struct {
	g      *mermaid.Graph
	edges  []*mermaid.Edge
	to     []int32 // by edge: its To vertex
	start  []int32 // vertex v's edges are order[start[v]:start[v+1]]
	order  []int32 // edge numbers, by From vertex, then To vertex, then number
	others map[string]int32
	ids    []string // the vertices after the nodes: subgraph IDs
	found  []int    // between's result, reused
}

func newMatrixEdges(g *mermaid.Graph) *matrixEdges {
	x := &matrixEdges{g: g, edges: make([]*mermaid.Edge, 0, len(g.Edges))}
	for _, e := range g.Edges {
		if e.Arrow != "~~~" {
			x.edges = append(x.edges, e)
		}
	}
	from := make([]int32, len(x.edges))
	x.to = make([]int32, len(x.edges))
	for i, e := range x.edges {
		fn, tn := g.Ends(e)
		from[i], x.to[i] = x.vertex(fn, e.From, true), x.vertex(tn, e.To, true)
	}
	nv := len(g.Nodes) + len(x.ids)
	x.start = make([]int32, nv+1)
	for _, f := range from {
		x.start[f+1]++
	}
	for v := range nv {
		x.start[v+1] += x.start[v]
	}
	x.order = make([]int32, len(x.edges))
	next := slices.Clone(x.start[:nv])
	for i, f := range from {
		x.order[next[f]] = int32(i)
		next[f]++
	}
	for v := range nv {
		// In edge order already: a stable sort by the To vertex.
		if b := x.order[x.start[v]:x.start[v+1]]; len(b) > 1 {
			slices.SortStableFunc(b, func(i, j int32) int { return int(x.to[i]) - int(x.to[j]) })
		}
	}
	return x
}

// vertex returns the vertex of an edge end or a row's resolved ID, whose
// node is n (nil: g.Node(id) is looked up): a node by its index, else id
// among the other ends, added when add is set; -1 for none. Two ends are
// one vertex when their IDs are the same.
func (x *matrixEdges) vertex(n *mermaid.Node, id string, add bool) int32 {
	if n == nil {
		n = x.g.Node(id)
	}
	if i, ok := x.g.Index(n); ok {
		return int32(i)
	}
	if n != nil {
		// A graph built by hand: its nodes by ID, the first of an ID.
		for i, m := range x.g.Nodes {
			if m.ID == id {
				return int32(i)
			}
		}
	}
	if v, ok := x.others[id]; ok {
		return v
	}
	if !add {
		return -1
	}
	if x.others == nil {
		x.others = map[string]int32{}
	}
	v := int32(len(x.g.Nodes) + len(x.ids))
	x.others[id] = v
	x.ids = append(x.ids, id)
	return v
}

// between returns the numbers of the edges (in order) from vertex from to
// vertex to, and of the undirected ones the other way. The result is only
// valid until the next call.
func (x *matrixEdges) between(from, to int32) []int {
	out := x.found[:0]
	if from < 0 || to < 0 {
		return out
	}
	out = x.appendRun(out, from, to, false)
	if from != to {
		n := len(out)
		out = x.appendRun(out, to, from, true)
		if n > 0 && len(out) > n {
			slices.Sort(out)
		}
	}
	x.found = out
	return out
}

// appendRun appends the edges from vertex v to vertex w; with undirected
// set, only those that are not directed.
func (x *matrixEdges) appendRun(out []int, v, w int32, undirected bool) []int {
	if int(v)+1 >= len(x.start) {
		return out
	}
	b := x.order[x.start[v]:x.start[v+1]]
	i, _ := slices.BinarySearchFunc(b, w, func(e, w int32) int { return int(x.to[e]) - int(w) })
	for ; i < len(b) && x.to[b[i]] == w; i++ {
		if !undirected || !x.edges[b[i]].Directed() {
			out = append(out, int(b[i]))
		}
	}
	return out
}
