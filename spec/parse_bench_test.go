package spec_test

import (
	"testing"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// BenchmarkParseBig is spec.Parse of one big text: the tech spec of a
// 100,000-edge chain (a 100,000-line mermaid block and a 50,000-row
// table, 7.5 MB) and the 10,000-line generated tech spec
// (docs/performance.md, "Parsing big texts").
func BenchmarkParseBig(b *testing.B) {
	texts := []struct {
		name string
		src  []byte
	}{
		{"chain=100000", corpus.Chain(100000)},
		{"lines=10000", []byte(corpus.Bench(10000, corpus.Options{Seed: 1}).TechSpec)},
	}
	for _, t := range texts {
		b.Run(t.name, func(b *testing.B) {
			b.SetBytes(int64(len(t.src)))
			b.ReportAllocs()
			for b.Loop() {
				spec.Parse("tasks/prd-f/_techspec.md", t.src)
			}
		})
	}
}
