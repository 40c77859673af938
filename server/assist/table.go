package assist

import (
	"github.com/specls/specls/spec"
)

// Cell is the table cell under a cursor, read from the raw line so that a
// row still being typed counts.
type Cell struct {
	Table   *spec.Table
	Row     int // -1 for the header, -2 for the delimiter row, else the body row
	Column  int
	Content spec.Span // the cell's text without surrounding spaces (may be empty)
}

// Header returns the normalised header text of the cell's column, or "".
func (c Cell) Header() string {
	if c.Column < 0 || c.Column >= len(c.Table.Header) {
		return ""
	}
	return spec.Normalize(c.Table.Header[c.Column].Text)
}

// cellAt returns the table cell holding off. A line just after a table that
// starts with a pipe belongs to it: that is a row being typed.
func cellAt(d *spec.Document, off int) (Cell, bool) {
	src := d.Text
	ln := lineAt(src, off)
	for _, t := range d.Tables {
		if ln.Start < t.Span.Start || ln.Start > nextLine(src, t.Span.End) {
			continue
		}
		if ln.Start > t.Span.End && !startsWithPipe(src[ln.Start:ln.End]) {
			continue
		}
		row := linesBetween(src, t.Span.Start, ln.Start) - 2
		if row == -2 {
			row = -1 // header
		} else if row == -1 {
			row = -2 // delimiter
		}
		col, content := splitCell(src, ln, off)
		return Cell{Table: t, Row: row, Column: col, Content: content}, true
	}
	return Cell{}, false
}

func startsWithPipe(line []byte) bool {
	for _, b := range line {
		if b == ' ' || b == '\t' {
			continue
		}
		return b == '|'
	}
	return false
}

// nextLine returns the offset just past the line break after off.
func nextLine(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off < len(src) {
		off++
	}
	return off
}

// linesBetween counts the line breaks in src[a:b].
func linesBetween(src []byte, a, b int) int {
	n := 0
	for i := a; i < b && i < len(src); i++ {
		if src[i] == '\n' {
			n++
		}
	}
	return n
}

// splitCell finds the column of off on a table line and the trimmed span of
// that cell. Escaped pipes and pipes inside code spans do not split cells.
func splitCell(src []byte, ln spec.Span, off int) (int, spec.Span) {
	var pipes []int
	code := false
	for i := ln.Start; i < ln.End; i++ {
		switch src[i] {
		case '\\':
			i++
		case '`':
			code = !code
		case '|':
			if !code {
				pipes = append(pipes, i)
			}
		}
	}
	leading := startsWithPipe(src[ln.Start:ln.End])
	start, end, col := ln.Start, ln.End, 0
	for _, p := range pipes {
		if p < off {
			start = p + 1
			col++
		} else {
			end = p
			break
		}
	}
	if leading {
		col--
	}
	s, e := start, end
	for s < e && (src[s] == ' ' || src[s] == '\t') {
		s++
	}
	for e > s && (src[e-1] == ' ' || src[e-1] == '\t') {
		e--
	}
	// A cursor in the padding still edits this cell; the span must hold it.
	switch {
	case s == e:
		s, e = off, off
	case off < s:
		s = off
	case off > e:
		e = off
	}
	return max(col, 0), spec.Span{Start: s, End: e}
}
