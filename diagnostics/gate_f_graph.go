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

// findCycle returns the edges of a cycle through start, or nil: the first
// one a depth-first search in edge order meets, within start's component.
func findCycle(start string, out map[string][]*mermaid.Edge, comp map[string]int) []*mermaid.Edge {
	var path []*mermaid.Edge
	seen := map[string]bool{}
	c := comp[start]
	var dfs func(id string) bool
	dfs = func(id string) bool {
		for _, e := range out[id] {
			if comp[e.To] != c {
				continue // no way back to start from there
			}
			path = append(path, e)
			if e.To == start {
				return true
			}
			if !seen[e.To] {
				seen[e.To] = true
				if dfs(e.To) {
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
// cycle (more than one node, or a node calling itself), from 1; nodes on
// no cycle are left out. Tarjan's algorithm over node numbers, iterative so
// that a chain of 100,000 calls does not recurse 100,000 deep.
func cyclicComponents(nodes []*mermaid.Node, out map[string][]*mermaid.Edge) map[string]int {
	// Number every node and edge end once; the walk is then on ints.
	num := make(map[string]int, len(nodes))
	var ids []string
	id := func(s string) int {
		n, ok := num[s]
		if !ok {
			n = len(ids)
			num[s] = n
			ids = append(ids, s)
		}
		return n
	}
	for _, n := range nodes {
		id(n.ID)
	}
	var adj [][]int
	for k := 0; k < len(ids); k++ {
		var to []int
		for _, e := range out[ids[k]] {
			to = append(to, id(e.To))
		}
		adj = append(adj, to)
	}
	index := make([]int, len(ids)) // 0: not visited yet
	low := make([]int, len(ids))
	onStack := make([]bool, len(ids))
	var stack []int
	comp := map[string]int{}
	next, ncomp := 1, 0
	type frame struct{ v, i int }
	for root := range nodes {
		if index[root] != 0 || len(adj[root]) == 0 {
			continue
		}
		work := []frame{{v: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if f.i < len(adj[f.v]) {
				to := adj[f.v][f.i]
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
			cyclic := len(members) > 1 || slices.Contains(adj[v], v)
			if cyclic {
				ncomp++
			}
			for _, m := range members {
				onStack[m] = false
				if cyclic {
					comp[ids[m]] = ncomp
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
	x := &formIndex{nodes: map[string][]int{}}
	for k, fs := range forms {
		for _, f := range fs {
			if f == "" {
				continue
			}
			if l := x.nodes[f]; len(l) == 0 || l[len(l)-1] != k {
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
