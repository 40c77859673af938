package codeactions

import (
	"bytes"
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// --- Tables and text -------------------------------------------------------

// tableText renders a markdown table, "" when there are no rows.
func tableText(cols []string, rows []genRow) string {
	if len(rows) == 0 {
		return ""
	}
	lines := []string{tableRow(cols), "|" + strings.Join(dashes(cols), "|") + "|"}
	for _, r := range rows {
		lines = append(lines, tableRow(r.cells))
	}
	return strings.Join(lines, "\n")
}

func dashes(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = strings.Repeat("-", max(3, len(c)+2))
	}
	return out
}

func tableRow(cells []string) string {
	var b strings.Builder
	writeTableRow(&b, cells)
	return b.String()
}

// writeTableRow writes a table row: each cell on one line, its pipes
// escaped.
func writeTableRow(b *strings.Builder, cells []string) {
	if len(cells) == 0 {
		b.WriteString("|  |")
		return
	}
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		if !plainCell(c) {
			c = strings.ReplaceAll(oneLine(c), "|", `\|`)
		}
		b.WriteString(c)
		b.WriteString(" |")
	}
}

// plainCell reports whether a cell is written as it is: printable ASCII,
// no pipe, words one space apart (oneLine would not change it).
func plainCell(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case c <= ' ' || c >= 0x7f || c == '|':
			return false
		}
	}
	return true
}

// fillTable completes the section's table with the given columns (the
// first two, or the first alone, must be there): generated rows that no
// row stands for are appended, rows that hold only placeholders are
// dropped, and every other row stays as written. Without such a table, the
// section gets one.
func (f *fixer) fillTable(sec *spec.Section, cols []string, gen rowsFunc, newIndex func(rows int) rowsIndex) []Edit {
	var t *spec.Table
	var idx []int
	for _, tb := range f.doc.Tables {
		if tb.Span.Start < sec.Own.Start || tb.Span.Start >= sec.Own.End {
			continue
		}
		idx = make([]int, len(cols))
		for i, c := range cols {
			idx[i] = tb.Column(c)
		}
		if idx[0] >= 0 {
			t = tb
			break
		}
	}
	if t == nil {
		return f.fillText(sec, tableText(cols, gen(nil).all()))
	}
	existing := make([][]string, 0, len(t.Rows))
	var drop []spec.Span // the lines of placeholder rows
	lastRow := -1        // the start of the table's last line
	for _, r := range t.Rows {
		if len(r) == 0 {
			continue
		}
		ls := f.t.lineStart(r[0].Span.Start)
		lastRow = max(lastRow, ls)
		// The whole line must be placeholders: goldmark drops cells past
		// the header's count, and text there is the author's.
		if line := spec.LineAt(f.doc.Text, ls); placeholderRow(r) && placeholderOnly(strings.ReplaceAll(line.Text(f.doc.Text), "|", " ")) {
			drop = append(drop, spec.Span{Start: ls, End: f.t.nextLine(ls)})
			continue
		}
		cells := make([]string, len(cols))
		for j, c := range idx {
			if c >= 0 && c < len(r) {
				cells[j] = r[c].Text
			}
		}
		existing = append(existing, cells)
	}
	rows := gen(existing)
	if rows.n == 0 {
		return nil // nothing derivable: the template rows stay for the author
	}
	if f.probe && len(drop) > 0 {
		return f.probeEdits()
	}
	// The rows are filed after gen has numbered the graph's keys (see
	// matrixRowsIndex).
	room := len(existing)
	if !f.probe {
		room = max(room, rows.n) // the author's rows and those added, mostly
	}
	rx := newIndex(room)
	var ix halvesIndex
	keys := make([][]uint64, len(existing))
	n := 0
	for i, r := range existing {
		keys[i] = rx.file(r)
		n += len(keys[i])
	}
	ix.ix.Reserve(n)
	for i, k := range keys {
		ix.Add(i, k)
	}
	var add [][]string
	var cands []int
	written := make([]string, len(cols)) // tested only: reused
	filed := len(existing)
	var g genRow // one for all: the index's methods take its address
	for k := range rows.n {
		g = rows.row(k)
		found := false
		cands = ix.Candidates(cands[:0], g.keys)
		for _, i := range cands {
			if rx.stands(i, &g) {
				found = true
				break
			}
		}
		if found {
			continue
		}
		// The row as this table can hold it: cells of columns it lacks
		// are lost. If the next round would not recognise that row, adding
		// it would repeat on every run; leave the table to the author.
		clear(written)
		for i, c := range idx {
			if c >= 0 {
				written[i] = g.cells[i]
			}
		}
		if rx.test(written, &g) {
			if f.probe {
				return f.probeEdits()
			}
			add = append(add, g.cells)
			ix.Add(filed, rx.file(g.cells))
			filed++
		}
	}
	if len(add) == 0 && len(drop) == 0 {
		return nil
	}
	// Rows are found by their cells' offsets, never by counting lines: the
	// table's span may start on a line that is not its header.
	header := f.t.lineStart(t.Header[0].Span.Start)
	if lastRow < 0 {
		lastRow = f.t.nextLine(header) // the delimiter row
	}
	line := f.t.src[header:f.t.lineEnd(header)]
	indent := string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
	var edits []Edit
	for _, d := range drop {
		edits = append(edits, f.t.deleteLines(f.doc.Path, d.Start, d.End))
	}
	if len(add) > 0 {
		// Thousands of rows: written into one buffer, not a string each.
		var b strings.Builder
		cells := make([]string, len(t.Header))
		for k, r := range add {
			clear(cells)
			for i, c := range idx {
				if c >= 0 && c < len(cells) {
					cells[c] = r[i]
				}
			}
			if k > 0 {
				b.WriteString(f.t.nl)
			}
			b.WriteString(indent)
			writeTableRow(&b, cells)
		}
		edits = append(edits, f.t.insertJoinedAfter(f.doc.Path, f.t.lineEnd(lastRow), b.String()))
	}
	return edits
}

