package arch

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// This file is the one place that decides whether two names stand for the
// same service: a Service Definitions heading, a graph node's ID or label,
// a matrix or ownership cell, a phase's text, the word under the cursor.
// names_test.go holds the table of name pairs every consumer is tested
// against.

// SameService reports whether two names stand for the same service: their
// KeyVariants meet. "Orders Service", "Orders", "orders-service",
// "OrdersService" and "Orders API" are all one service; "Orders" and
// "Order Service" are not (no plural folding: "News" is not "New").
func SameService(a, b string) bool {
	return variantsMeet(KeyVariants(a), KeyVariants(b))
}

// variantsMeet reports whether two variant lists share a non-empty key.
func variantsMeet(va, vb []string) bool {
	for _, x := range va {
		if x != "" && Contains(vb, x) {
			return true
		}
	}
	return false
}

// NamesNode reports whether a name (a table cell, a heading, a word) names
// graph node n: it is the node's ID, or the same service as its ID or its
// label. So "Orders" and "Order Service" both name Orders[Order Service].
func NamesNode(name string, n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(name), n.ID) {
		return true
	}
	v := KeyVariants(name)
	return variantsMeet(v, KeyVariants(n.ID)) || variantsMeet(v, KeyVariants(n.Label))
}

// Matcher is SameService and NamesNode with the key variants of every name
// memoised: the rules and generators match every table row with every graph
// node, and splitting a name costs more than comparing its keys. The zero
// value is ready; it is not safe for concurrent use. Its lifetime is its
// owner's (one check, one code-action request).
type Matcher struct {
	memo  map[string]*nameInfo
	nodes map[*mermaid.Node]*nodeInfo
	// keyIDs numbers every key once (KeyIndex): an index over numbers
	// looks its entries up without hashing strings.
	keyIDs map[string]int32
	slab   []nameInfo // nameInfos, allocated in blocks
	// slabLen is the length of the last block: the first has 16, each
	// next one twice as many up to 256, since a spec names a few dozen
	// things and a graph may name 100,000.
	slabLen int
	// base is the dependency graph's shared names (UseGraph): its nodes'
	// records, and the numbers of their keys, which come before the
	// numbers of keyIDs.
	base *graphNames
	// beforeNumbering, when set, runs once before the first key is
	// numbered (a Model reads its graph then).
	beforeNumbering func()
	// arena and nameStrs hold the variants of Names (Name).
	arena    stringArena
	nameStrs []string
}

type nameInfo struct {
	variants []string
	keys     []string // NameKeys, built on first use
	forms    []string // NameForms, built on first use (not nil then)
	ids      []int32  // NameKeyIDs, built on first use
}

// nodeInfo is what a Matcher knows of a graph node: its ID's and label's
// names, and its keys.
type nodeInfo struct {
	idVariants, labelVariants []string
	keys                      []string // NodeKeys, built on first use
	ids                       []int32  // NodeKeyIDs, built on first use
}

func (m *Matcher) newInfo(variants []string) *nameInfo {
	if len(m.slab) == 0 {
		m.slabLen = min(max(2*m.slabLen, 16), 256)
		m.slab = make([]nameInfo, m.slabLen)
	}
	in := &m.slab[0]
	m.slab = m.slab[1:]
	in.variants = variants
	return in
}

func (m *Matcher) info(name string) *nameInfo {
	if in, ok := m.memo[name]; ok {
		return in
	}
	in := m.newInfo(KeyVariants(name))
	if m.memo == nil {
		m.memo = map[string]*nameInfo{}
	}
	m.memo[name] = in
	return in
}

// node returns the Matcher's record of n.
func (m *Matcher) node(n *mermaid.Node) *nodeInfo {
	if m.base != nil {
		if ni := m.base.node(n); ni != nil {
			return ni
		}
	}
	if ni, ok := m.nodes[n]; ok {
		return ni
	}
	ni := &nodeInfo{idVariants: m.info(n.ID).variants, labelVariants: m.info(n.Label).variants}
	if m.nodes == nil {
		m.nodes = map[*mermaid.Node]*nodeInfo{}
	}
	m.nodes[n] = ni
	return ni
}

