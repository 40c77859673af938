package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/internal/corpus"
)

// BenchmarkCheckChainCLI is `specls check` on a feature whose tech spec has
// a dependency graph of N chained calls (corpus.Chain), in process: reading,
// parsing, checking and writing every finding to /dev/null through the
// same *os.File path as a real stdout (docs/performance.md, issue 16).
// The --fix case applies the safe fixes to a fresh copy each iteration.
func BenchmarkCheckChainCLI(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		for _, mode := range []string{"json", "text", "diff", "fix"} {
			b.Run(fmt.Sprintf("edges=%d/%s", n, mode), func(b *testing.B) {
				dir := b.TempDir()
				doc := filepath.Join(dir, "tasks", "prd-chain", "_techspec.md")
				if err := os.MkdirAll(filepath.Dir(doc), 0o755); err != nil {
					b.Fatal(err)
				}
				src := corpus.Chain(n)
				if err := os.WriteFile(doc, src, 0o644); err != nil {
					b.Fatal(err)
				}
				b.Chdir(dir)
				null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
				if err != nil {
					b.Fatal(err)
				}
				defer null.Close()
				args := map[string][]string{
					"json": {"check", "--format", "json"},
					"text": {"check", "--format", "text", "--color", "never"},
					"diff": {"check", "--diff"},
					"fix":  {"check", "--fix", "--format", "json"},
				}[mode]
				b.ReportAllocs()
				for b.Loop() {
					if mode == "fix" {
						b.StopTimer()
						if err := os.WriteFile(doc, src, 0o644); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					// The chain has errors (exit 1), which --fix fixes,
					// leaving warnings (exit 0).
					want := 1
					if mode == "fix" {
						want = 0
					}
					if code := run(args, strings.NewReader(""), null, null); code != want {
						b.Fatalf("exit %d, want %d", code, want)
					}
				}
			})
		}
	}
}
