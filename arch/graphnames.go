package arch

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

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
	keyIDs keyTable // every node key, numbered from 0
}

// keyTable numbers strings as a map[string]int32 filled in order would
// (the n-th new string is n-1), in less than half the memory: the keys
// of a graph of 100,000 nodes are 300,000, and a map of them was the
// largest object of the check, which the collector scans whole (issue 16).
// Open addressing over a power-of-two array of numbers, linear probing.
type keyTable struct {
	keys  []string // by number
	slots []int32  // a key's number + 1, 0 for an empty slot
	seed  maphash.Seed
}

func newKeyTable(n int) keyTable {
	t := keyTable{keys: make([]string, 0, n), seed: maphash.MakeSeed()}
	t.slots = make([]int32, slotsFor(n))
	return t
}

// slotsFor is the power of two that holds n keys at most two thirds full.
func slotsFor(n int) int {
	size := 8
	for size*2 < n*3 {
		size *= 2
	}
	return size
}

// slot returns where k is, or the empty slot where it would go.
func (t *keyTable) slot(k string) int {
	mask := len(t.slots) - 1
	i := int(maphash.String(t.seed, k)) & mask
	for t.slots[i] != 0 && t.keys[t.slots[i]-1] != k {
		i = (i + 1) & mask
	}
	return i
}

// get returns k's number, if it has one.
func (t *keyTable) get(k string) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	if s := t.slots[t.slot(k)]; s != 0 {
		return s - 1, true
	}
	return 0, false
}

// number returns k's number, numbering it next when it has none.
func (t *keyTable) number(k string) int32 {
	if len(t.slots) == 0 || 2*len(t.slots) < 3*(len(t.keys)+1) {
		t.grow()
	}
	i := t.slot(k)
	if t.slots[i] == 0 {
		t.keys = append(t.keys, k)
		t.slots[i] = int32(len(t.keys))
	}
	return t.slots[i] - 1
}

func (t *keyTable) grow() {
	old := t.keys
	t.slots = make([]int32, slotsFor(len(old)+1)*2)
	if t.seed == (maphash.Seed{}) {
		t.seed = maphash.MakeSeed()
	}
	for v, k := range old {
		t.slots[t.slot(k)] = int32(v + 1)
	}
}

func (t *keyTable) len() int { return len(t.keys) }

// minGraphNames is the number of nodes from which a Matcher uses a
// graph's shared names: below it the rules scan (smallScan) and the
// Matcher's own maps cost less than numbering every node up front.
const minGraphNames = 48