// Reserve makes room for about names names, nodes graph nodes and keys
// keys: an index over a graph of 100,000 nodes then does not grow its maps
// step by step. It does nothing to maps already in use, nor to a Matcher
// that uses a graph's names (UseGraph): it has its nodes' already.
func (m *Matcher) Reserve(names, nodes, keys int) {
	if m.base != nil {
		return
	}
	if m.memo == nil {
		m.memo = make(map[string]*nameInfo, names)
	}
	if m.nodes == nil {
		m.nodes = make(map[*mermaid.Node]*nodeInfo, nodes)
	}
	if m.keyIDs == nil {
		m.keyIDs = make(map[string]int32, keys)
	}
}

// seed memoises variants already known for a name (a Service's).
func (m *Matcher) seed(name string, variants []string) {
	if _, ok := m.memo[name]; !ok {
		if m.memo == nil {
			m.memo = map[string]*nameInfo{}
		}
		m.memo[name] = m.newInfo(variants)
	}
}

// KeyVariants is KeyVariants(name), memoised.
func (m *Matcher) KeyVariants(name string) []string { return m.info(name).variants }

// SameService is SameService(a, b), memoised.
func (m *Matcher) SameService(a, b string) bool {
	return variantsMeet(m.KeyVariants(a), m.KeyVariants(b))
}

// NamesNode is NamesNode(name, n), memoised.
func (m *Matcher) NamesNode(name string, n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	if strings.EqualFold(strings.TrimSpace(name), n.ID) {
		return true
	}
	v := m.KeyVariants(name)
	ni := m.node(n)
	return variantsMeet(v, ni.idVariants) || variantsMeet(v, ni.labelVariants)
}

// ServiceKey folds a service or node name for matching: camelCase split,
// parenthesised asides dropped, lower-cased, a trailing "service"/"svc"
// dropped, the words joined. "Auth Service", "auth-service", "AuthService"
// and "auth_svc" all give "auth".
func ServiceKey(name string) string {
	return KeyVariants(name)[0] // the first variant is the whole key
}

// keyWords are the words of a name that say which service it is: a
// trailing "service" and a leading "the" dropped.
func keyWords(name string) []string {
	words := trimServiceWord(NameWords(name))
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	return words
}

// KeyVariants returns ServiceKey(name) and the keys with qualifier words
// ("api", "core", ...) dropped from either end: two names stand for the same
// service when their variants meet.
func KeyVariants(name string) []string { return appendKeyVariants(nil, nil, name) }

// appendKeyVariants appends KeyVariants(name) to dst, its strings carved
// from a when a is not nil.
func appendKeyVariants(dst []string, a *stringArena, name string) []string {
	// The words are found in place in a buffer on the stack and only the
	// keys are allocated: every name of the graph and tables goes through
	// here once per check.
	var arr [64]byte
	buf, _ := appendNameWords(arr[:0], name)
	var spans [16]wordSpan
	w, ok := wordSpans(buf, spans[:0])
	if !ok || len(w) == 0 {
		// Many words, or all parenthesis.
		if dst == nil {
			return keyVariantsOf(name)
		}
		return append(dst, keyVariantsOf(name)...)
	}
	for len(w) > 1 && w[len(w)-1].in(buf, serviceSuffixes) {
		w = w[:len(w)-1]
	}
	if len(w) > 1 && string(buf[w[0].start:w[0].end]) == "the" {
		w = w[1:]
	}
	lead, trail := 0, 0
	for lead < len(w)-1 && w[lead].in(buf, qualifierWords) {
		lead++
	}
	for trail < len(w)-1 && w[len(w)-1-trail].in(buf, qualifierWords) {
		trail++
	}
	if dst == nil {
		dst = make([]string, 0, 1+lead+trail)
	}
	dst = append(dst, a.join(buf, w))
	for k := 1; k <= lead; k++ {
		dst = append(dst, a.join(buf, w[k:]))
	}
	for k := 1; k <= trail; k++ {
		dst = append(dst, a.join(buf, w[:len(w)-k]))
	}
	return dst
}

