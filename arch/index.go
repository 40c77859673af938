package arch

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/specls/specls/mermaid"
)

// Matching every table row with every graph node is quadratic, and specs
// with thousands of edges exist (generated ones, monorepo-wide graphs).
// NameIndex makes it linear: entries are filed under the keys a name
// matches by (its key variants, and its case-folded text for the exact-ID
// test of NamesNode), and a lookup returns only the entries that share a
// key with the query. Callers still confirm each candidate with the exact
// test, so an index never changes what matches, only how fast.

// NameKeys returns the keys under which a name (a cell, a heading) is
// filed: its key variants and its trimmed, case-folded text.
func (m *Matcher) NameKeys(name string) []string {
	in := m.info(name)
	if in.keys == nil {
		in.keys = appendKeys(nil, in.variants, foldKey(name))
	}
	return in.keys
}

// NodeKeys returns the keys of a graph node: the key variants of its ID
// and its label, and its case-folded ID.
func (m *Matcher) NodeKeys(n *mermaid.Node) []string {
	ni := m.node(n)
	if ni.keys == nil {
		// NameKeys(n.ID), then the label's variants, in one list.
		keys := make([]string, 0, len(ni.idVariants)+1+len(ni.labelVariants))
		keys = appendKeys(keys, ni.idVariants, foldKey(n.ID))
		ni.keys = appendKeys(keys, ni.labelVariants, "")
	}
	return ni.keys
}

// NameKeyIDs is NameKeys with each key numbered (KeyIndex).
func (m *Matcher) NameKeyIDs(name string) []int32 {
	in := m.info(name)
	if in.ids == nil {
		in.ids = m.intern(m.NameKeys(name))
	}
	return in.ids
}

// NodeKeyIDs is NodeKeys with each key numbered (KeyIndex).
func (m *Matcher) NodeKeyIDs(n *mermaid.Node) []int32 {
	ni := m.node(n)
	if ni.ids == nil {
		ni.ids = m.intern(m.NodeKeys(n))
	}
	return ni.ids
}

func (m *Matcher) intern(keys []string) []int32 {
	if f := m.beforeNumbering; f != nil {
		m.beforeNumbering = nil
		f()
	}
	if m.keyIDs == nil {
		m.keyIDs = map[string]int32{}
	}
	ids := make([]int32, len(keys))
	for i, k := range keys {
		if id, ok := m.baseKey(k); ok {
			ids[i] = id
			continue
		}
		id, ok := m.keyIDs[k]
		if !ok {
			id = int32(m.baseKeys() + len(m.keyIDs))
			m.keyIDs[k] = id
		}
		ids[i] = id
	}
	return ids
}

// baseKey returns the number of a key of the shared graph names.
func (m *Matcher) baseKey(k string) (int32, bool) {
	if m.base == nil {
		return 0, false
	}
	return m.base.keyIDs.get(k)
}

func (m *Matcher) baseKeys() int {
	if m.base == nil {
		return 0
	}
	return m.base.keyIDs.len()
}

// KeyIndex is NameIndex over the numbered keys of one Matcher: entries
// are found by indexing a slice, not by hashing strings.
type KeyIndex struct {
	first []int32 // by key number: the first entry + 1, 0 for none
	more  map[int32][]int
}

// NewKeyIndex returns a KeyIndex with room for keys numbered below n
// (Matcher.KeyCount).
func NewKeyIndex(n int) *KeyIndex { return &KeyIndex{first: make([]int32, n)} }

// KeyCount is the number of keys m has numbered.
func (m *Matcher) KeyCount() int { return m.baseKeys() + len(m.keyIDs) }

// Add files entry i under keys; entries must be added in increasing order.
func (x *KeyIndex) Add(i int, keys []int32) {
	for _, k := range keys {
		if int(k) >= len(x.first) {
			x.first = slices.Grow(x.first, int(k)+1-len(x.first))
			x.first = x.first[:cap(x.first)]
		}
		switch f := x.first[k]; {
		case f == 0:
			x.first[k] = int32(i) + 1
		case int(f)-1 == i:
		default:
			if x.more == nil {
				x.more = map[int32][]int{}
			}
			l := x.more[k]
			if len(l) == 0 || l[len(l)-1] != i {
				x.more[k] = append(l, i)
			}
		}
	}
}

// Candidates appends to dst the entries filed under any of keys, in order.
func (x *KeyIndex) Candidates(dst []int, keys []int32) []int {
	out := dst
	lists := 0
	for _, k := range keys {
		if int(k) >= len(x.first) || x.first[k] == 0 {
			continue
		}
		lists++
		out = append(out, int(x.first[k])-1)
		out = append(out, x.more[k]...)
	}
	return sortedCandidates(dst, out, lists)
}

func appendKeys(keys, variants []string, fold string) []string {
	for _, v := range variants {
		if v != "" && !slices.Contains(keys, v) {
			keys = append(keys, v)
		}
	}
	if fold != "\x00" && fold != "" {
		keys = append(keys, fold)
	}
	return keys
}

