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

// serviceOf returns the service node n stands for (NodeService).
func (a *analysis) serviceOf(n *mermaid.Node) *Service {
	if len(a.services) <= smallScan {
		return arch.NodeService(n, a.services)
	}
	if a.serviceIx == nil {
		a.serviceIx = arch.NewServiceIndex(a.services, &a.names)
	}
	return a.serviceIx.Node(n)
}

// nodeNamed returns the first node of g (in order) that cell names
// (nodeMatches), or nil.
func (a *analysis) nodeNamed(g *mermaid.Graph, cell string) *mermaid.Node {
	if len(g.Nodes) <= smallScan {
		for _, n := range g.Nodes {
			if a.nodeMatches(cell, n) {
				return n
			}
		}
		return nil
	}
	if a.nodeIx == nil {
		a.nodeIx = &arch.KeyIndex{}
		// The cells' names; the nodes' are the graph's (UseGraph).
		a.names.Reserve(2*len(a.matrix), 0, 0)
		for i, n := range g.Nodes {
			a.nodeIx.Add(i, a.names.NodeKeyIDs(n))
		}
	}
	// Every node's keys are numbered: a key without a number is none of them.
	a.keyScratch = a.names.LookupKeyIDs(a.keyScratch[:0], cell)
	a.scratch = a.nodeIx.Candidates(a.scratch[:0], a.keyScratch)
	for _, i := range a.scratch {
		if a.nodeMatches(cell, g.Nodes[i]) {
			return g.Nodes[i]
		}
	}
	return nil
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
	if a.cellIx == nil {
		// The cells are looked up by the keys of the graph's nodes: with
		// those numbered first, a cell's other keys need no number.
		for _, n := range a.graphOK().Nodes {
			a.names.NodeKeyIDs(n)
		}
		a.cellIx = &arch.KeyIndex{}
		for i, r := range a.matrix {
			a.keyScratch = a.names.LookupKeyIDs(a.keyScratch[:0], r.From.Text)
			a.cellIx.Add(2*i, a.keyScratch)
			a.keyScratch = a.names.LookupKeyIDs(a.keyScratch[:0], r.To.Text)
			a.cellIx.Add(2*i+1, a.keyScratch)
		}
	}
	a.scratch = a.cellIx.Candidates(a.scratch[:0], a.names.NodeKeyIDs(n))
	for _, k := range a.scratch {
		c := a.matrix[k/2].From
		if k%2 == 1 {
			c = a.matrix[k/2].To
		}
		if a.nodeMatches(c.Text, n) {
			return c.Text, true
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

// edgesBetween returns the edges (in order, "~~~" left out) from one node
// ID to another, and the undirected ones the other way. The result is
// only valid until the next call.
func (a *analysis) edgesBetween(edges []*mermaid.Edge, from, to string) []*mermaid.Edge {
	out := a.between[:0]
	if len(edges) <= smallScan {
		for _, e := range edges {
			if e.From == from && e.To == to || !e.Directed() && e.From == to && e.To == from {
				out = append(out, e)
			}
		}
		a.between = out
		return out
	}
	if a.edgeIx == nil {
		// The first edge of each pair without a list of its own: most
		// pairs have one edge.
		a.edgeIx = make(map[edgePair]int32, len(edges))
		for i, e := range edges {
			k := edgePair{e.From, e.To}
			if f, ok := a.edgeIx[k]; !ok {
				a.edgeIx[k] = int32(i)
			} else {
				if a.edgeMore == nil {
					a.edgeMore = map[edgePair][]int{}
				}
				if len(a.edgeMore[k]) == 0 {
					a.edgeMore[k] = []int{int(f)}
				}
				a.edgeMore[k] = append(a.edgeMore[k], i)
			}
		}
	}
	idx := a.betweenIdx[:0]
	idx = a.appendPair(idx, edgePair{from, to}, nil)
	if from != to {
		idx = a.appendPair(idx, edgePair{to, from}, edges)
	}
	slices.Sort(idx)
	for _, i := range idx {
		out = append(out, edges[i])
	}
	a.between, a.betweenIdx = out, idx
	return out
}

// edgePair is an edge's ends, From then To.
type edgePair struct{ from, to string }

// appendPair appends the edges of k; with undirected set, only those
// edges[i] that are not directed.
func (a *analysis) appendPair(idx []int, k edgePair, undirected []*mermaid.Edge) []int {
	f, ok := a.edgeIx[k]
	if !ok {
		return idx
	}
	list := a.edgeMore[k]
	if len(list) == 0 {
		list = []int{int(f)}
	}
	for _, i := range list {
		if undirected == nil || !undirected[i].Directed() {
			idx = append(idx, i)
		}
	}
	return idx
}
