package diagnostics

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/specls/specls/spec"
)

// codeSpansIn jumps between backticks and backslashes; it must find what
// the byte-by-byte scan it replaced finds, on random texts (with code
// blocks, front matter and paragraphs cut by blank lines, tables and
// headings) and over any start and end.
func TestCodeSpansSameAsByteScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"`", "``", "\\", "a", " ", "\n", "\n\n", "| x |\n", "# h\n", "```\ncode `x`\n```\n", "    indented `y`\n", "-", "\r\n"}
	for n := 0; n < 4000; n++ {
		var b []byte
		if rng.IntN(8) == 0 {
			b = append(b, "---\nk: `v`\n---\n"...)
		}
		for range rng.IntN(30) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		d := spec.Parse("_techspec.md", b)
		start := rng.IntN(len(b) + 1)
		end := start + rng.IntN(len(b)-start+1)
		for _, r := range [][2]int{{0, len(b)}, {start, end}} {
			got, want := codeSpansIn(d, r[0], r[1]), byteScanCodeSpans(d, r[0], r[1])
			if !slices.Equal(got, want) {
				t.Fatalf("text %q [%d,%d): codeSpansIn %v, byte scan %v", b, r[0], r[1], got, want)
			}
		}
	}
}

// byteScanCodeSpans is codeSpansIn as it was, one byte at a time.
func byteScanCodeSpans(d *spec.Document, start, end int) spans {
	var out spans
	src := d.Text
	open, openLen := -1, 0
	bi := sort.Search(len(d.Code), func(i int) bool { return d.Code[i].Span.End > start })
	for i := max(start, d.FrontMatterSpan.End); i < end; {
		for bi < len(d.Code) && d.Code[bi].Span.End <= i {
			bi++
		}
		if bi < len(d.Code) && d.Code[bi].Span.Start <= i {
			open = -1
			i = d.Code[bi].Span.End
			continue
		}
		c := src[i]
		if c == '\n' {
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			if j >= len(src) || src[j] == '\n' || src[j] == '|' || src[j] == '#' {
				open = -1
			}
			i++
			continue
		}
		if c == '\\' && open < 0 {
			i += 2
			continue
		}
		if c != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(src) && src[i+n] == '`' {
			n++
		}
		switch {
		case open < 0:
			open, openLen = i, n
		case n == openLen:
			out = append(out, spec.Span{Start: open, End: i + n})
			open = -1
		}
		i += n
	}
	return out
}
