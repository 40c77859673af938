package spec_test

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// bigTexts are the big texts of BenchmarkParseBig: the tech spec of a
// 100,000-edge chain (a 100,000-line mermaid block and a 50,000-row table,
// 7.5 MB) and the 10,000-line generated tech spec.
func bigTexts() []struct {
	name string
	src  []byte
} {
	return []struct {
		name string
		src  []byte
	}{
		{"chain=100000", corpus.Chain(100000)},
		{"lines=10000", []byte(corpus.Bench(10000, corpus.Options{Seed: 1}).TechSpec)},
	}
}

// BenchmarkParseBig is spec.Parse of one big text (docs/performance.md,
// "Parsing big texts").
func BenchmarkParseBig(b *testing.B) {
	for _, t := range bigTexts() {
		b.Run(t.name, func(b *testing.B) {
			b.SetBytes(int64(len(t.src)))
			b.ReportAllocs()
			for b.Loop() {
				spec.Parse("tasks/prd-f/_techspec.md", t.src)
			}
		})
	}
}

// BenchmarkParsePeak reports the peak live heap of spec.Parse of a big
// text, the model it returns included: the collector runs at GOGC=5 so
// that the live heap it measures after each cycle follows the parse
// closely, and a goroutine keeps the largest. Its ns/op mean nothing.
func BenchmarkParsePeak(b *testing.B) {
	for _, t := range bigTexts() {
		b.Run(t.name, func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(5))
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			var peak atomic.Uint64
			var keep *spec.Document
			for b.Loop() {
				runtime.GC()
				metrics.Read(sample)
				base := sample[0].Value.Uint64()
				stop := make(chan struct{})
				done := make(chan struct{})
				go func() {
					defer close(done)
					for {
						metrics.Read(sample)
						if v := sample[0].Value.Uint64() - min(base, sample[0].Value.Uint64()); v > peak.Load() {
							peak.Store(v)
						}
						select {
						case <-stop:
							return
						case <-time.After(100 * time.Microsecond):
						}
					}
				}()
				keep = spec.Parse("tasks/prd-f/_techspec.md", t.src)
				runtime.GC()
				close(stop)
				<-done
			}
			runtime.KeepAlive(keep)
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-MB")
		})
	}
}

// BenchmarkFindIDs is the requirement-ID scan every parse runs over the
// whole text, on the 50 features of the corpus benchmarks.
func BenchmarkFindIDs(b *testing.B) {
	var srcs [][]byte
	n := 0
	for i := range 50 {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		srcs = append(srcs, []byte(f.PRD), []byte(f.TechSpec))
		n += len(f.PRD) + len(f.TechSpec)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range srcs {
			spec.FindIDs(s)
		}
	}
}
