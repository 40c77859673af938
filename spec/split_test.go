package spec_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// TestSplitMatchesParse parses texts edited at random in pieces (cut at
// every heading line the size allows, on two goroutines) and holds the
// model to one whole parse, field by field: the corpus and the examples
// in LF and CRLF, edits typing fences, HTML blocks, link reference
// definitions, front matter and BOMs.
func TestSplitMatchesParse(t *testing.T) {
	steps := 12
	if testing.Short() || raceDetector {
		steps = 4
	}
	split, whole := 0, 0
	for name, src := range editSources(t, 3) {
		r := rand.New(rand.NewPCG(4, uint64(len(src))))
		crlf := strings.HasSuffix(name, "/crlf")
		path := pathOf(name)
		for i := range steps {
			size := []int{1, 64, 512, 4096}[i%4]
			got, cut := spec.ParseSplit(path, []byte(src), size, 2)
			want := spec.ParseWhole(path, []byte(src))
			if !spec.SameDocument(got, want) {
				t.Fatalf("%s, edit %d, pieces of %d bytes: the split parse differs from Parse\n%q\n%s", name, i, size, src, firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
			}
			if cut {
				split++
			} else {
				whole++
			}
			src = edit(r, src, crlf)
		}
	}
	// Most texts were cut; some (too small for the size, link references,
	// a cut goldmark refused) fell back to a whole parse.
	t.Logf("%d texts parsed in pieces, %d whole", split, whole)
	if split < 2*whole || whole == 0 {
		t.Errorf("%d texts parsed in pieces and %d whole: want most in pieces, and some whole", split, whole)
	}
}

// TestSplitBig: Parse cuts a big text (a chain's tech spec) and the result
// is the whole parse's; a big text defining a link reference is parsed
// whole, as its reference applies to every piece.
func TestSplitBig(t *testing.T) {
	src := corpus.Chain(5000)
	if len(src) < 256<<10 {
		t.Fatalf("the chain is %d bytes, under the size Parse cuts at", len(src))
	}
	const path = "tasks/prd-f/_techspec.md"
	for _, workers := range []int{1, 2, 4} {
		got, cut := spec.ParseSplit(path, src, 64<<10, workers)
		if !cut {
			t.Fatalf("workers=%d: the chain was not cut", workers)
		}
		if want := spec.ParseWhole(path, src); !spec.SameDocument(got, want) {
			t.Fatalf("workers=%d: the split parse differs\n%s", workers, firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
		}
	}
	if got, want := spec.Parse(path, src), spec.ParseWhole(path, src); !spec.SameDocument(got, want) {
		t.Fatalf("Parse of the chain differs from a whole parse\n%s", firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
	}
	// The reference is defined at the end and used at the start.
	refs := append([]byte("# T\n\nSee [the doc][d].\n\n"), src...)
	refs = append(refs, "\n[d]: https://example.com\n"...)
	got, cut := spec.ParseSplit(path, refs, 64<<10, 2)
	if cut {
		t.Errorf("a text defining a link reference was cut")
	}
	if len(got.Links) == 0 || got.Links[0].Dest != "https://example.com" {
		t.Errorf("the reference link was not resolved: %+v", got.Links)
	}
}