func newGraphNames(g *mermaid.Graph) *graphNames {
	gn := &graphNames{g: g, nodes: make([]nodeInfo, len(g.Nodes)), keyIDs: newKeyTable(3 * len(g.Nodes))}
	// Everything in a few large arrays: a graph of 100,000 nodes would
	// otherwise be a million small allocations.
	var arena stringArena
	// A node has about five strings (an ID and a label of one variant
	// each, three keys). A list that runs out is not grown but followed
	// by another: the nodes' slices keep the old one.
	strs := make([]string, 0, 5*len(g.Nodes))
	carve := func(ss []string) []string {
		if cap(strs)-len(strs) < len(ss) {
			strs = make([]string, 0, max(len(ss), len(g.Nodes)/2+16))
		}
		from := len(strs)
		strs = append(strs, ss...)
		return strs[from:len(strs):len(strs)]
	}
	idArr := make([]int32, 0, 3*len(g.Nodes))
	var tmp []string
	for i, n := range g.Nodes {
		ni := &gn.nodes[i]
		tmp = appendKeyVariants(tmp[:0], &arena, n.ID)
		ni.idVariants = carve(tmp)
		if n.Label == n.ID {
			ni.labelVariants = ni.idVariants
		} else {
			tmp = appendKeyVariants(tmp[:0], &arena, n.Label)
			ni.labelVariants = carve(tmp)
		}
		// NodeKeys: the ID's variants and case-folded text, then the
		// label's variants. Never nil, so that a Matcher never fills it.
		tmp = appendKeys(tmp[:0], ni.idVariants, arena.fold(n.ID))
		tmp = appendKeys(tmp, ni.labelVariants, "")
		ni.keys = carve(tmp)
		start := len(idArr)
		for _, key := range ni.keys {
			idArr = append(idArr, gn.keyIDs.number(key))
		}
		ni.ids = idArr[start:len(idArr):len(idArr)]
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

// Fork returns a new Matcher that uses the same graph's names as m
// (UseGraph) and shares nothing else with it, for a rule that runs on a
// goroutine of its own beside m's (the shared names are never written).
// It matches names as m does; the numbers it gives keys that are not the
// graph's are its own.
func (m *Matcher) Fork() *Matcher {
	return &Matcher{base: m.base}
}

// Name is a name with its key variants and the numbers of those of its
// keys a Matcher had numbered when it was made: what testing one table
// cell against many graph nodes needs, computed once per cell and kept by
// the caller in a slice, not memoised by text (a matrix of 100,000 cells
// would make the memo the largest map of the check).
type Name struct {
	Text     string
	variants []string
	// Keys are the numbers of the keys a graph node may share with it, for
	// KeyIndex.Candidates: only keys numbered when the Name was made, and
	// not its case-folded text when that has a space (no node ID has).
	Keys []int32
}

// Name returns the Name of text; its Keys are appended to keys, which is
// returned grown (one array for many names).
func (m *Matcher) Name(text string, keys []int32) (Name, []int32) {
	// The variants are carved from the Matcher's arrays: a matrix of
	// 100,000 cells is not 200,000 allocations.
	from := len(m.nameStrs)
	m.nameStrs = appendKeyVariants(m.nameStrs, &m.arena, text)
	nm := Name{Text: text, variants: m.nameStrs[from:len(m.nameStrs):len(m.nameStrs)]}
	start := len(keys)
	for i, v := range nm.variants {
		// NameKeys: the variants once each, then the case-folded text.
		if v == "" || slices.Contains(nm.variants[:i], v) {
			continue
		}
		if id, ok := m.keyID(v); ok {
			keys = append(keys, id)
		}
	}
	// The case-folded text is a key only a node's ID has, and IDs have no
	// spaces: a cell "Step 7" is not looked up as "step 7".
	if t := strings.TrimSpace(text); !strings.Contains(t, " ") {
		if id, ok := m.foldKeyID(t); ok {
			keys = append(keys, id)
		}
	}
	nm.Keys = keys[start:len(keys):len(keys)]
	return nm, keys
}

// keyID returns the number of a key, if it has one.
func (m *Matcher) keyID(k string) (int32, bool) {
	if id, ok := m.baseKey(k); ok {
		return id, true
	}
	id, ok := m.keyIDs[k]
	return id, ok
}

// foldKeyID is keyID(foldKey(s)), without building the key for an ASCII
// name.
func (m *Matcher) foldKeyID(s string) (int32, bool) {
	s = strings.TrimSpace(s)
	var arr [64]byte
	if len(s) >= len(arr) {
		return m.keyID(foldKey(s))
	}
	b := append(arr[:0], 0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return m.keyID(foldKey(s))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	if len(b) == 1 {
		return 0, false // foldKey("") is no key
	}
	return m.keyID(string(b)) // a lookup: the conversion does not allocate
}

// NameNamesNode is NamesNode(nm.Text, n).
func (m *Matcher) NameNamesNode(nm *Name, n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(nm.Text), n.ID) {
		return true
	}
	ni := m.node(n)
	return variantsMeet(nm.variants, ni.idVariants) || variantsMeet(nm.variants, ni.labelVariants)
}

// NodeVariants returns KeyVariants(n.ID) and KeyVariants(n.Label),
// memoised: for a node of the graph m uses (UseGraph), its shared record,
// without hashing its names.
func (m *Matcher) NodeVariants(n *mermaid.Node) (id, label []string) {
	ni := m.node(n)
	return ni.idVariants, ni.labelVariants
}