// stringArena carves strings from large blocks: the names of a graph of
// 100,000 nodes are not 200,000 allocations. A nil arena allocates each
// string.
type stringArena struct{ block []byte }

// grow gives the arena a new block with room for n bytes: 1 KB at first,
// each next block twice the last up to 64 KB (a spec's names fill one
// small block; a graph of 100,000 nodes, many large ones).
func (a *stringArena) grow(n int) {
	size := min(max(2*cap(a.block), 1<<10), 64<<10)
	a.block = make([]byte, 0, max(n, size))
}

// join is strings.Join of the words of buf, "".
func (a *stringArena) join(buf []byte, words []wordSpan) string {
	if a == nil {
		return joinSpans(buf, words)
	}
	n := 0
	for _, w := range words {
		n += w.end - w.start
	}
	if n == 0 {
		return ""
	}
	if n > cap(a.block)-len(a.block) {
		a.grow(n)
	}
	start := len(a.block)
	for _, w := range words {
		a.block = append(a.block, buf[w.start:w.end]...)
	}
	// The block is only ever appended to within its capacity: the bytes of
	// a string carved from it never change.
	return unsafe.String(&a.block[start], n)
}

// fold is foldKey(s), carved from the arena for an ASCII name.
func (a *stringArena) fold(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldKey(s)
		}
	}
	if 1+len(s) > cap(a.block)-len(a.block) {
		a.grow(1 + len(s))
	}
	start := len(a.block)
	a.block = append(a.block, 0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		a.block = append(a.block, c)
	}
	return unsafe.String(&a.block[start], 1+len(s))
}

// wordSpan is a word of a buffer appendNameWords wrote.
type wordSpan struct{ start, end int }

// in reports whether the word is in set (a lookup that copies nothing).
func (s wordSpan) in(buf []byte, set map[string]bool) bool { return set[string(buf[s.start:s.end])] }

// wordSpans appends the words of buf to spans; false when they do not fit
// its capacity.
func wordSpans(buf []byte, spans []wordSpan) ([]wordSpan, bool) {
	for i, j := nextWord(buf, 0); i < j; i, j = nextWord(buf, j) {
		if len(spans) == cap(spans) {
			return spans, false
		}
		spans = append(spans, wordSpan{i, j})
	}
	return spans, true
}

// nextWord returns the bounds of the first space-separated word of buf at
// or after i; start == end when none is left.
func nextWord(buf []byte, i int) (start, end int) {
	for i < len(buf) && buf[i] == ' ' {
		i++
	}
	j := i
	for j < len(buf) && buf[j] != ' ' {
		j++
	}
	return i, j
}

// joinSpans is strings.Join of the words, "": one allocation.
func joinSpans(buf []byte, words []wordSpan) string {
	if len(words) == 1 {
		return string(buf[words[0].start:words[0].end])
	}
	n := 0
	for _, w := range words {
		n += w.end - w.start
	}
	var b strings.Builder
	b.Grow(n)
	for _, w := range words {
		b.Write(buf[w.start:w.end])
	}
	return b.String()
}

// keyVariantsOf is KeyVariants on NameWords: for the names its fast path
// leaves out.
func keyVariantsOf(name string) []string {
	words := keyWords(name)
	out := []string{strings.Join(words, "")}
	w := words
	for len(w) > 1 && qualifierWords[w[0]] {
		w = w[1:]
		out = append(out, strings.Join(w, ""))
	}
	w = words
	for len(w) > 1 && qualifierWords[w[len(w)-1]] {
		w = w[:len(w)-1]
		out = append(out, strings.Join(w, ""))
	}
	return out
}

