package diagnostics

import "strings"

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
	// Terms that need a word start are tried only there (most offsets are
	// inside words); one table lookup per byte decides whether any term
	// can start at it.
	atStart, anywhere [256][]int
	flags             [256]uint8
}

const (
	fAnywhere = 1 << iota
	fAtStart
	fWord
)

func newTermSet(terms []term) *termSet {
	ts := &termSet{terms: terms}
	for b := range ts.flags {
		if isTermByte(byte(b)) {
			ts.flags[b] = fWord
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

func (ts *termSet) scan(text string, hit func(k, i int) bool) {
	inWord := false
	for i := 0; i < len(text); i++ {
		b := text[i]
		f := ts.flags[b]
		if f&fAnywhere == 0 && (inWord || f&fAtStart == 0) {
			inWord = f&fWord != 0
			continue
		}
		cands := ts.anywhere[b]
		if !inWord {
			if len(cands) == 0 {
				cands = ts.atStart[b]
			} else {
				cands = append(append([]int(nil), cands...), ts.atStart[b]...)
			}
		}
		inWord = f&fWord != 0
		for _, k := range cands {
			t := ts.terms[k]
			// The second byte first: it rules out most candidates.
			if len(t.s) > 1 && (i+1 >= len(text) || text[i+1] != t.s[1]) || !strings.HasPrefix(text[i:], t.s) {
				continue
			}
			end := i + len(t.s)
			if t.right && end < len(text) && isTermByte(text[end]) {
				continue
			}
			if !hit(k, i) {
				return
			}
		}
	}
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

var reviewTermSet = newTermSet(reviewTerms)

// says reports whether the evidence holds one of terms. The first call
// scans the evidence once for every review term.
func (a *analysis) says(terms []term) bool {
	if a.termHits == nil {
		a.termHits = map[term]bool{}
		reviewTermSet.scan(a.evidence, func(k, _ int) bool {
			a.termHits[reviewTerms[k]] = true
			return len(a.termHits) < len(reviewTerms)
		})
	}
	for _, t := range terms {
		if a.termHits[t] {
			return true
		}
	}
	return false
}
