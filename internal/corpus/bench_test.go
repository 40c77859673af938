package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// The in-process side of `make bench`, for profiling the same corpus:
//
//	go test -run XXX -bench Corpus -cpuprofile cpu.out ./internal/corpus
//
// CheckCorpus is `specls check`; ParseCorpus the document model alone;
// GoldmarkCorpus the floor (goldmark with specls's extensions, no model).

func writeCorpus(b *testing.B) (string, []string, int) {
	b.Helper()
	root := b.TempDir()
	st, err := Write(root, Options{Features: 50, Seed: 1, LargeEvery: 25})
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "tasks", "*", "*.md"))
	return root, files, st.Bytes
}

func BenchmarkCheckCorpus(b *testing.B) {
	root, _, n := writeCorpus(b)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := workspace.CheckPaths([]string{root}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCorpus(b *testing.B) {
	_, files, n := writeCorpus(b)
	srcs := readAll(b, files)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for i, src := range srcs {
			spec.Parse(files[i], src)
		}
	}
}

func BenchmarkGoldmarkCorpus(b *testing.B) {
	_, files, n := writeCorpus(b)
	srcs := readAll(b, files)
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.TaskList), goldmark.WithParserOptions(parser.WithAttribute()))
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			md.Parser().Parse(text.NewReader(src))
		}
	}
}

func readAll(b *testing.B, files []string) [][]byte {
	b.Helper()
	out := make([][]byte, len(files))
	for i, f := range files {
		var err error
		if out[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	return out
}
