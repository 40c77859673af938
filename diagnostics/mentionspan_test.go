package diagnostics

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/spec"
)

// mentionCandidatesRef is deployment-order's candidates as they were
// before the names' joined words (already among the forms) were dropped.
func mentionCandidatesRef(names, forms []string) []string {
	out := make([]string, 0, 2*len(names)+len(forms))
	for _, n := range names {
		out = append(out, strings.ToLower(n), strings.Join(nameWords(n), " "))
	}
	return append(out, forms...)
}

// TestMentionCandidatesSpan: the spans deployment-order reports are
// those of the candidates it used to look for.
func TestMentionCandidatesSpan(t *testing.T) {
	names := []string{"Auth Service", "auth", "AuthService", "Orders API", "the Orders", "Payment-Gateway", "PG", "Notification Svc", "DB (Postgres)",
		"Kafka", "order_events", "ÜberService", "HTTPServer", "API Gateway", "Gateway", "Redis", "Search", "Search Indexer"}
	words := []string{"deploy", "the", "auth", "service", "authservice", "orders", "api", "payment", "gateway", "payment-gateway", "pg", "notification",
		"svc", "db", "postgres", "kafka", "order_events", "order", "events", "überservice", "über", "http", "server", "httpserver", "redis", "search", "indexer",
		",", "(", ")", "phase", "1:", "and", "then"}
	r := rand.New(rand.NewSource(1))
	for range 2000 {
		ws := make([]string, 1+r.Intn(20))
		for i := range ws {
			ws[i] = words[r.Intn(len(words))]
			if r.Intn(5) == 0 {
				ws[i] = strings.ToUpper(ws[i][:1]) + ws[i][1:]
			}
		}
		src := "x " + strings.Join(ws, " ") + "\n"
		d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
		span := spec.Span{Start: 2, End: len(src) - 1}
		node := []string{names[r.Intn(len(names))], names[r.Intn(len(names))]}
		if r.Intn(2) == 0 {
			node = append(node, names[r.Intn(len(names))])
		}
		forms := arch.NameForms(node...)
		got := mentionSpan(d, span, mentionCandidates(node, forms))
		want := mentionSpan(d, span, mentionCandidatesRef(node, forms))
		if got != want {
			t.Fatalf("names %q in %q: span %v, reference %v", node, src, got, want)
		}
	}
}

// deployment-order's span names the service where it stands in the phase,
// whatever precedes it: the Kelvin sign (3 bytes, its lower case 1) or an
// invalid byte (lower-cased to the 3-byte U+FFFD) moved the span of a
// search in a lower-cased copy.
func TestMentionSpanAfterCaseChangingCharacters(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"x Deploy the \u212a\u212a\u212a cluster, then the Auth Service\n", "Auth Service"},
		{"x \xff\xfe\xff\xfe then auth service and more\n", "auth service"},
		{"x AUTH SERVICE first\n", "AUTH SERVICE"},
		{"x \u212a\u212a no mention at all\n", "x \u212a\u212a no mention at all"},
	} {
		d := spec.Parse("tasks/prd-x/_techspec.md", []byte(tc.src))
		span := spec.Span{Start: 2, End: len(tc.src) - 1}
		node := []string{"Auth Service"}
		got := mentionSpan(d, span, mentionCandidates(node, arch.NameForms(node...)))
		if s := d.Slice(got); s != tc.want {
			t.Errorf("%q: span names %q, want %q", tc.src, s, tc.want)
		}
	}
}