// probeEdits stands for the edits of a generator that has some, when the
// fixer only asks whether it has (fixer.probe).
func (f *fixer) probeEdits() []Edit {
	return []Edit{{Path: f.doc.Path}}
}

// rowsIndex files the rows of the table being completed, in order, so
// that a generated row is tested only against the rows that may stand for
// it.
type rowsIndex interface {
	// file files the next row (its cells in the generator's column order)
	// and returns its keys (genRow.keys).
	file(r []string) []uint64
	// stands reports whether filed row i stands for g.
	stands(i int, g *genRow) bool
	// test reports whether a row not filed would stand for g.
	test(r []string, g *genRow) bool
}

// cellsIndex is a rowsIndex whose rows g.is tests by their cells.
type cellsIndex struct {
	keys func(r []string) []uint64
	rows [][]string
}

func (x *cellsIndex) file(r []string) []uint64 {
	x.rows = append(x.rows, r)
	return x.keys(r)
}

func (x *cellsIndex) stands(i int, g *genRow) bool    { return g.is(x.rows[i]) }
func (x *cellsIndex) test(r []string, g *genRow) bool { return g.is(r) }

// halvesIndex is an arch.PairIndex that first looks a key's halves up
// (the From and To key numbers of a matrix row's pair key; the high half is
// 0 for a single name's keys) in two bit sets of the halves filed: a key
// whose halves were not both filed has no entries, and is not hashed. A
// generated row has a dozen pair keys (every key of one node with every
// key of the other), and most of them, or all for a row the table lacks,
// pair halves no row has: completing a table of 50,000 rows looked up
// 1.6 million keys in a map of 200,000. The candidates are exactly the
// index's.
type halvesIndex struct {
	ix        arch.PairIndex
	high, low bitSet
	keys      []uint64 // the keys of one lookup, filtered
}

func (x *halvesIndex) Add(i int, keys []uint64) {
	for _, k := range keys {
		x.high.set(k >> 32)
		x.low.set(k & 0xffffffff)
	}
	x.ix.Add(i, keys)
}

func (x *halvesIndex) Candidates(dst []int, keys []uint64) []int {
	x.keys = x.keys[:0]
	for _, k := range keys {
		if x.high.has(k>>32) && x.low.has(k&0xffffffff) {
			x.keys = append(x.keys, k)
		}
	}
	if len(x.keys) == 0 {
		return dst
	}
	return x.ix.Candidates(dst, x.keys)
}

// bitSet is a set of small numbers (key numbers of one arch.Matcher).
type bitSet []uint64

func (b *bitSet) set(n uint64) {
	w := n / 64
	if w >= uint64(len(*b)) {
		*b = append(*b, make([]uint64, int(w)+1-len(*b))...)
	}
	(*b)[w] |= 1 << (n % 64)
}

func (b bitSet) has(n uint64) bool {
	w := n / 64
	return w < uint64(len(b)) && b[w]&(1<<(n%64)) != 0
}

// placeholderRow reports whether every cell of a row is empty or a
// placeholder.
func placeholderRow(r []spec.Cell) bool {
	any := false
	for _, c := range r {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		if !placeholderOnly(c.Text) {
			return false
		}
		any = true
	}
	return any
}

// delimiterRow matches a table's delimiter row: "|---|:--:|".
var delimiterRow = lazyregexp.New(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

var markerWord = lazyregexp.New(`\b(TODO|TBD|TKTK|FIXME)\b`)

// placeholderOnly reports whether s is made of placeholders, markers and
// markdown punctuation only, with at least one placeholder or marker.
func placeholderOnly(s string) bool {
	// Neither pattern matches without a "[" or a marker's first letter:
	// a table of 50,000 named rows is not run through two regexps.
	if strings.IndexByte(s, '[') < 0 && strings.IndexByte(s, 'T') < 0 && strings.IndexByte(s, 'F') < 0 {
		return false
	}
	if !placeholder.MatchString(s) && !markerWord.MatchString(s) {
		return false
	}
	rest := placeholder.ReplaceAllString(s, "")
	rest = markerWord.ReplaceAllString(rest, "")
	rest = markdownPunct.Replace(rest)
	return strings.TrimSpace(rest) == ""
}

// markdownPunct removes what placeholderOnly accepts beside placeholders
// and markers; a Replacer is safe for concurrent use.
var markdownPunct = strings.NewReplacer("e.g.", "", "|", "", "-", "", "*", "", "+", "", ":", "", ">", "", "#", "", "`", "", "_", "")

// lineSet returns the trimmed, space-collapsed lines of a template body,
// outside code fences.
func lineSet(body string) map[string]bool {
	out := map[string]bool{}
	fence := false
	for _, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if !fence && t != "" {
			out[strings.Join(strings.Fields(t), " ")] = true
		}
	}
	return out
}

