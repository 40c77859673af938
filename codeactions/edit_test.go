package codeactions

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/specls/specls/spec"
)

func TestApply(t *testing.T) {
	src := []byte("abcdef")
	tests := []struct {
		name  string
		edits []Edit
		want  string
		err   bool
	}{
		{"none", nil, "abcdef", false},
		{"replace", []Edit{{Span: spec.Span{Start: 1, End: 3}, NewText: "XY"}}, "aXYdef", false},
		{"out of order", []Edit{{Span: spec.Span{Start: 4, End: 5}, NewText: "E"}, {Span: spec.Span{Start: 0, End: 1}, NewText: "A"}}, "AbcdEf", false},
		{"inserts keep order", []Edit{{Span: spec.Span{Start: 2, End: 2}, NewText: "1"}, {Span: spec.Span{Start: 2, End: 2}, NewText: "2"}}, "ab12cdef", false},
		{"insert before replace at one offset", []Edit{{Span: spec.Span{Start: 2, End: 4}, NewText: "R"}, {Span: spec.Span{Start: 2, End: 2}, NewText: "I"}}, "abIRef", false},
		{"insert at end of replace", []Edit{{Span: spec.Span{Start: 2, End: 4}, NewText: "R"}, {Span: spec.Span{Start: 4, End: 4}, NewText: "I"}}, "abRIef", false},
		{"overlap", []Edit{{Span: spec.Span{Start: 1, End: 3}}, {Span: spec.Span{Start: 2, End: 4}}}, "", true},
		{"past the end", []Edit{{Span: spec.Span{Start: 5, End: 9}}}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Apply(src, tc.edits)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if err == nil && string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConflict(t *testing.T) {
	e := func(a, b int) Edit { return Edit{Path: "p", Span: spec.Span{Start: a, End: b}} }
	tests := []struct {
		a, b Edit
		want bool
	}{
		{e(0, 2), e(2, 4), false},
		{e(0, 3), e(2, 4), true},
		{e(2, 2), e(2, 2), false},
		{e(3, 3), e(2, 4), true},
		{e(2, 2), e(2, 4), false},
		{e(4, 4), e(2, 4), false},
		{e(0, 3), Edit{Path: "q", Span: spec.Span{Start: 0, End: 3}}, false},
	}
	for _, tc := range tests {
		if got := conflict(tc.a, tc.b); got != tc.want {
			t.Errorf("conflict(%v, %v) = %v, want %v", tc.a.Span, tc.b.Span, got, tc.want)
		}
		if got := conflict(tc.b, tc.a); got != tc.want {
			t.Errorf("conflict(%v, %v) = %v, want %v", tc.b.Span, tc.a.Span, got, tc.want)
		}
	}
}

// TestInsertBlock checks that an inserted block is set off by exactly one
// blank line and keeps the text's line ending, BOM and final newline.
func TestInsertBlock(t *testing.T) {
	tests := []struct {
		name string
		src  string
		at   string // insert before the first occurrence of this text; "" = end
		want string
	}{
		{"between sections", "# T\n\n## A\n\na\n\n## C\n\nc\n", "## C", "# T\n\n## A\n\na\n\n## B\n\nb\n\n## C\n\nc\n"},
		{"no blank line before", "# T\n\n## A\na\n## C\n", "## C", "# T\n\n## A\na\n\n## B\n\nb\n\n## C\n"},
		{"at the end", "# T\n\n## A\n\na\n", "", "# T\n\n## A\n\na\n\n## B\n\nb\n"},
		{"at the end after a blank line", "# T\n\n## A\n\na\n\n", "", "# T\n\n## A\n\na\n\n## B\n\nb\n"},
		{"at the end, no final newline", "# T\n\n## A\n\na", "", "# T\n\n## A\n\na\n\n## B\n\nb"},
		{"CRLF", "# T\r\n\r\n## A\r\n\r\na\r\n\r\n## C\r\n", "## C", "# T\r\n\r\n## A\r\n\r\na\r\n\r\n## B\r\n\r\nb\r\n\r\n## C\r\n"},
		{"CRLF at the end", "# T\r\n\r\na\r\n", "", "# T\r\n\r\na\r\n\r\n## B\r\n\r\nb\r\n"},
		{"BOM, at the start", "\ufeff## C\n", "## C", "\ufeff## B\n\nb\n\n## C\n"},
		{"front matter", "---\na: 1\n---\n## C\n", "## C", "---\na: 1\n---\n## B\n\nb\n\n## C\n"},
		{"empty text", "", "", "## B\n\nb\n"},
		{"emoji around", "# T 🚀\n\n## A\n\n😀 a\n\n## C\n", "## C", "# T 🚀\n\n## A\n\n😀 a\n\n## B\n\nb\n\n## C\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := spec.Parse("/ws/tasks/prd-x/_techspec.md", []byte(tc.src))
			at := len(tc.src)
			if tc.at != "" {
				at = strings.Index(tc.src, tc.at)
			}
			e := textOf(d).insertBlock(d.Path, at, "## B\n\nb")
			got, err := Apply(d.Text, []Edit{e})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestInsertBlockInsideLineMovesToNextLine(t *testing.T) {
	d := spec.Parse("/x/_techspec.md", []byte("## A\n\ntext\n## C\n"))
	e := textOf(d).insertBlock(d.Path, strings.Index(string(d.Text), "ext"), "## B")
	got, _ := Apply(d.Text, []Edit{e})
	if want := "## A\n\ntext\n\n## B\n\n## C\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDeleteSection(t *testing.T) {
	tests := []struct {
		name, src, section, want string
	}{
		{"middle", "## A\n\na\n\n## B\n\nb\n\n## C\n", "## B", "## A\n\na\n\n## C\n"},
		{"last, final newline", "## A\n\na\n\n## B\n\nb\n", "## B", "## A\n\na\n"},
		{"last, no final newline", "## A\n\na\n\n## B\n\nb", "## B", "## A\n\na"},
		{"last, CRLF", "## A\r\n\r\na\r\n\r\n## B\r\n", "## B", "## A\r\n\r\na\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := spec.Parse("/x/_techspec.md", []byte(tc.src))
			var s *spec.Section
			for _, h := range d.Headings {
				if strings.HasPrefix(h.Heading.Text(d.Text), tc.section) {
					s = h
				}
			}
			got, err := Apply(d.Text, []Edit{textOf(d).deleteSection(d.Path, s.Span)})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRegionEditsTouchOnlyChangedLines(t *testing.T) {
	src := "keep 1\nold\nkeep 2\n"
	d := spec.Parse("/x/_techspec.md", []byte(src))
	edits := textOf(d).regionEdits(d.Path, spec.Span{Start: 0, End: len(src)}, "keep 1\nnew\nkeep 2\n")
	if len(edits) != 1 {
		t.Fatalf("want one edit, got %v", edits)
	}
	if got := edits[0].Span.Text(d.Text); got != "old\n" {
		t.Errorf("the edit replaces %q, want only the changed line", got)
	}
}

func TestMergeInserts(t *testing.T) {
	es := mergeInserts([]Edit{
		{Path: "p", Span: spec.Span{Start: 5, End: 5}, NewText: "a"},
		{Path: "p", Span: spec.Span{Start: 1, End: 2}, NewText: "x"},
		{Path: "p", Span: spec.Span{Start: 5, End: 5}, NewText: "b"},
	})
	if len(es) != 2 || es[1].NewText != "ab" || es[0].NewText != "x" {
		t.Errorf("got %+v", es)
	}
}

// TestInsertBlocksAtOneOffset: sections inserted at one offset in one pass
// are set off by exactly one blank line wherever the offset is.
func TestInsertBlocksAtOneOffset(t *testing.T) {
	for _, tc := range []struct{ name, src, at, want string }{
		{"no blank line before", "## A\na\n## C\n", "## C", "## A\na\n\n## B1\n\n## B2\n\n## C\n"},
		{"blank line before", "## A\n\na\n\n## C\n", "## C", "## A\n\na\n\n## B1\n\n## B2\n\n## C\n"},
		{"end, final newline", "## A\n\na\n", "", "## A\n\na\n\n## B1\n\n## B2\n"},
		{"end, no final newline", "## A\n\na", "", "## A\n\na\n\n## B1\n\n## B2"},
		{"CRLF", "## A\r\na\r\n## C\r\n", "## C", "## A\r\na\r\n\r\n## B1\r\n\r\n## B2\r\n\r\n## C\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := spec.Parse("/x/_techspec.md", []byte(tc.src))
			at := len(tc.src)
			if tc.at != "" {
				at = strings.Index(tc.src, tc.at)
			}
			tx := textOf(d)
			got, err := Apply(d.Text, mergeInserts([]Edit{tx.insertBlock(d.Path, at, "## B1"), tx.insertBlock(d.Path, at, "## B2")}))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestApplyTidy: where fixes meet, inserted line breaks beyond one blank
// line go; the author's own blank lines stay.
func TestApplyTidy(t *testing.T) {
	src := []byte("## A\n\n\n\nauthor's blank lines\n\n## B\n\nb\n")
	b := strings.Index(string(src), "## B")
	edits := []Edit{
		{Span: spec.Span{Start: b - 1, End: b - 1}, NewText: "\n## X\n\n"}, // sees no blank line after it
		{Span: spec.Span{Start: b, End: b}, NewText: "\n## Y\n\n"},         // sees one before it
	}
	got, err := applyTidy(src, edits)
	if err != nil {
		t.Fatal(err)
	}
	want := "## A\n\n\n\nauthor's blank lines\n\n## X\n\n## Y\n\n## B\n\nb\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzInsertBlock: inserting a section anywhere keeps every byte of the
// text, the BOM, the line ending and the final newline, and sets the
// section off by line breaks only.
func FuzzInsertBlock(f *testing.F) {
	f.Add("# T\n\n## A\n\na\n", 5)
	f.Add("\ufeff# T\r\n\r\na", 0)
	f.Add("", 0)
	f.Add("a\rb\r\n\nc", 3)
	f.Fuzz(func(t *testing.T, src string, at int) {
		d := spec.Parse("/x/_techspec.md", []byte(src))
		if at < 0 || at > len(src) {
			return
		}
		tx := textOf(d)
		e := tx.insertBlock(d.Path, at, "## B\n\nb")
		got, err := Apply(d.Text, []Edit{e})
		if err != nil {
			t.Fatal(err)
		}
		o := string(got)
		if o[:e.Span.Start] != src[:e.Span.Start] || o[e.Span.Start+len(e.NewText):] != src[e.Span.Start:] {
			t.Fatalf("text around the insertion changed")
		}
		if strings.Trim(strings.Replace(e.NewText, strings.ReplaceAll("## B\n\nb", "\n", tx.nl), "", 1), "\r\n") != "" {
			t.Errorf("inserted %q: more than the block and line breaks", e.NewText)
		}
		if d.BOM && !strings.HasPrefix(o, "\ufeff") {
			t.Errorf("BOM lost")
		}
		if len(src) > tx.start && tx.endsWithNewline() != (strings.HasSuffix(o, "\n") || strings.HasSuffix(o, "\r")) { // an empty text gets one
			t.Errorf("final newline changed: %q -> %q", src, o)
		}
		if d.CRLF && strings.Contains(strings.ReplaceAll(e.NewText, "\r\n", ""), "\n") {
			t.Errorf("LF inserted into a CRLF text: %q", e.NewText)
		}
	})
}

// TestApplyTidiedSaysSo: applyTidied says it tidied exactly when its text
// is not Apply's (fix-all keeps the fixes' own edits only then).
func TestApplyTidiedSaysSo(t *testing.T) {
	src := []byte("## A\n\n\n\nauthor's blank lines\n\n## B\n\nb\n")
	b := strings.Index(string(src), "## B")
	r := rand.New(rand.NewPCG(3, 4))
	texts := []string{"x", "\n", "\n\n", "\n## X\n\n", "\r\n\r\n", "y\n\n\n"}
	seen := map[bool]int{}
	for range 500 {
		var edits []Edit
		for _, at := range []int{b - 1, b, len(src)} {
			if r.IntN(2) == 0 {
				edits = append(edits, Edit{Span: spec.Span{Start: at, End: at}, NewText: texts[r.IntN(len(texts))]})
			}
		}
		edits = mergeInserts(edits)
		got, tidied, err := applyTidied(src, edits)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := Apply(src, edits)
		if tidied != (string(got) != string(plain)) {
			t.Errorf("edits %v: tidied = %v, text %q, Apply's %q", edits, tidied, got, plain)
		}
		seen[tidied]++
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Errorf("tidied %d times, not %d times: the cases miss one side", seen[true], seen[false])
	}
}
