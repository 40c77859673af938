package corpus

import (
	"testing"

	"github.com/specls/specls/workspace"
)

// BenchmarkCheckCorpus is `specls check` over a written corpus of 50
// features, in process, for profiling:
//
//	go test -run XXX -bench CheckCorpus -cpuprofile cpu.out ./internal/corpus
func BenchmarkCheckCorpus(b *testing.B) {
	root := b.TempDir()
	st, err := Write(root, Options{Features: 50, Seed: 1, LargeEvery: 25})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(st.Bytes))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := workspace.CheckPaths([]string{root}); err != nil {
			b.Fatal(err)
		}
	}
}