// templateLines returns the lines of the template section a document
// section matches.
func (f *fixer) templateLines(s *spec.Section) map[string]bool {
	if ts := f.m.Of[s]; ts != nil {
		return lineSet(ts.Body)
	}
	return nil
}

// isTemplateLine reports whether a line is left-over template text: one of
// the template's own lines, or placeholders alone.
func isTemplateLine(l string, tl map[string]bool) bool {
	t := strings.Join(strings.Fields(l), " ")
	if t == "" {
		return false
	}
	return tl[t] || placeholderOnly(t)
}

func nlText(s, nl string) string {
	if nl == "\n" {
		return s
	}
	return strings.ReplaceAll(s, "\n", nl)
}

// fillText puts generated content into a section: its template lines
// (and tables made only of template rows) give way to the content, which
// takes the place of the first of them, else follows the section's own
// text. Every other line stays as written.
func (f *fixer) fillText(sec *spec.Section, body string) []Edit {
	if body == "" {
		return nil
	}
	own := sec.Own
	tl := f.templateLines(sec)
	raw := strings.ReplaceAll(own.Text(f.doc.Text), "\r\n", "\n")
	lines := strings.Split(raw, "\n")
	if strings.HasSuffix(raw, "\n") {
		lines = lines[:len(lines)-1]
	}
	del := make([]bool, len(lines))
	// Offsets of the lines, to skip code blocks and find tables.
	offs := make([]int, len(lines))
	o := own.Start
	for i := range lines {
		offs[i] = o
		o = f.t.nextLine(o)
	}
	for i, l := range lines {
		if !f.doc.InCode(offs[i]) && !inTable(f.doc, offs[i]) && isTemplateLine(l, tl) {
			del[i] = true
		}
	}
	for _, t := range f.doc.Tables {
		if t.Span.Start < own.Start || t.Span.Start >= own.End {
			continue
		}
		all := len(t.Rows) > 0
		for _, r := range t.Rows {
			all = all && placeholderRow(r)
		}
		// A table of template rows goes as a whole, but only when every one
		// of its lines is template text: its span can start on the author's
		// line (a table inside a list item).
		var in []int
		for i := range lines {
			if offs[i] >= f.t.lineStart(t.Span.Start) && offs[i] < t.Span.End {
				in = append(in, i)
				if !isTemplateLine(lines[i], tl) && !delimiterRow.MatchString(lines[i]) {
					all = false
				}
			}
		}
		if all {
			for _, i := range in {
				del[i] = true
			}
		}
	}
	var before, after []string
	first := -1
	for i, l := range lines {
		if del[i] {
			if first < 0 {
				first = i
			}
			continue
		}
		// A blank line right after removed lines, following a blank one, goes too.
		if strings.TrimSpace(l) == "" && i > 0 && del[i-1] {
			prev := before
			if first >= 0 {
				prev = after
			}
			if len(prev) == 0 || strings.TrimSpace(prev[len(prev)-1]) == "" {
				continue
			}
		}
		if first < 0 {
			before = append(before, l)
		} else {
			after = append(after, l)
		}
	}
	at := own.End // where the body goes: the first template line, else the end
	if first >= 0 {
		at = offs[first]
	}
	if f.inCode(at) || first < 0 && own.End == len(f.t.src) && f.inCode(len(f.t.src)) {
		return nil
	}
	var pieces []string
	if b := trimBlankLines(before); b != "" {
		pieces = append(pieces, b)
	}
	pieces = append(pieces, body)
	if a := trimBlankLines(after); a != "" {
		pieces = append(pieces, a)
	}
	lead := "\n"
	if own.Start == len(f.t.src) && !f.t.endsWithNewline() {
		lead = "\n\n"
	}
	tail := "\n\n"
	if own.End == len(f.t.src) {
		tail = ""
		if f.t.endsWithNewline() {
			tail = "\n"
		}
	}
	newText := lead + strings.Join(pieces, "\n\n") + tail
	return f.t.regionEdits(f.doc.Path, own, nlText(newText, f.t.nl))
}

func inTable(d *spec.Document, off int) bool {
	for _, t := range d.Tables {
		if t.Span.Start <= off && off < t.Span.End {
			return true
		}
	}
	return false
}

// trimBlankLines joins lines without the blank ones at either end.
func trimBlankLines(ls []string) string {
	for len(ls) > 0 && strings.TrimSpace(ls[0]) == "" {
		ls = ls[1:]
	}
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return strings.Join(ls, "\n")
}