// trimServiceWord drops trailing words that only say "service".
func trimServiceWord(words []string) []string {
	for len(words) > 1 && serviceSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return words
}

// NameWords splits a name into lower-case words: camelCase and digits
// apart, parentheses and their content dropped, punctuation as spaces.
func NameWords(name string) []string {
	// One buffer, lower-cased as it is written, split on the spaces put in
	// it: the rules split every name of the graph, matrix, ownership and
	// phases, on every keystroke.
	var arr [64]byte
	buf, depth := appendNameWords(arr[:0], name)
	n := countWords(buf)
	if n == 0 {
		if depth == 0 {
			// A name that is all parenthesis: keep its words.
			return strings.Fields(spec.Normalize(name))
		}
		return nil
	}
	all := string(buf)
	words := make([]string, 0, n)
	for i, j := nextWord(buf, 0); i < j; i, j = nextWord(buf, j) {
		words = append(words, all[i:j])
	}
	return words
}

// appendNameWords appends name to buf lower-cased, with a space wherever
// NameWords splits it, and returns the parentheses left open.
func appendNameWords(buf []byte, name string) ([]byte, int) {
	depth := 0
	var prev rune
	for i := 0; i < len(name); {
		r, size := rune(name[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(name[i:])
		}
		i += size
		switch {
		case r == '(' || r == '[':
			depth++
			buf = append(buf, ' ')
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			buf = append(buf, ' ')
		case depth > 0:
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			buf = append(buf, byte(r))
		case 'A' <= r && r <= 'Z':
			if 'a' <= prev && prev <= 'z' || prev >= utf8.RuneSelf && unicode.IsLower(prev) {
				buf = append(buf, ' ')
			}
			buf = append(buf, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			buf = append(buf, ' ')
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			buf = append(buf, ' ')
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			buf = append(buf, ' ')
		}
		prev = r
	}
	return buf, depth
}

// countWords counts the space-separated words of buf.
func countWords(buf []byte) int {
	n := 0
	for i := range buf {
		if buf[i] != ' ' && (i == 0 || buf[i-1] == ' ') {
			n++
		}
	}
	return n
}

// NameForms returns the normalised phrases by which text may mention a
// named thing: "auth service" and "auth" for "Auth Service".
func NameForms(names ...string) []string {
	var out []string
	for _, n := range names {
		out = appendNameForms(out, n, ServiceKey(n))
	}
	return out
}

// appendNameForms appends to out the forms of one name, whose ServiceKey
// is key, that out does not hold yet.
func appendNameForms(out []string, n, key string) []string {
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	words := NameWords(n)
	add(strings.Join(words, " "))
	add(spec.Normalize(n))
	for len(words) > 1 && mentionSuffixes[words[len(words)-1]] {
		words = words[:len(words)-1]
		add(strings.Join(words, " "))
	}
	add(key)
	return out
}

// NameForms is NameForms(names...), each name's forms made once: the
// rules ask for those of every service and graph node, and a service's
// name is a node's too. With one name the slice is shared: callers must
// not modify it.
func (m *Matcher) NameForms(names ...string) []string {
	if len(names) == 1 {
		return m.nameForms(names[0])
	}
	var out []string
	for _, n := range names {
		for _, f := range m.nameForms(n) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

func (m *Matcher) nameForms(name string) []string {
	in := m.info(name)
	if in.forms == nil {
		// The variants memoised are KeyVariants(name): the first is its
		// ServiceKey.
		in.forms = appendNameForms(make([]string, 0, 4), name, in.variants[0])
	}
	return in.forms
}

// Mentions reports whether normalised text holds one of the normalised
// phrases as whole words.
func Mentions(text string, forms []string) bool {
	// Any match will do: the first phrase found ends the search (MentionAt
	// looks for the earliest of all).
	found := false
	for _, f := range forms {
		WordMatches(text, f, func(int, int) bool {
			found = true
			return false
		})
		if found {
			return true
		}
	}
	return false
}

// MentionAt returns the byte offset in normalised text of the first whole
// word match of any phrase, or -1.
func MentionAt(text string, forms []string) int {
	best := -1
	for _, f := range forms {
		WordMatches(text, f, func(i, _ int) bool {
			if best < 0 || i < best {
				best = i
			}
			return false
		})
	}
	return best
}

// WordMatches calls fn with the start and end of each whole-word match of
// phrase f in normalised text (words are separated by single spaces),
// until fn returns false.
func WordMatches(text, f string, fn func(start, end int) bool) {
	if f == "" {
		return
	}
	for from := 0; ; {
		i := strings.Index(text[from:], f)
		if i < 0 {
			return
		}
		i += from
		end := i + len(f)
		if (i == 0 || text[i-1] == ' ') && (end == len(text) || text[end] == ' ') && !fn(i, end) {
			return
		}
		from = i + 1
	}
}

// mentionsWords reports whether a name, split into words, mentions one of
// the phrases of a table as whole words: how a node or cell is tested
// against a word table.
func mentionsWords(name string, t *wordTable) bool {
	return mentionsTables(name, t, nil)&1 != 0
}

// mentionsTables is mentionsWords of t (bit 1) and of u, when not nil
// (bit 2), splitting the name once: every graph node is tested against
// two tables at a time.
func mentionsTables(name string, t, u *wordTable) int {
	// NameWords without its allocations: every graph node is tested
	// against several tables on every check. The words are looked up where
	// they lie in a buffer on the stack, then joined by single spaces in it.
	tables := [2]*wordTable{t, u}
	found := 0
	var arr [64]byte
	buf, depth := appendNameWords(arr[:0], name)
	n, joined := 0, 0
	for i := 0; i < len(buf); {
		for i < len(buf) && buf[i] == ' ' {
			i++
		}
		j := i
		for j < len(buf) && buf[j] != ' ' {
			j++
		}
		if j > i {
			for k, tb := range tables {
				if tb != nil && tb.single[string(buf[i:j])] {
					found |= 1 << k
				}
			}
			if n > 0 {
				buf[joined] = ' '
				joined++
			}
			joined += copy(buf[joined:], buf[i:j])
			n++
		}
		i = j
	}
	var text string // the words joined by spaces, when n == 0 (else in buf)
	if n == 0 && depth == 0 {
		words := NameWords(name) // all parenthesis
		for _, w := range words {
			for k, tb := range tables {
				if tb != nil && tb.single[w] {
					found |= 1 << k
				}
			}
		}
		n, text = len(words), strings.Join(words, " ")
	}
	if n < 2 {
		return found
	}
	for k, tb := range tables {
		if tb == nil || found&(1<<k) != 0 || len(tb.multi) == 0 {
			continue
		}
		if text == "" {
			// The words as they lie in buf, not copied: Mentions keeps
			// nothing of its text, and buf is not written after this.
			text = unsafe.String(&buf[0], joined)
		}
		if Mentions(text, tb.multi) {
			found |= 1 << k
		}
	}
	return found
}

// wordTable is a table of phrases made quick to test: its one-word phrases
// in a set, the others in a list. Every graph node is tested against
// several tables on every check.
type wordTable struct {
	single map[string]bool
	multi  []string
}

func newWordTable(phrases []string) *wordTable {
	t := &wordTable{single: map[string]bool{}}
	for _, p := range phrases {
		if strings.Contains(p, " ") {
			t.multi = append(t.multi, p)
		} else {
			t.single[p] = true
		}
	}
	return t
}

// Contains reports whether xs holds the non-empty x.
func Contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x && x != "" {
			return true
		}
	}
	return false
}
