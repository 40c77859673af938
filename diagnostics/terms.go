package diagnostics

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/specls/specls/internal/cache"
)

// term is a lower-case word or phrase searched in lower-cased text by
// scanTerms (fast on every keystroke, unlike regexps with \b over a whole
// document). Left and right ask for a word boundary there.
type term struct {
	s           string
	left, right bool
}

// w is a whole word or phrase; p a word start ("retr" matches "retries").
func w(s string) term { return term{s, true, true} }
func p(s string) term { return term{s, true, false} }

// scanTerms calls hit(k, i) for each occurrence, at offset i, of terms[k]
// in text that has the boundaries the term asks for, in text order, until
// hit returns false. It is one pass over text whatever the number of
// terms: the review rules ask for dozens of terms in a 100 KB spec on
// every keystroke, and a substring search per term was a fifth of a check.
func scanTerms(text string, terms []term, hit func(k, i int) bool) {
	newTermSet(terms).scan(text, hit)
}

// termSet is a list of terms indexed for scanTerms; the fixed lists are
// indexed once.
type termSet struct {
	terms []term
	// key identifies the terms in the memo; lines is false when a term
	// holds a line break, and the text is then never scanned in chunks.
	key   cache.Digest
	lines bool
	// Terms that need a word start are tried only there (most offsets are
	// inside words); one table lookup per byte decides whether any term
	// can start at it.
	atStart, anywhere [256][]int
	flags             [256]uint8
	// heads has the bit of headHash of the three bytes each term starts
	// with (of every byte after a shorter term): a Bloom filter.
	heads [headBits / 64]uint64
}

const headBits = 1 << 14

// headHash maps three bytes to a bit of termSet.heads.
func headHash(a, b, c byte) uint {
	return (uint(a)*961 + uint(b)*31 + uint(c)) & (headBits - 1)
}

const (
	fAnywhere = 1 << iota
	fAtStart
	fWord
)

// termsKey returns the key that identifies terms in the memo, and
// whether no term holds a line break.
func termsKey(terms []term) (key cache.Digest, lines bool) {
	// The key writes each term as its length, its boundaries and its
	// text, so that no two lists of terms write the same.
	// The key's text is built in a stack buffer when it fits (lists of a
	// few dozen terms do).
	var buf [1024]byte
	b := buf[:0]
	lines = true
	for _, t := range terms {
		b = strconv.AppendInt(b, int64(len(t.s)), 10)
		b = append(b, byte('a'+b2i(t.left)+2*b2i(t.right)))
		b = append(b, t.s...)
		lines = lines && !strings.ContainsAny(t.s, "\r\n")
	}
	return cache.DigestOf(unsafe.String(unsafe.SliceData(b), len(b))), lines
}

func newTermSet(terms []term) *termSet {
	ts := &termSet{terms: terms}
	ts.key, ts.lines = termsKey(terms)
	for b := range ts.flags {
		if isTermByte(byte(b)) {
			ts.flags[b] = fWord
		}
	}
	for _, t := range terms {
		switch {
		case t.s == "":
		case len(t.s) == 1:
			for b := range 256 {
				for c := range 256 {
					ts.setHead(t.s[0], byte(b), byte(c))
				}
			}
		case len(t.s) == 2:
			for c := range 256 {
				ts.setHead(t.s[0], t.s[1], byte(c))
			}
		default:
			ts.setHead(t.s[0], t.s[1], t.s[2])
		}
	}
	for k, t := range terms {
		switch {
		case t.s == "":
		case t.left:
			ts.atStart[t.s[0]] = append(ts.atStart[t.s[0]], k)
			ts.flags[t.s[0]] |= fAtStart
		default:
			ts.anywhere[t.s[0]] = append(ts.anywhere[t.s[0]], k)
			ts.flags[t.s[0]] |= fAnywhere
		}
	}
	return ts
}

