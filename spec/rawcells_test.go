package spec_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// cellPieces are what the random cells are made of: words, requirement
// IDs, spaces and tabs, escapes (an escaped pipe among them), entities,
// non-ASCII text and Unicode spaces, and the characters of inline markup.
var cellPieces = []string{
	"a", "Step 1", "FR-1", "gRPC", " ", "  ", "\t", "\\|", "\\", "\\*", "&amp;", "&#124;", "&", "é", "\u00a0", "\u2003", "→",
	"`", "`x`", "` \\| `", "*", "**b**", "__u__", "_", "[", "]", "[l](u)", "!", "<", "<b>", "<http://x>", "~", "#", ":", "-",
}

// TestRawCellsRandom: the model of tables whose plain rows skip goldmark's
// inline parse is the model of the same tables parsed inline, byte for
// byte, over random cells in LF and CRLF, with and without a BOM.
func TestRawCellsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	n := 400
	if testing.Short() {
		n = 100
	}
	for i := range n {
		var b strings.Builder
		b.WriteString("# T\n\n## Section FR-2\n\n")
		for range 1 + r.IntN(3) {
			cols := 1 + r.IntN(4)
			row := func(cells int) {
				if r.IntN(2) == 0 {
					b.WriteString("| ")
				}
				for c := range cells {
					if c > 0 {
						b.WriteString(" |")
					}
					for range r.IntN(4) {
						p := cellPieces[r.IntN(len(cellPieces))]
						if r.IntN(3) > 0 && strings.ContainsAny(p, "`*_[]!<") {
							p = "x"
						}
						b.WriteString(p)
					}
				}
				if r.IntN(2) == 0 {
					b.WriteString("|")
				}
				b.WriteString("\n")
			}
			row(cols)
			b.WriteString("|" + strings.Repeat("---|", cols) + "\n")
			for range r.IntN(6) {
				row(max(0, cols-1+r.IntN(3)))
			}
			b.WriteString("\n")
		}
		src := b.String()
		if i%2 == 1 {
			src = strings.ReplaceAll(src, "\n", "\r\n")
		}
		if i%5 == 4 {
			src = "\ufeff" + src
		}
		for _, path := range []string{"tasks/prd-f/_prd.md", "tasks/prd-f/_techspec.md"} {
			got, want := spec.Parse(path, []byte(src)), spec.ParseInline(path, []byte(src))
			if g, w := spec.DumpDocument(got), spec.DumpDocument(want); g != w {
				t.Fatalf("%q: raw rows change the model\n%s", src, firstDiff(w, g))
			}
		}
	}
}

// TestRawCellsCorpus: the same, plain paragraphs included, over generated
// features, the examples and a chain's tech spec, and over random edits
// of them (setext underlines, list markers, quotes, fences, tables).
func TestRawCellsCorpus(t *testing.T) {
	texts := editSources(t, 6)
	texts["chain"] = string(corpus.Chain(300))
	rows := 0
	steps := 16
	if testing.Short() || raceDetector {
		steps = 4
	}
	for name, src := range texts {
		path := pathOf(name)
		r := rand.New(rand.NewPCG(6, uint64(len(src))))
		for i := range steps {
			got, want := spec.Parse(path, []byte(src)), spec.ParseInline(path, []byte(src))
			if g, w := spec.DumpDocument(got), spec.DumpDocument(want); g != w {
				t.Fatalf("%s, edit %d: raw rows and paragraphs change the model\n%q\n%s", name, i, src, firstDiff(w, g))
			}
			if i == 0 {
				for _, tb := range got.Tables {
					rows += len(tb.Rows)
				}
			}
			src = edit(r, src, strings.HasSuffix(name, "/crlf"))
		}
	}
	if rows < 500 {
		t.Errorf("%d table rows compared: too few", rows)
	}
}
