package codeactions

import (
	"fmt"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// BenchmarkFor is one code-action request on the failing tech spec with
// every kind asked for: the quick fixes at a cursor, the source actions
// and fix-all (settled in memory).
func BenchmarkFor(b *testing.B) {
	a := readArchive(b, "testdata/fixall/derived-graph.txtar")
	in, d := techSpec(a.files["_techspec.md"])
	findings := diagnostics.Check(in)
	cursor := d.Find("Communication Matrix")[0].Span
	b.ResetTimer()
	for b.Loop() {
		For(Request{Input: in, Findings: findings, Doc: d, Span: spec.Span{Start: cursor.Start, End: cursor.Start}})
	}
}

// BenchmarkFixAll fixes the failing feature in memory, as --fix does.
func BenchmarkFixAll(b *testing.B) {
	a := readArchive(b, "testdata/fixall/derived-graph.txtar")
	in, _ := techSpec(a.files["_techspec.md"])
	b.ResetTimer()
	for b.Loop() {
		if _, err := FixAll(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFixAllLarge fixes a tech spec of 200 services, each depending
// on the next and on Kafka (1,200 lines): the matrix, graph, ownership and
// proto generators write a row, node or stub per service.
func BenchmarkFixAllLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("# Technical Specification: Big\n\n## Architecture Overview\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|---|---|---|---|\n| [Service] | [Service] | [gRPC] | [Pattern] |\n\n## Service Definitions\n\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&sb, "### Svc%d Service\n\n- Purpose: thing %d\n- Database schema: table_%d in PostgreSQL\n- Dependencies: Svc%d Service (gRPC), Kafka (events)\n\n", i, i, i, (i+1)%200)
	}
	in, _ := techSpec(sb.String())
	b.ResetTimer()
	for b.Loop() {
		if _, err := FixAll(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFixAllChain is --fix on a chain of N synchronous calls with half
// of them in the Communication Matrix: the matrix fix adds the other half
// in linear time (docs/performance.md).
func BenchmarkFixAllChain(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			in, _ := techSpec(string(corpus.Chain(n)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FixAll(in, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFixableChain is the "N fixable with --fix" count of the text
// report on the chain of BenchmarkFixAllChain, whose 50,000 findings of
// edges without a matrix row share one fix (docs/performance.md).
func BenchmarkFixableChain(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			in, _ := techSpec(string(corpus.Chain(n)))
			findings := diagnostics.Check(in)
			b.ReportAllocs()
			for b.Loop() {
				if Fixable(in, findings) < n/2 {
					b.Fatal("the matrix rows are not counted")
				}
			}
		})
	}
}
