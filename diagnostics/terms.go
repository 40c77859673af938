package diagnostics

import "strings"

// term is a lower-case word or phrase searched in lower-cased text with
// plain substring search (fast on every keystroke, unlike regexps with \b
// over a whole document). Left and right ask for a word boundary there.
type term struct {
	s           string
	left, right bool
}

// w is a whole word or phrase; p a word start ("retr" matches "retries").
func w(s string) term { return term{s, true, true} }
func p(s string) term { return term{s, true, false} }

// hasTerm reports whether text holds one of the terms, at word boundaries
// as asked.
func hasTerm(text string, terms []term) bool {
	for _, t := range terms {
		if termAt(text, t, 0) >= 0 {
			return true
		}
	}
	return false
}

// termAt returns the offset of the first match of t in text at or after
// from, or -1.
func termAt(text string, t term, from int) int {
	for from <= len(text) {
		i := strings.Index(text[from:], t.s)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(t.s)
		if (!t.left || i == 0 || !isTermByte(text[i-1])) && (!t.right || end == len(text) || !isTermByte(text[end])) {
			return i
		}
		from = i + 1
	}
	return -1
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
		p("request_id"), w("logging")}
)
