package diagnostics

import (
	"slices"
	"strings"

	"github.com/specls/specls/mermaid"
)

// The graph algorithms of the Gate F rules, linear in the size of the
// graph and of the phases' text (issue 16): the cycles of synchronous
// calls (graph-cycle) and the nodes each deployment phase names
// (deployment-order).

// callGraph is a graph's calls on numbered vertices: the nodes first, in
// order, then any other edge end (a subgraph ID); each vertex's calls in
// edge order, in one array (compressed rows), so that a graph of 100,000
// calls is walked without a map lookup per step.
type callGraph struct {
	g       *mermaid.Graph
	indexed bool             // the parser's graph: a node's vertex is its index
	num     map[string]int32 // the other ends' vertices (all, by hand)
	ids     []string         // by vertex: the node IDs, in order, then the other ends
	start   []int32          // vertex v's calls are to[start[v]:start[v+1]]
	to      []int32
	edge    []*mermaid.Edge
}

// newCallGraph numbers g and keeps the edges calls reports; an edge
// A <--> B is a call each way.
func newCallGraph(g *mermaid.Graph, calls func(*mermaid.Edge) bool) *callGraph {
	cg := &callGraph{g: g, ids: make([]string, 0, len(g.Nodes)), indexed: true}
	for i, n := range g.Nodes {
		cg.ids = append(cg.ids, n.ID)
		if j, ok := g.Index(n); !ok || j != i {
			cg.indexed = false
		}
	}
	if !cg.indexed {
		// A graph built by hand: its nodes by ID, the first of an ID wins.
		cg.num = make(map[string]int32, len(g.Nodes))
		for i, n := range g.Nodes {
			if _, ok := cg.num[n.ID]; !ok {
				cg.num[n.ID] = int32(i)
			}
		}
	}
	id := func(n *mermaid.Node, s string) int32 {
		if v, ok := cg.vertex(n, s); ok {
			return v
		}
		if cg.num == nil {
			cg.num = map[string]int32{}
		}
		v := int32(len(cg.ids))
		cg.num[s] = v
		cg.ids = append(cg.ids, s)
		return v
	}
	type arc struct {
		from, to int32
		e        *mermaid.Edge
	}
	arcs := make([]arc, 0, len(g.Edges))
	for _, e := range g.Edges {
		if !calls(e) {
			continue
		}
		fn, tn := g.Ends(e)
		f, t := id(fn, e.From), id(tn, e.To)
		arcs = append(arcs, arc{f, t, e})
		if strings.HasPrefix(e.Arrow, "<") {
			// A <--> B: each calls the other.
			arcs = append(arcs, arc{t, f, e.Reversed()})
		}
	}
	cg.start = make([]int32, len(cg.ids)+1)
	for _, x := range arcs {
		cg.start[x.from+1]++
	}
	for v := range cg.ids {
		cg.start[v+1] += cg.start[v]
	}
	cg.to = make([]int32, len(arcs))
	cg.edge = make([]*mermaid.Edge, len(arcs))
	next := slices.Clone(cg.start[:len(cg.ids)])
	for _, x := range arcs {
		k := next[x.from]
		cg.to[k], cg.edge[k] = x.to, x.e
		next[x.from]++
	}
	return cg
}

// vertex returns the vertex of edge end id, whose node is n (nil for a
// subgraph), and false when it has none.
func (cg *callGraph) vertex(n *mermaid.Node, id string) (int32, bool) {
	if cg.indexed {
		if i, ok := cg.g.Index(n); ok {
			return int32(i), true
		}
	}
	v, ok := cg.num[id]
	return v, ok
}

func (cg *callGraph) calls(v int32) (to []int32, edges []*mermaid.Edge) {
	a, b := cg.start[v], cg.start[v+1]
	return cg.to[a:b], cg.edge[a:b]
}

// findCycle returns the edges of a cycle through start, or nil: the first
// one a depth-first search in edge order meets, within start's component.
func (cg *callGraph) findCycle(start int32, comp []int32) []*mermaid.Edge {
	var path []*mermaid.Edge
	seen := map[int32]bool{}
	c := comp[start]
	var dfs func(v int32) bool
	dfs = func(v int32) bool {
		to, edges := cg.calls(v)
		for k, w := range to {
			if comp[w] != c {
				continue // no way back to start from there
			}
			path = append(path, edges[k])
			if w == start {
				return true
			}
			if !seen[w] {
				seen[w] = true
				if dfs(w) {
					return true
				}
			}
			path = path[:len(path)-1]
		}
		return false
	}
	seen[start] = true
	if dfs(start) {
		return path
	}
	return nil
}