// scan reads text eight bytes at a time: the flags of a block's bytes make
// one word, from which a few bit operations give, without a branch per
// byte, the offsets where a term may start (a byte of fAnywhere, or one
// of fAtStart after a byte that is not part of a word), instead of a
// branch per byte that went the other way at most word starts.
func (ts *termSet) scan(text string, hit func(k, i int) bool) {
	const ones = 0x0101010101010101
	flags := &ts.flags
	var prev uint64 // 1 when the byte before the block is part of a word
	i := 0
	for ; i+8 <= len(text); i += 8 {
		x := uint64(flags[text[i]]) | uint64(flags[text[i+1]])<<8 | uint64(flags[text[i+2]])<<16 | uint64(flags[text[i+3]])<<24 |
			uint64(flags[text[i+4]])<<32 | uint64(flags[text[i+5]])<<40 | uint64(flags[text[i+6]])<<48 | uint64(flags[text[i+7]])<<56
		word := x >> 2 & ones // fWord
		after := word<<8 | prev
		prev = word >> 56
		cands := x&ones | x>>1&ones&^after // fAnywhere, or fAtStart at a word start
		for ; cands != 0; cands &= cands - 1 {
			j := i + bits.TrailingZeros64(cands)>>3
			if ts.mayStart(text, j) && !ts.tryAt(text, j, after>>(uint(j-i)*8)&1 != 0, hit) {
				return
			}
		}
	}
	inWord := prev != 0
	for ; i < len(text); i++ {
		f := flags[text[i]]
		if (f&fAnywhere != 0 || !inWord && f&fAtStart != 0) && ts.mayStart(text, i) && !ts.tryAt(text, i, inWord, hit) {
			return
		}
		inWord = f&fWord != 0
	}
}

// mayStart reports whether a term may start at offset i of text: most
// word starts begin no term with their first three bytes, and one bit of
// heads says so before the candidates are tried.
func (ts *termSet) mayStart(text string, i int) bool {
	if i+2 >= len(text) {
		return true
	}
	k := headHash(text[i], text[i+1], text[i+2])
	return ts.heads[k>>6]&(1<<(k&63)) != 0
}

// tryAt calls hit for the terms that occur at offset i of text, given
// whether the byte before i is part of a word; it returns false when hit
// does.
func (ts *termSet) tryAt(text string, i int, inWord bool, hit func(k, i int) bool) bool {
	b := text[i]
	cands := ts.anywhere[b]
	if !inWord {
		if len(cands) == 0 {
			cands = ts.atStart[b]
		} else {
			cands = append(append([]int(nil), cands...), ts.atStart[b]...)
		}
	}
	for _, k := range cands {
		t := &ts.terms[k]
		// The second byte first: it rules out most candidates.
		if len(t.s) > 1 && (i+1 >= len(text) || text[i+1] != t.s[1]) || !strings.HasPrefix(text[i:], t.s) {
			continue
		}
		end := i + len(t.s)
		if t.right && end < len(text) && isTermByte(text[end]) {
			continue
		}
		if !hit(k, i) {
			return false
		}
	}
	return true
}

