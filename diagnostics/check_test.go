package diagnostics

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// largeTechSpec builds a realistic tech spec of about n lines: the template
// outline with many services, tables and code blocks.
func largeTechSpec(n int) string {
	var sb strings.Builder
	sb.WriteString("# Technical Specification: Order platform\n\n## Architecture Overview\n\nThe gateway routes to services over gRPC; events flow through Kafka. Covers FR-1 to FR-9.\n\n")
	sb.WriteString("### Service Dependency Graph\n\n```mermaid\ngraph TD\n  Gateway -->|gRPC| Orders\n  Orders -->|Kafka| Billing\n```\n\n")
	sb.WriteString("### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|------|----|----------|---------|\n| Gateway | Orders | gRPC | Request-Reply |\n\n")
	sb.WriteString("### Data Ownership\n\n| Service | Database | Data Domain |\n|---------|----------|-------------|\n| Orders | PostgreSQL orders | Orders |\n\n")
	sb.WriteString("### Consistency Model\n\nOrders is strongly consistent.\n\n### Failure Impact Analysis\n\nBilling down: invoices queue.\n\n## Service Definitions\n\n")
	i := 0
	for strings.Count(sb.String(), "\n") < n-60 {
		i++
		fmt.Fprintf(&sb, "### Service %d 😀\n\n- Purpose: handles domain %d for FR-%d (中文 text).\n- Dependencies: Orders, Kafka\n\n", i, i, i%9+1)
		fmt.Fprintf(&sb, "```proto\nservice S%d {\n  rpc Get(GetRequest) returns (GetResponse);\n}\n```\n\n", i)
		fmt.Fprintf(&sb, "| Endpoint | Method | Notes |\n|----------|--------|-------|\n| /v1/s%d | GET | paged |\n| /v1/s%d | POST | idempotent |\n\n", i, i)
	}
	for _, h := range []string{"Proto Definitions", "Data Models", "Communication Patterns", "Deployment Architecture", "Development Sequencing", "Testing Strategy", "Libraries Assessment", "Technical Decisions", "Architecture Review", "Python Production Checklist", "Open Questions"} {
		fmt.Fprintf(&sb, "## %s\n\nWritten content for %s.\n\n", h, strings.ToLower(h))
		if h == "Deployment Architecture" {
			sb.WriteString("### Deployment Sequencing\n\n- **Phase 1**: Kafka\n- **Phase 2**: Orders\n\n")
		}
	}
	return sb.String()
}

func BenchmarkCheck(b *testing.B) {
	src := []byte(largeTechSpec(2000))
	prd := []byte("# PRD: Orders\n\n## Core Features\n\n1. FR-1: Place orders.\n")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		f := &spec.Feature{Dir: "tasks/prd-orders"}
		f.Set(spec.Parse("tasks/prd-orders/_techspec.md", src))
		f.Set(spec.Parse("tasks/prd-orders/_prd.md", prd))
		Check(Input{Feature: f, Config: config.Default()})
	}
}

func TestLargeSpecLines(t *testing.T) {
	if n := strings.Count(largeTechSpec(2000), "\n"); n < 1900 || n > 2100 {
		t.Fatalf("generated %d lines, want about 2000", n)
	}
}

// FuzzCheck runs every rule over arbitrary text: no panic, and every
// finding's span and related spans lie inside their document.
func FuzzCheck(f *testing.F) {
	f.Add(largeTechSpec(200), "# PRD\n\n## Core Features\n\n1. FR-1: x\n")
	f.Add("# T\r\n## Data Model\r\n[x] TODO\r\n", "\ufeff# PRD Template\n")
	f.Add("```mermaid\ngraph TD\nA-->\n```\n", "| a |\n|---|\n")
	f.Fuzz(func(t *testing.T, tech, prd string) {
		feat := &spec.Feature{Dir: "tasks/prd-f"}
		feat.Set(spec.Parse("tasks/prd-f/_techspec.md", []byte(tech)))
		feat.Set(spec.Parse("tasks/prd-f/_prd.md", []byte(prd)))
		fs := Check(Input{Feature: feat, Config: config.Default()})
		// The memo changes nothing, on a first check or a repeated one.
		memo := &Memo{}
		for range 2 {
			if got := Check(Input{Feature: feat, Config: config.Default(), Memo: memo}); !reflect.DeepEqual(got, fs) {
				t.Fatalf("with a memo: %d findings, without: %d", len(got), len(fs))
			}
		}
		for _, fd := range fs {
			d := feat.Doc(spec.KindOf(fd.Path))
			if d == nil {
				t.Fatalf("finding for unknown file %s", fd.Path)
			}
			if fd.Span.Start < 0 || fd.Span.End > len(d.Text) || fd.Span.Start > fd.Span.End {
				t.Fatalf("%s span %v outside %d bytes", fd.Code, fd.Span, len(d.Text))
			}
			if rules.Lookup(fd.Code) == nil || fd.Rule() != rules.Lookup(fd.Code) || fd.Message == "" {
				t.Fatalf("finding %+v has an unknown code or no message", fd)
			}
		}
	})
}

// BenchmarkCheckChain checks a tech spec whose dependency graph is a chain
// of N synchronous calls with half of them in the matrix: the graph
// (cycles included), matrix and resilience checks in linear time
// (docs/performance.md). The markdown is parsed once, outside the loop, as
// the server does for an unchanged file; the mermaid graph is parsed in it.
func BenchmarkCheckChain(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			src := corpus.Chain(n)
			f := &spec.Feature{Dir: "tasks/prd-chain"}
			f.Set(spec.Parse("tasks/prd-chain/_techspec.md", src))
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				Check(Input{Feature: f, Config: config.Default()})
			}
		})
	}
}
