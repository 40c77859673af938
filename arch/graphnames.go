package arch

import (
	"sync"

	"github.com/specls/specls/mermaid"
)

// graphNames is what name matching knows of one parsed graph's nodes: each
// node's ID and label variants and its keys, numbered, in slices by node
// index (mermaid.Graph.Index). It is computed once per graph and never
// changed after, so the check, the fixes' generators and the rounds of
// fix-all share it for a large graph (recentGraphs), even across
// goroutines: a Matcher that uses it (UseGraph) finds a node's record by
// index and its keys' numbers ready, instead of hashing the names of
// 100,000 nodes into maps of its own (issue 16).
type graphNames struct {
	g      *mermaid.Graph
	nodes  []nodeInfo
	keyIDs map[string]int32 // every node key, numbered from 0
}

// minGraphNames is the number of nodes from which a Matcher uses a
// graph's shared names: below it the rules scan (smallScan) and the
// Matcher's own maps cost less than numbering every node up front.
const minGraphNames = 48

func newGraphNames(g *mermaid.Graph) *graphNames {
	gn := &graphNames{g: g, nodes: make([]nodeInfo, len(g.Nodes)), keyIDs: make(map[string]int32, 3*len(g.Nodes))}
	infos := make([]nameInfo, 2*len(g.Nodes))
	for i, n := range g.Nodes {
		id, label := &infos[2*i], &infos[2*i+1]
		id.variants = KeyVariants(n.ID)
		if n.Label == n.ID {
			label.variants = id.variants
		} else {
			label.variants = KeyVariants(n.Label)
		}
		// NodeKeys: the ID's variants and case-folded text, then the
		// label's variants. Never nil, so that a Matcher never fills it.
		keys := make([]string, 0, len(id.variants)+1+len(label.variants))
		keys = appendKeys(keys, id.variants, foldKey(n.ID))
		keys = appendKeys(keys, label.variants, "")
		ids := make([]int32, len(keys))
		for k, key := range keys {
			v, ok := gn.keyIDs[key]
			if !ok {
				v = int32(len(gn.keyIDs))
				gn.keyIDs[key] = v
			}
			ids[k] = v
		}
		gn.nodes[i] = nodeInfo{id: id, label: label, keys: keys, ids: ids}
	}
	return gn
}

// node returns the record of n when n is a node of the graph, else nil.
func (gn *graphNames) node(n *mermaid.Node) *nodeInfo {
	if i, ok := gn.g.Index(n); ok {
		return &gn.nodes[i]
	}
	return nil
}

// lazyNames builds a cached graph's names on first use, once.
type lazyNames struct {
	once sync.Once
	gn   *graphNames
}

func (l *lazyNames) get(g *mermaid.Graph) *graphNames {
	l.once.Do(func() { l.gn = newGraphNames(g) })
	return l.gn
}

// namesOf returns the names of g: the shared ones of a graph in
// recentGraphs, else computed now.
func namesOf(g *mermaid.Graph) *graphNames {
	recentGraphs.Lock()
	var l *lazyNames
	for _, e := range recentGraphs.entries {
		if e.g == g {
			l = e.names
			break
		}
	}
	recentGraphs.Unlock()
	if l != nil {
		return l.get(g)
	}
	return newGraphNames(g)
}

// UseGraph makes m match the nodes of g (the dependency graph of the
// document m belongs to) through the graph's shared names: a node's
// record by its index, its keys numbered once per graph rather than once
// per Matcher. It changes no answer of m. It does nothing for a small
// graph, nor once m has numbered keys of its own or uses another graph.
func (m *Matcher) UseGraph(g *mermaid.Graph) {
	if g == nil || len(g.Nodes) < minGraphNames || m.base != nil || len(m.keyIDs) > 0 {
		return
	}
	m.base = namesOf(g)
}
