// Command gencorpus writes the benchmark corpus: N realistic feature
// folders under OUT/tasks, the same bytes for the same seed.
//
//	go run ./internal/corpus/cmd/gencorpus -n 1000 -out DIR [-seed 1] [-lines 2000,10000] [-chain 100000]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/specls/specls/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of feature folders")
	out := flag.String("out", "", "folder to write (the corpus goes under OUT/tasks)")
	seed := flag.Uint64("seed", 1, "random seed")
	large := flag.Int("large-every", 0, "every Nth feature gets a 5,000+ line tech spec (0: one in 500)")
	lines := flag.String("lines", "", "comma-separated tech spec lengths: adds prd-bench-<n> per entry")
	chain := flag.Int("chain", 0, "adds prd-chain, a tech spec whose dependency graph is a chain of N calls (corpus.Chain)")
	flag.Parse()
	if *out == "" || *n < 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n N -out DIR [-seed S] [-large-every K] [-lines 2000,10000]")
		os.Exit(2)
	}
	o := corpus.Options{Features: *n, Seed: *seed, LargeEvery: *large}
	for _, f := range strings.FieldsFunc(*lines, func(r rune) bool { return r == ',' }) {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "gencorpus: bad -lines entry %q\n", f)
			os.Exit(2)
		}
		o.Lines = append(o.Lines, v)
	}
	st, err := corpus.Write(*out, o)
	if err == nil && *chain > 0 {
		dir := filepath.Join(*out, "tasks", "prd-chain")
		if err = os.MkdirAll(dir, 0o755); err == nil {
			err = os.WriteFile(filepath.Join(dir, "_techspec.md"), corpus.Chain(*chain), 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("gencorpus: %d features (%d flawed, %d with 5,000+ line tech specs), %d files, %d lines, %.1f MB in %s\n",
		st.Features, st.Flawed, st.Large, st.Files, st.Lines, float64(st.Bytes)/1e6, *out)
}
