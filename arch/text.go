package arch

import (
	"strings"

	"github.com/specls/specls/spec"
)

// FindSection returns the first heading whose normalised title equals one
// of names, else the first that contains one as whole words.
func FindSection(d *spec.Document, names ...string) *spec.Section {
	for _, n := range names {
		for _, h := range d.Headings {
			if h.Key == n {
				return h
			}
		}
	}
	for _, n := range names {
		for _, h := range d.Headings {
			if Mentions(h.Key, []string{n}) {
				return h
			}
		}
	}
	return nil
}

// FindSectionContaining returns the first heading whose normalised title
// holds one of the words as a whole word.
func FindSectionContaining(d *spec.Document, words ...string) *spec.Section {
	for _, h := range d.Headings {
		if Mentions(h.Key, words) {
			return h
		}
	}
	return nil
}

// tableKeys are the HeaderKeys of a document's tables, each made on first
// use: the matrix, the ownership tables and the libraries read every
// table's header (a Model's are shared by the three).
type tableKeys struct {
	d    *spec.Document
	keys [][]string
}

// of returns the HeaderKeys of d.Tables[i].
func (k *tableKeys) of(i int) []string {
	if k.keys == nil {
		k.keys = make([][]string, len(k.d.Tables))
	}
	if k.keys[i] == nil {
		k.keys[i] = HeaderKeys(k.d.Tables[i])
	}
	return k.keys[i]
}

// HeaderKeys returns the normalised header texts of a table.
func HeaderKeys(t *spec.Table) []string {
	// The keys are written one after the other in one buffer and cut from
	// one string: every table is read for a matrix, an ownership table
	// and libraries, and a string per header cell was most of that.
	out := make([]string, len(t.Header))
	var arr [256]byte
	var endArr [32]int
	buf, ends := arr[:0], endArr[:0]
	for _, h := range t.Header {
		buf = spec.AppendNormalize(buf, h.Text)
		ends = append(ends, len(buf))
	}
	all := string(buf)
	at := 0
	for i, end := range ends {
		out[i] = all[at:end]
		at = end
	}
	return out
}

// Column returns the index of the first header equal to one of names
// (already normalised), or -1.
func Column(keys []string, names ...string) int {
	for i, k := range keys {
		for _, n := range names {
			if k == n {
				return i
			}
		}
	}
	return -1
}

// CellAt returns cell i of a row, empty when the row is shorter.
func CellAt(r []spec.Cell, i int) spec.Cell {
	if i < 0 || i >= len(r) {
		return spec.Cell{}
	}
	return r[i]
}

// RowSpan returns a table row's line without indentation or line break.
func RowSpan(d *spec.Document, r []spec.Cell) spec.Span {
	if len(r) == 0 {
		return spec.Span{}
	}
	return TrimmedLine(d.Text, r[0].Span.Start)
}

// TrimmedLine is the line holding off without leading and trailing blanks
// (a BOM too) or its line break.
func TrimmedLine(src []byte, off int) spec.Span {
	l := spec.LineAt(src, off)
	if l.Start == 0 && len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.Start = 3
	}
	for l.Start < l.End && (src[l.Start] == ' ' || src[l.Start] == '\t') {
		l.Start++
	}
	for l.End > l.Start && (src[l.End-1] == ' ' || src[l.End-1] == '\t') {
		l.End--
	}
	return l
}

var nameSeparators = strings.NewReplacer(" and ", ",", "&", ",", "/", ",", ";", ",", "+", ",")

// SplitNames splits "Auth, Profile & Billing" into names.
func SplitNames(s string) []string {
	if !strings.ContainsAny(s, ",&/;+") && !strings.Contains(s, " and ") {
		// One name, as most cells hold: the replacer's generic algorithm
		// (" and " is a word) was most of the cost.
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return []string{s}
	}
	s = nameSeparators.Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
