package diagnostics

import (
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/spec"
)

// serviceGapsRef is service-incomplete's test as it was before the body
// was normalised into a reused buffer: the reference serviceGaps must
// equal.
func serviceGapsRef(evidence string, d *spec.Document, sec *spec.Section) []string {
	words := [][]string{
		{"purpose", "responsib*", "owns", "role", "handles", "manages", "provides", "is the", "serves"},
		{"grpc", "proto", "protobuf", "rpc", "rpcs"},
		{"rest", "endpoint*", "openapi", "http", "https", "get", "post", "put", "patch", "delete"},
		{"schema*", "database*", "db", "table", "tables", "sqlalchemy", "stateless", "data store", "datastore", "persist*", "storage", "redis"},
		{"depend*", "upstream", "downstream", "calls", "consumes", "publishes"},
	}
	b := sec.Body()
	text := " " + normalize(evidence[b.Start:b.End]) + " "
	var missing []string
	for i, asp := range serviceAspects {
		has := false
		for _, w := range words[i] {
			if strings.HasSuffix(w, "*") {
				has = has || strings.Contains(text, " "+strings.TrimSuffix(w, "*"))
			} else {
				has = has || strings.Contains(text, " "+w+" ")
			}
		}
		if !has && !(asp.block != "" && hasBlockIn(d, sec, asp.block)) {
			missing = append(missing, asp.name)
		}
	}
	return missing
}

func TestServiceGapsMatchReference(t *testing.T) {
	var srcs []string
	files, _ := filepath.Glob("../examples/*/*/_techspec.md")
	more, _ := filepath.Glob("../examples/*/tasks/*/_techspec.md")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	if len(srcs) < 2 {
		t.Fatalf("found %d example tech specs", len(srcs))
	}
	// Random service bodies: the aspects' words whole, cut, glued to
	// punctuation, in capitals and beside non-ASCII letters.
	vocab := []string{"Purpose:", "responsibilities", "responsible", "owns", "(owns)", "is", "the", "gRPC", "grpc-web", "RPCs", "REST", "Endpoints:",
		"GET", "/orders", "schema", "Databases", "db", "tables,", "Stateless", "data", "store", "Persistence", "depends", "Upstream", "calls.",
		"Ünïcode", "proto3", "über", "—", "\n", "\n- ", "x", "restful", "getter"}
	r := rand.New(rand.NewSource(1))
	for range 200 {
		var sb strings.Builder
		sb.WriteString("# T\n\n## Service Definitions\n\n")
		for s := range 3 {
			sb.WriteString("### Svc" + string(rune('A'+s)) + "\n\n")
			for range r.Intn(12) {
				sb.WriteString(vocab[r.Intn(len(vocab))] + " ")
			}
			if r.Intn(4) == 0 {
				sb.WriteString("\n\n```proto\nservice X {}\n```\n")
			}
			sb.WriteString("\n\n")
		}
		srcs = append(srcs, sb.String())
	}
	n := 0
	for _, src := range srcs {
		d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
		svcs, _ := arch.Services(d)
		for _, evidence := range []string{src, strings.ToLower(src)} {
			for _, s := range svcs {
				n++
				if got, want := serviceGaps(evidence, d, s.Section), serviceGapsRef(evidence, d, s.Section); !slices.Equal(got, want) {
					t.Fatalf("service %q of %.200q: gaps %q, reference %q", s.Name, src, got, want)
				}
			}
		}
	}
	if n < 600 {
		t.Fatalf("compared %d services", n)
	}
}
