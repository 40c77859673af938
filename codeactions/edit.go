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

func insertedLen(es []Edit) int {
	n := 0
	for _, e := range es {
		n += len(e.NewText)
	}
	return n
}

// applyTidy applies edits like Apply, then removes the extra blank lines
// where fixes meet: a run of more than one blank line loses line breaks that
// came from inserted text (never the author's) until one blank line is left.
// Each fix sets its text off from the text it saw; two fixes side by side
// (a section moved to where another was filled) can leave two blank lines.
func applyTidy(src []byte, edits []Edit) ([]byte, error) {
	b, _, err := applyTidied(src, edits)
	return b, err
}

// applyTidied is applyTidy that also says whether it removed any line
// break, that is whether its text differs from Apply's.
func applyTidied(src []byte, edits []Edit) ([]byte, bool, error) {
	es := sortedEdits(edits)
	var out bytes.Buffer
	out.Grow(len(src) + insertedLen(es))
	var inserted [][2]int // spans of inserted text in out
	pos := 0
	for _, e := range es {
		if e.Span.Start < pos || e.Span.End < e.Span.Start || e.Span.End > len(src) {
			return nil, false, fmt.Errorf("apply edits: edit %v overlaps another or lies outside the %d-byte text", e.Span, len(src))
		}
		out.Write(src[pos:e.Span.Start])
		inserted = append(inserted, [2]int{out.Len(), out.Len() + len(e.NewText)})
		out.WriteString(e.NewText)
		pos = e.Span.End
	}
	out.Write(src[pos:])
	b := out.Bytes()
	isInserted := func(i int) bool {
		for _, s := range inserted {
			if s[0] <= i && i < s[1] {
				return true
			}
		}
		return false
	}
	drop := map[int]int{} // start of a line break to remove -> its length
	for i := 0; i < len(b); {
		if b[i] != '\n' && b[i] != '\r' {
			i++
			continue
		}
		type brk struct{ at, n int }
		var run []brk
		for i < len(b) && (b[i] == '\n' || b[i] == '\r') {
			n := 1
			if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
				n = 2
			}
			run = append(run, brk{i, n})
			i += n
		}
		extra := len(run) - 2
		for k := len(run) - 1; k >= 0 && extra > 0; k-- {
			if isInserted(run[k].at) {
				drop[run[k].at] = run[k].n
				extra--
			}
		}
	}
	if len(drop) == 0 {
		return b, false, nil
	}
	tidy := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if n, ok := drop[i]; ok {
			i += n
			continue
		}
		tidy = append(tidy, b[i])
		i++
	}
	return tidy, true, nil
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

// insertAt returns where insertBlock puts text meant for off.
func (t text) insertAt(off int) int {
	off = min(max(off, t.start), len(t.src))
	if ls := t.lineStart(off); ls != off && ls >= t.start {
		off = t.nextLine(off)
	}
	return off
}

// insertBlock returns the edit that inserts block (markdown lines written
// with "\n", no final line break) at off, separated from the text around it
// by exactly one blank line where there is none, in the text's line ending.
// An offset inside a line moves to the start of the next line. The text's
// final newline, or its absence, is kept.
func (t text) insertBlock(path string, off int, block string) Edit {
	off = t.insertAt(off)
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
// end of the text also takes the blank lines before it (whole lines only),
// and keeps the final newline, or its absence.
func (t text) deleteSection(path string, s spec.Span) Edit {
	if s.End < len(t.src) {
		return Edit{Path: path, Span: s}
	}
	q := s.Start // a line start; step back over whole blank lines
	for q > t.start {
		b := t.breakBefore(q)
		ls := t.lineStart(b)
		if len(bytes.TrimSpace(t.src[ls:b])) > 0 {
			break
		}
		q = ls
	}
	if !t.endsWithNewline() && q > t.start {
		q = t.breakBefore(q) // the text keeps ending without a line break
	}
	return Edit{Path: path, Span: spec.Span{Start: q, End: s.End}}
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

// breakBefore returns the start of the line break that ends just before
// the line start q ("\r\n", "\n" or "\r"), or q when there is none.
func (t text) breakBefore(q int) int {
	switch {
	case q >= t.start+2 && t.src[q-2] == '\r' && t.src[q-1] == '\n':
		return q - 2
	case q > t.start && (t.src[q-1] == '\n' || t.src[q-1] == '\r'):
		return q - 1
	}
	return q
}

// deleteLines returns the edit that removes whole lines [from, to), to
// being a line start or the end of the text. Removing the last line of a
// text without a final newline takes the line break before it instead, so
// that the text still ends without one.
func (t text) deleteLines(path string, from, to int) Edit {
	if to == len(t.src) && !t.endsWithNewline() && from > t.start {
		from = t.breakBefore(from)
	}
	return Edit{Path: path, Span: spec.Span{Start: from, End: to}}
}