func (ts *termSet) setHead(a, b, c byte) {
	k := headHash(a, b, c)
	ts.heads[k>>6] |= 1 << (k & 63)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// termHit is one occurrence found by a scan: the term and its offset.
type termHit struct{ k, i int32 }

// termKey identifies the hits of one set of terms in one chunk of text.
type termKey struct{ terms, text cache.Digest }

// scanWith is scan through the memo: the text is cut into chunks (see
// chunkEnd), and the hits of each chunk are kept by its text. An edit
// then scans the chunk it touched only; the hits of the others are
// replayed, in the same order, through hit. A hit never spans two chunks:
// no term holds a line break, and a scan starts each line outside a word.
// Without a memo it is scan.
func (ts *termSet) scanWith(m *Memo, text string, hit func(k, i int) bool) {
	if m.termHits() == nil || !ts.lines {
		ts.scan(text, hit)
		return
	}
	ts.scanChunks(m, text, hit)
}

// scanChunks is scanWith with a memo: each chunk's hits are kept by the
// chunk's text.
func (ts *termSet) scanChunks(m *Memo, text string, hit func(k, i int) bool) {
	hits := m.termHits()
	head := 0 // the next cut before a line that starts with "#"
	for start := 0; start < len(text); {
		if head <= start {
			head = nextHead(text, start)
		}
		end := chunkEnd(text, start, head)
		chunk := text[start:end]
		found := hits.Do(termKey{ts.key, cache.DigestOf(chunk)}, func() []termHit {
			var out []termHit
			ts.scan(chunk, func(k, i int) bool {
				out = append(out, termHit{int32(k), int32(i)})
				return true
			})
			return out
		})
		for _, h := range found {
			if !hit(int(h.k), start+int(h.i)) {
				return
			}
		}
		start = end
	}
}

// chunkMin is the length past which a chunk of a long section ends at a
// blank line.
var chunkMin = 2048

// chunkEnd returns the end of the chunk that starts at start, given head,
// the next cut before a line that starts with "#" (a heading, most
// often): head, or, in a long section, the start of the first blank line
// chunkMin bytes or more in. The cuts depend on the text near them only,
// so that they stay where they were while the user types: an edit changes
// its own chunk, and the chunks after it within the section only when it
// moves a blank line across the chunkMin mark. Any cut after a line break
// keeps a scan exact.
func chunkEnd(text string, start, head int) int {
	for k := start + chunkMin; k < head; {
		j := strings.IndexByte(text[k:head], '\n')
		if j < 0 {
			break
		}
		k += j + 1
		if k < head && text[k] == '\n' || k+1 < head && text[k] == '\r' && text[k+1] == '\n' {
			return k // the blank line (LF or CRLF) starts the next chunk
		}
	}
	return head
}

// nextHead returns the offset after start of the next line that starts
// with "#", or the end of text.
func nextHead(text string, start int) int {
	if j := strings.Index(text[start+1:], "\n#"); j >= 0 {
		return start + 1 + j + 1
	}
	return len(text)
}

func isTermByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// Terms that count as a statement of each review topic (Gate F).
var (
	resilienceTerms = []term{p("timeout"), p("deadline"), p("retry"), p("retries"), p("retried"), p("retrying"), p("circuit breaker"), p("circuit-breaker"),
		p("circuitbreaker"), p("circuit_breaker"), {"@circuit", false, false}, p("backoff"), p("back-off"), p("bulkhead")}
	metricsTerms = []term{p("prometheus"), w("metric"), w("metrics"), p("grafana"), p("statsd"), p("datadog"), {"/metrics", false, false}}
	tracingTerms = []term{w("tracing"), w("trace"), w("traces"), p("opentelemetry"), w("otel"), p("jaeger"), w("tempo"), p("zipkin"), p("trace id"),
		p("trace_id"), p("trace-id"), p("traceparent")}
	loggingTerms = []term{p("structlog"), p("structured log"), p("structured-log"), p("json log"), p("log aggregation"), w("loki"), p("logstash"),
		p("fluent-bit"), p("fluentbit"), p("fluentd"), p("correlation id"), p("correlation-id"), p("correlation_id"), p("request id"), p("request-id"),
		p("request_id"), w("logging"), p("structured json"), p("structured line"), p("json lines"), w("slog"), w("zap"), w("zerolog"), w("logrus"),
		w("serilog"), w("pino"), w("winston"), w("bunyan"), w("nlog"), w("log4j"), w("logback")}
)

// reviewTerms are every term the rules look for in a tech spec's evidence:
// one pass finds them all (see (*analysis).says).
var reviewTerms = func() []term {
	var all []term
	for _, ts := range [][]term{resilienceTerms, metricsTerms, tracingTerms, loggingTerms, uvTerms} {
		all = append(all, ts...)
	}
	return all
}()

// reviewIndex is the index of each review term in reviewTerms.
var reviewIndex = sync.OnceValue(func() map[term]int {
	m := make(map[term]int, len(reviewTerms))
	for k, t := range reviewTerms {
		if _, ok := m[t]; !ok {
			m[t] = k
		}
	}
	return m
})

// evidenceTerms are the review terms followed by the literals of
// checkPython's patterns: both read the evidence, and one scan of it finds
// the terms of both (two scans were 5 % of a check).
var evidenceTerms = append(slices.Clip(reviewTerms), pythonLiterals...)

// evidenceTermSet is built on first use, as every term set held in a
// package-level variable: its tables (12 KB) would otherwise be built at
// every start of specls.
var evidenceTermSet = sync.OnceValue(func() *termSet { return newTermSet(evidenceTerms) })

// evidenceHits are the hits of evidenceTerms in a tech spec's evidence.
type evidenceHits struct {
	review []bool    // review[k]: reviewTerms[k] occurs
	python []termHit // the hits of pythonLiterals (k indexes them), in text order
}

// evidenceHits scans the evidence for evidenceTerms on first use.
func (a *analysis) evidenceHits() *evidenceHits {
	if a.termHits != nil {
		return a.termHits
	}
	h := &evidenceHits{review: make([]bool, len(reviewTerms))}
	evidenceTermSet().scanWith(a.memo, a.evidence, func(k, i int) bool {
		if k < len(reviewTerms) {
			h.review[k] = true
		} else {
			h.python = append(h.python, termHit{int32(k - len(reviewTerms)), int32(i)})
		}
		return true
	})
	a.termHits = h
	return h
}

// says reports whether the evidence holds one of terms.
func (a *analysis) says(terms []term) bool {
	h, index := a.evidenceHits(), reviewIndex()
	for _, t := range terms {
		if k, ok := index[t]; ok && h.review[k] {
			return true
		}
	}
	return false
}
