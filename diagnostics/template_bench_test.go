package diagnostics

import (
	"testing"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// BenchmarkTemplate is the template match and the placeholder scan of
// the corpus's documents (checkTemplate's work, without the reports).
func BenchmarkTemplate(b *testing.B) {
	var docs []*spec.Document
	for i := 1; i <= 20; i++ {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		docs = append(docs, spec.Parse("tasks/prd-x/_prd.md", []byte(f.PRD)), spec.Parse("tasks/prd-x/_techspec.md", []byte(f.TechSpec)))
	}
	size := 0
	for _, d := range docs {
		size += len(d.Text)
		d.Mapper() // shared with other rules
	}
	matches := make([]*Match, len(docs))
	b.Run("match", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for i, d := range docs {
				matches[i] = MatchTemplate(d, spec.BuiltinTemplate(d.Kind))
			}
		}
	})
	b.Run("placeholders", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for i, d := range docs {
				Placeholders(d, matches[i])
			}
		}
	})
}
