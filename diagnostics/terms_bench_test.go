package diagnostics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkTermScan is the evidence-term scan (review terms and Python
// literals) over the examples' tech specs
// (lower-cased, as the rules scan them).
func BenchmarkTermScan(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "*", "_techspec.md"))
	var sb strings.Builder
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(src)
	}
	text := strings.ToLower(sb.String())
	if text == "" {
		b.Fatal("no tech spec under examples/")
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		n := 0
		evidenceTermSet().scan(text, func(k, i int) bool { n++; return true })
	}
}