// foldKey is the key of NamesNode's case-insensitive ID test; the NUL
// keeps it apart from key variants.
func foldKey(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return "\x00" + strings.ToLower(strings.ToUpper(s))
		}
	}
	// ASCII: one copy, lower-cased as it is made.
	var b strings.Builder
	b.Grow(1 + len(s))
	b.WriteByte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// PairKeys returns the keys of an ordered pair of names (a matrix row's
// From and To): every key of the first joined with every key of the second.
func PairKeys(from, to []string) []string {
	out := make([]string, 0, len(from)*len(to))
	for _, f := range from {
		for _, t := range to {
			out = append(out, f+"\x01"+t)
		}
	}
	return out
}

// Index files entries (numbered in order) under keys. Most keys hold
// one entry, kept in first without a slice of its own.
type Index[K comparable] struct {
	first map[K]int32
	more  map[K][]int
}

// NameIndex is an Index over string keys (NameKeys, NodeKeys, PairKeys).
type NameIndex = Index[string]

// PairIndex is an Index over 64-bit keys (PairKeyIDs, KeyIDs).
type PairIndex = Index[uint64]

// Reserve makes room for about n keys before the first Add: an index of
// hundreds of thousands of keys then does not grow its map step by step.
func (x *Index[K]) Reserve(n int) {
	if x.first == nil {
		x.first = make(map[K]int32, n)
	}
}

// Add files entry i under keys; entries must be added in increasing order.
func (x *Index[K]) Add(i int, keys []K) {
	if x.first == nil {
		x.first = map[K]int32{}
	}
	for _, k := range keys {
		f, ok := x.first[k]
		switch {
		case !ok:
			x.first[k] = int32(i)
		case int(f) == i:
		default:
			if x.more == nil {
				x.more = map[K][]int{}
			}
			l := x.more[k]
			if len(l) == 0 || l[len(l)-1] != i {
				x.more[k] = append(l, i)
			}
		}
	}
}

// Candidates appends to dst the entries filed under any of keys, in order.
func (x *Index[K]) Candidates(dst []int, keys []K) []int {
	out := dst
	lists := 0
	for _, k := range keys {
		f, ok := x.first[k]
		if !ok {
			continue
		}
		lists++
		out = append(out, int(f))
		out = append(out, x.more[k]...)
	}
	return sortedCandidates(dst, out, lists)
}

// sortedCandidates puts the entries appended after dst in order, without
// repeats, when they came from more than one key's list.
func sortedCandidates(dst, out []int, lists int) []int {
	if lists > 1 {
		c := out[len(dst):]
		slices.Sort(c)
		out = out[:len(dst)+len(slices.Compact(c))]
	}
	return out
}

// ServiceIndex finds the service a node or name stands for in time that
// does not grow with the number of services: NodeService and FindService
// for many lookups.
type ServiceIndex struct {
	m    *Matcher
	svcs []*Service
	x    NameIndex
}

// NewServiceIndex indexes services; m memoises name splitting (nil: a
// fresh one).
func NewServiceIndex(svcs []*Service, m *Matcher) *ServiceIndex {
	if m == nil {
		m = &Matcher{}
	}
	ix := &ServiceIndex{m: m, svcs: svcs}
	for i, s := range svcs {
		m.seed(s.Name, s.Variants())
		ix.x.Add(i, m.NameKeys(s.Name))
	}
	return ix
}

// Node returns NodeService(n, services).
func (ix *ServiceIndex) Node(n *mermaid.Node) *Service {
	if n == nil {
		return nil
	}
	for _, i := range ix.x.Candidates(nil, ix.m.NodeKeys(n)) {
		if ix.m.NamesNode(ix.svcs[i].Name, n) {
			return ix.svcs[i]
		}
	}
	return nil
}

// Name returns FindService(services, name).
func (ix *ServiceIndex) Name(name string) *Service {
	for _, i := range ix.x.Candidates(nil, ix.m.NameKeys(name)) {
		if ix.m.SameService(ix.svcs[i].Name, name) {
			return ix.svcs[i]
		}
	}
	return nil
}

// PairKeyIDs are the numbered keys of an ordered pair of names (a matrix
// row's From and To), as PairKeys but without joining strings: every key
// of the first with every key of the second, packed in 64 bits.
func PairKeyIDs(from, to []int32) []uint64 {
	out := make([]uint64, 0, len(from)*len(to))
	for _, f := range from {
		for _, t := range to {
			out = append(out, uint64(uint32(f))<<32|uint64(uint32(t)))
		}
	}
	return out
}

// KeyIDs widens numbered keys for a PairIndex (one name's keys).
func KeyIDs(ids []int32) []uint64 {
	out := make([]uint64, len(ids))
	for i, id := range ids {
		out[i] = uint64(uint32(id))
	}
	return out
}
