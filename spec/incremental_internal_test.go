package spec

import (
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestHeadingLines: the lines offered as chunk starts are the ATX
// headings at column 0 past the front matter, outside fences and HTML
// comments, in LF and CRLF.
func TestHeadingLines(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string // the lines offered
	}{
		{"# a\ntext\n## b\n", []string{"# a", "## b"}},
		{"# a\n#b\n####### c\n ## d\n\t# e\n#\n", []string{"# a", "#"}},
		{"x\n```\n# in code\n```\n# out\n", []string{"# out"}},
		{"x\n~~~~\n# in\n~~~\n# still in\n~~~~\n# out\n", []string{"# out"}},
		{"x\n```js\n# in\n``` not a close\n# in\n```\n# out\n", []string{"# out"}},
		{"x\n<!--\n# in\n-->\n# out\n", []string{"# out"}},
		{"x\n<!-- one line -->\n# out\n", []string{"# out"}},
		{"x\n```\n# never closed\n", nil},
	} {
		for _, nl := range []string{"\n", "\r\n"} {
			src := strings.ReplaceAll(c.src, "\n", nl)
			var got []string
			for _, off := range headingLines([]byte(src), 0) {
				got = append(got, strings.TrimRight(string(lineAt([]byte(src), off)), "\r"))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("headingLines(%q) = %q, want %q", src, got, c.want)
			}
		}
	}
}

// TestReparseFrontMatter: a front matter holding "# comment" lines stays
// in the first chunk.
func TestReparseFrontMatter(t *testing.T) {
	src := []byte("---\ntitle: x\n# a YAML comment\n---\n# T\n\n## A\n\ntext\n")
	if got := headingLines(src, 0); len(got) != 3 {
		t.Fatalf("the whole text offers %d heading lines, want 3 with the comment", len(got))
	}
	_, end := frontMatterSpan(src, false)
	if got := headingLines(src, end); len(got) != 2 {
		t.Fatalf("past the front matter: %d heading lines, want 2", len(got))
	}
	d, _ := reparse(Parse("x/_prd.md", src), "x/_prd.md", src, false)
	if d.FrontMatter["title"] != "x" || len(d.Headings) != 2 || len(d.chunks) != 3 || d.chunks[0].n != d.Headings[0].Heading.Start {
		t.Errorf("front matter %v, %d headings in %d chunks; want title x, 2 headings, 3 chunks (the front matter, # T, ## A)", d.FrontMatter, len(d.Headings), len(d.chunks))
	}
}

// TestChunksKeepNoText: a chunk outlives the version of the text it was
// cut from, so its key must not point into that text (a long editing
// session would keep every version alive).
func TestChunksKeepNoText(t *testing.T) {
	src := []byte("# T\n\n## A\n\ntext\n\n## B\n\nmore\n")
	d, _ := reparse(Parse("x/_techspec.md", src), "x/_techspec.md", src, false)
	text := unsafe.StringData(d.src)
	for _, c := range d.chunks {
		p := uintptr(unsafe.Pointer(unsafe.StringData(c.key)))
		if p >= uintptr(unsafe.Pointer(text)) && p < uintptr(unsafe.Pointer(text))+uintptr(len(d.src)) {
			t.Errorf("the key of chunk %q points into the document's text", c.key)
		}
	}
	if len(d.chunks) != 3 {
		t.Errorf("%d chunks, want 3", len(d.chunks))
	}
}