// cyclicComponents numbers the strongly connected components that hold a
// cycle (more than one vertex, or one calling itself), from 1, by vertex;
// 0 for vertices on no cycle. Tarjan's algorithm from the first roots
// vertices (the graph's nodes), iterative so that a chain of 100,000 calls
// does not recurse 100,000 deep.
func (cg *callGraph) cyclicComponents(roots int) []int32 {
	nv := len(cg.ids)
	// One allocation for the three numberings, and stacks sized for the
	// deepest walk (a chain of 100,000 calls), which never grow by copying.
	nums := make([]int32, 3*nv)
	index := nums[:nv:nv] // 0: not visited yet
	low := nums[nv : 2*nv : 2*nv]
	comp := nums[2*nv:]
	onStack := make([]bool, nv)
	stack := make([]int32, 0, nv)
	var next, ncomp int32 = 1, 0
	type frame struct{ v, i int32 }
	work := make([]frame, 0, nv)
	for r := range roots {
		root := int32(r)
		if index[root] != 0 || cg.start[root] == cg.start[root+1] {
			continue
		}
		work = append(work[:0], frame{v: root})
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if k := cg.start[f.v] + f.i; k < cg.start[f.v+1] {
				to := cg.to[k]
				f.i++
				switch {
				case index[to] == 0:
					index[to], low[to] = next, next
					next++
					stack = append(stack, to)
					onStack[to] = true
					work = append(work, frame{v: to})
				case onStack[to]:
					low[f.v] = min(low[f.v], index[to])
				}
				continue
			}
			v := f.v
			work = work[:len(work)-1]
			if len(work) > 0 {
				p := work[len(work)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			// v is the root of a component: pop it.
			k := len(stack) - 1
			for stack[k] != v {
				k--
			}
			members := stack[k:]
			stack = stack[:k]
			to, _ := cg.calls(v)
			cyclic := len(members) > 1 || slices.Contains(to, v)
			if cyclic {
				ncomp++
			}
			for _, m := range members {
				onStack[m] = false
				if cyclic {
					comp[m] = ncomp
				}
			}
		}
	}
	return comp
}

// mentionedNodes reports which nodes normalised text mentions, given each
// node's name forms. A mention inside a longer mention of another node
// does not count: "tax rules service" names Tax Rules, not Tax.
func mentionedNodes(text string, forms [][]string) []bool {
	out := make([]bool, len(forms))
	for _, k := range newFormIndex(forms).mentioned(text) {
		out[k] = true
	}
	return out
}

// formIndex finds the nodes a text mentions in time linear in the text,
// however many nodes there are: every run of up to maxWords words of the
// text is looked up among the nodes' name forms (whole-word matching, as
// wordMatches does).
type formIndex struct {
	nodes    map[string][]int // form -> the nodes that have it
	maxWords int
}

func newFormIndex(forms [][]string) *formIndex {
	n := 0
	for _, fs := range forms {
		n += len(fs)
	}
	// Most forms are one node's: their lists are cut from one array, each
	// with no room to grow (a second node's append copies it out).
	x := &formIndex{nodes: make(map[string][]int, n)}
	one := make([]int, 0, n)
	for k, fs := range forms {
		for _, f := range fs {
			if f == "" {
				continue
			}
			if l := x.nodes[f]; len(l) == 0 {
				one = append(one, k)
				x.nodes[f] = one[len(one)-1 : len(one) : len(one)]
			} else if l[len(l)-1] != k {
				x.nodes[f] = append(l, k)
			}
			x.maxWords = max(x.maxWords, strings.Count(f, " ")+1)
		}
	}
	return x
}

// mentioned returns the nodes text mentions, in order, but for those only
// mentioned inside a longer mention of another node.
func (x *formIndex) mentioned(text string) []int {
	type hit struct{ node, start, end int }
	var hits []hit
	// starts holds the offset of every word: text is split at each space.
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' {
			starts = append(starts, i+1)
		}
	}
	for w, st := range starts {
		for n := 1; n <= x.maxWords && w+n <= len(starts); n++ {
			end := len(text)
			if w+n < len(starts) {
				end = starts[w+n] - 1
			}
			for _, k := range x.nodes[text[st:end]] {
				hits = append(hits, hit{k, st, end})
			}
		}
	}
	seen := map[int]bool{}
	var out []int
	for _, h := range hits {
		if seen[h.node] {
			continue
		}
		shadowed := false
		for _, o := range hits {
			if o.node != h.node && o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start {
				shadowed = true
				break
			}
		}
		if !shadowed {
			seen[h.node] = true
			out = append(out, h.node)
		}
	}
	slices.Sort(out)
	return out
}
