package codeactions

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/specls/specls/spec"
)

// Apply applies edits to src. Edits must not overlap; insertions at the same
// offset keep their order, and an insertion at the start of a replacement
// goes before it.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	es := sortedEdits(edits)
	var out bytes.Buffer
	out.Grow(len(src))
	pos := 0
	for _, e := range es {
		if e.Span.Start < pos || e.Span.End < e.Span.Start || e.Span.End > len(src) {
			return nil, fmt.Errorf("apply edits: edit %v overlaps another or lies outside the %d-byte text", e.Span, len(src))
		}
		out.Write(src[pos:e.Span.Start])
		out.WriteString(e.NewText)
		pos = e.Span.End
	}
	out.Write(src[pos:])
	return out.Bytes(), nil
}

// sortedEdits orders edits by start; at one offset insertions come before a
// replacement, insertions go by rank, and otherwise the given order holds.
func sortedEdits(edits []Edit) []Edit {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Span.Start != es[j].Span.Start {
			return es[i].Span.Start < es[j].Span.Start
		}
		if a, b := es[i].Span.Len() == 0, es[j].Span.Len() == 0; a != b {
			return a
		}
		return es[i].rank < es[j].rank
	})
	return es
}

// conflict reports whether two edits cannot both apply: their spans overlap,
// or one inserts strictly inside the other's span.
func conflict(a, b Edit) bool {
	if a.Path != b.Path {
		return false
	}
	if a.Span.Len() == 0 && b.Span.Len() == 0 {
		return false // two insertions at one point just concatenate
	}
	if a.Span.Len() == 0 {
		return b.Span.Start < a.Span.Start && a.Span.Start < b.Span.End
	}
	if b.Span.Len() == 0 {
		return a.Span.Start < b.Span.Start && b.Span.Start < a.Span.End
	}
	return a.Span.Start < b.Span.End && b.Span.Start < a.Span.End
}

// text is a document's bytes with the conventions edits must keep.
type text struct {
	src []byte
	nl  string
	// start is the first offset after the BOM and the front matter.
	start int
}

func textOf(d *spec.Document) text {
	t := text{src: d.Text, nl: d.LineEnding()}
	if d.BOM {
		t.start = 3
	}
	t.start = max(t.start, d.FrontMatterSpan.End)
	return t
}

// lineStart returns the start of the line holding off.
func (t text) lineStart(off int) int {
	off = min(max(off, 0), len(t.src))
	for off > 0 && t.src[off-1] != '\n' && t.src[off-1] != '\r' {
		off--
	}
	return off
}

// lineEnd returns the end of the line holding off, before its line break.
func (t text) lineEnd(off int) int {
	off = min(max(off, 0), len(t.src))
	for off < len(t.src) && t.src[off] != '\n' && t.src[off] != '\r' {
		off++
	}
	return off
}

// nextLine returns the start of the line after the one holding off, or the
// end of the text.
func (t text) nextLine(off int) int {
	e := t.lineEnd(off)
	if e < len(t.src) && t.src[e] == '\r' {
		e++
	}
	if e < len(t.src) && t.src[e] == '\n' {
		e++
	}
	return e
}

// lineBreaksBefore counts the line breaks in the run of white space that
// ends at off.
func (t text) lineBreaksBefore(off int) int {
	n := 0
	for i := off - 1; i >= t.start; i-- {
		switch t.src[i] {
		case '\n':
			n++
		case '\r':
			if i+1 >= len(t.src) || t.src[i+1] != '\n' {
				n++
			}
		case ' ', '\t':
		default:
			return n
		}
	}
	return n
}

// blankLinesAfter counts the white-space-only lines that start at off.
func (t text) blankLinesAfter(off int) int {
	n := 0
	for off < len(t.src) {
		e := t.lineEnd(off)
		if len(bytes.TrimSpace(t.src[off:e])) > 0 || e == len(t.src) {
			return n
		}
		n++
		off = t.nextLine(off)
	}
	return n
}

// endsWithNewline reports whether the text's last byte is a line break.
func (t text) endsWithNewline() bool {
	return len(t.src) > 0 && (t.src[len(t.src)-1] == '\n' || t.src[len(t.src)-1] == '\r')
}

// insertBlock returns the edit that inserts block (markdown lines written
// with "\n", no final line break) at off, separated from the text around it
// by exactly one blank line where there is none, in the text's line ending.
// An offset inside a line moves to the start of the next line. The text's
// final newline, or its absence, is kept.
func (t text) insertBlock(path string, off int, block string) Edit {
	off = min(max(off, t.start), len(t.src))
	if ls := t.lineStart(off); ls != off && ls >= t.start {
		off = t.nextLine(off)
	}
	block = strings.ReplaceAll(strings.Trim(block, "\n"), "\n", t.nl)
	var sb strings.Builder
	if off > t.start {
		sb.WriteString(strings.Repeat(t.nl, max(0, 2-t.lineBreaksBefore(off))))
	}
	sb.WriteString(block)
	switch {
	case off == len(t.src):
		if t.endsWithNewline() || len(t.src) == t.start {
			sb.WriteString(t.nl)
		}
	default:
		sb.WriteString(t.nl)
		if t.blankLinesAfter(off) == 0 {
			sb.WriteString(t.nl)
		}
	}
	return Edit{Path: path, Span: spec.Span{Start: off, End: off}, NewText: sb.String()}
}

// sectionBlock returns a section's text without its trailing blank lines
// and final line break, with "\n" line endings.
func (t text) sectionBlock(s spec.Span) string {
	b := string(t.src[s.Start:s.End])
	b = strings.ReplaceAll(b, "\r\n", "\n")
	return trimBlankTail(b)
}

// trimBlankTail removes trailing white-space-only lines and the final line
// break, keeping trailing spaces of the last line with text.
func trimBlankTail(b string) string {
	for {
		b = strings.TrimRight(b, "\r\n")
		i := strings.LastIndexAny(b, "\n")
		if strings.TrimSpace(b[i+1:]) != "" || b == "" {
			return b
		}
		b = b[:max(i, 0)]
	}
}

// deleteSection returns the edit that removes a section's span so that the
// text around it stays separated by one blank line: a span that runs to the
// end of the text also takes the white space before it, keeping the final
// newline if there was one.
func (t text) deleteSection(path string, s spec.Span) Edit {
	if s.End < len(t.src) {
		return Edit{Path: path, Span: s}
	}
	q := s.Start
	for q > t.start && strings.ContainsRune(" \t\r\n", rune(t.src[q-1])) {
		q--
	}
	nl := ""
	if t.endsWithNewline() && q > t.start {
		nl = t.nl
	}
	return Edit{Path: path, Span: spec.Span{Start: q, End: s.End}, NewText: nl}
}

// regionEdits returns the line edits that turn the region's text into
// newText, so that unchanged lines are not touched.
func (t text) regionEdits(path string, region spec.Span, newText string) []Edit {
	old := string(t.src[region.Start:region.End])
	var out []Edit
	for _, e := range udiff.Lines(old, newText) {
		out = append(out, Edit{Path: path, Span: spec.Span{Start: region.Start + e.Start, End: region.Start + e.End}, NewText: e.New})
	}
	return out
}
