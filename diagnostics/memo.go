package diagnostics

import (
	"strconv"
	"sync"
	"unsafe"

	"github.com/specls/specls/internal/cache"
	"github.com/specls/specls/spec"
)

// Memo keeps the findings of the rules that read one document alone (its
// template match, placeholders and, for a PRD, the PRD rules), kept per
// path for the parsed document last checked there. A language server that
// re-checks a feature on every keystroke in the tech spec gets the PRD's
// findings back instead of recomputing them, as long as it hands the
// engine the same parsed PRD (spec.Cache does). Only the last version of
// a path is kept: each keystroke makes a new document, and keeping the
// older ones (a document with its text and models weighs about 250 KB at
// 2,000 lines) doubled the live heap, for entries no check asks for again,
// and evicted the other features' documents after 16 keystrokes. For the document being edited it keeps the results
// of the rules that read one piece of the text at a time (pieces.go),
// keyed by the piece's text, so that only the edited piece is scanned
// again; and what two cross-section rules compute from one artifact at a
// time, keyed by exactly what they read: a graph node's spellings (by its
// names) and a service's missing aspects (by its body's evidence text).
// Lifetime: per configuration. A Memo belongs to one configuration
// and set of templates; its owner makes a new one when they change. It
// holds the findings of the Size paths (16 when 0) and the results of the Pieces
// pieces, nodes and services (4096 each when 0) used last, and is safe for
// concurrent use.
type Memo struct {
	Size   int
	Pieces int

	once    sync.Once
	byPath  *cache.LRU[string, docFindings]
	holders *cache.LRU[holderKey, []Placeholder]
	hits    *cache.LRU[termKey, []termHit]
	codes   *cache.LRU[cache.Digest, spans]
	spells  *cache.LRU[string, []string]
	gaps    *cache.LRU[gapKey, []string]
}

// docFindings are the one-document findings of doc.
type docFindings struct {
	doc *spec.Document
	fs  []Finding
}

// gapKey is what serviceGaps reads of a service: the evidence text of its
// body and, for each aspect a code block can state, whether one starts in
// its section (bit i for serviceAspects[i]).
type gapKey struct {
	body   cache.Digest
	blocks uint64
}

func (m *Memo) docs() *cache.LRU[string, docFindings] {
	if m == nil {
		return nil
	}
	m.once.Do(func() {
		size := m.Size
		if size <= 0 {
			size = 16
		}
		m.byPath = cache.New[string, docFindings](size)
		pieces := m.Pieces
		if pieces <= 0 {
			pieces = 4096
		}
		m.holders = cache.New[holderKey, []Placeholder](pieces)
		m.hits = cache.New[termKey, []termHit](pieces)
		m.codes = cache.New[cache.Digest, spans](pieces)
		m.spells = cache.New[string, []string](pieces)
		m.gaps = cache.New[gapKey, []string](pieces)
	})
	return m.byPath
}

// pieces returns the placeholders of pieces; nil without a memo.
func (m *Memo) pieces() *cache.LRU[holderKey, []Placeholder] {
	if m.docs() == nil {
		return nil
	}
	return m.holders
}

// get returns the findings of d when d is the document last checked at
// its path.
func (m *Memo) get(d *spec.Document) ([]Finding, bool) {
	e, ok := m.docs().Get(d.Path)
	if !ok || e.doc != d {
		return nil, false
	}
	return e.fs, true
}

// put keeps the findings of d, in place of those of any other document
// at its path.
func (m *Memo) put(d *spec.Document, fs []Finding) {
	m.docs().Add(d.Path, docFindings{doc: d, fs: append([]Finding(nil), fs...)})
}

// termHits returns the term hits of chunks; nil without a memo.
func (m *Memo) termHits() *cache.LRU[termKey, []termHit] {
	if m.docs() == nil {
		return nil
	}
	return m.hits
}

// spans returns the inline code spans of pieces; nil without a memo.
func (m *Memo) spans() *cache.LRU[cache.Digest, spans] {
	if m.docs() == nil {
		return nil
	}
	return m.codes
}

// spellings returns compute(), kept under key: the ways a graph node's
// names are written (nameForms, mentionCandidates), which depend on the
// names alone and cost a sixth of a check when made again on every
// keystroke. The slice is shared: callers must not modify it. Without a
// memo it is computed each time.
// The key is kind and names (spellKey), made only when there is a memo.
func (m *Memo) spellings(kind string, names []string, compute func() []string) []string {
	if m.docs() == nil {
		return compute()
	}
	return m.spells.Do(spellKey(kind, names), compute)
}

// serviceGaps is serviceGaps kept per service under its body's evidence
// text: normalising every service's body was the largest allocation of a
// check after the evidence itself. The slice is shared.
func (m *Memo) serviceGaps(evidence string, d *spec.Document, sec *spec.Section) []string {
	if m.docs() == nil {
		return serviceGaps(evidence, d, sec)
	}
	b := sec.Body()
	key := gapKey{body: cache.DigestOf(evidence[b.Start:b.End])}
	for i, asp := range serviceAspects {
		if asp.block != "" && hasBlockIn(d, sec, asp.block) {
			key.blocks |= 1 << i
		}
	}
	return m.gaps.Do(key, func() []string { return serviceGaps(evidence, d, sec) })
}

// spellKey is the key of a kind of spellings of names: each name with its
// length, so that no two lists of names share a key.
func spellKey(kind string, names []string) string {
	size := len(kind)
	for _, n := range names {
		size += len(n) + 8
	}
	b := make([]byte, 0, size)
	b = append(b, kind...)
	for _, n := range names {
		b = strconv.AppendInt(b, int64(len(n)), 10)
		b = append(b, ':')
		b = append(b, n...)
	}
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not written again

}

// checkDocuments runs the one-document rules over every document of the
// feature, through the memo.
func checkDocuments(c *Context) {
	for _, d := range c.Feature.Docs() {
		if fs, ok := c.Memo.get(d); ok {
			c.findings = append(c.findings, fs...)
			continue
		}
		n := len(c.findings)
		checkTemplate(c, d)
		if d == c.Feature.PRD {
			checkPRD(c)
		}
		c.Memo.put(d, c.findings[n:])
	}
}

// The errors of proto and YAML blocks depend on the block's text alone,
// and compiling them is the costliest part of a check, so both follow one
// policy. Lifetime: per process; between two keystrokes most blocks do not
// change, in any feature, under any configuration. Keyed by the block's
// digest, so that a large block is not kept; the 512 blocks used last.
var (
	protoResults = cache.New[cache.Digest, []protoError](512)
	yamlResults  = cache.New[cache.Digest, yamlResult](512)
)

type yamlResult struct {
	msg  string
	line int
}

// protoErrors parses a proto file and checks what can be checked without
// its imports (field numbers, labels, reserved ranges); at most 5 errors.
func protoErrors(src string) []protoError {
	return protoResults.Do(cache.DigestOf(src), func() []protoError { return compileProto(src) })
}

// yamlErrorOf is yamlError through the cache.
func yamlErrorOf(src string) (string, int) {
	r := yamlResults.Do(cache.DigestOf(src), func() yamlResult {
		msg, line := yamlError(src)
		return yamlResult{msg, line}
	})
	return r.msg, r.line
}
