package gfm

import (
	"bytes"

	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// RawRow is a table body row none of whose cells holds a character that
// starts inline markup (see Plain): goldmark's inline parse would make each
// cell one text node, the cell's trimmed source. A RawRow keeps only the
// cells' positions, and goldmark skips it (IsRaw): a table of plain rows
// costs two allocations a row instead of three per cell and one for the row.
// Only NewSpecParser makes them; TestSameAsGoldmark expands each into the
// TableRow, TableCell and Text nodes goldmark makes and compares the trees.
type RawRow struct {
	gast.BaseBlock
	Alignments []ast.Alignment
	Cells      []RawCell
}

// RawCell is one cell of a RawRow. Start and Stop bound the cell's content
// with the spaces around it trimmed (the TableCell's one line, and its Text
// node's segment when not empty); Pos is the TableCell's position. A cell
// the row lacks (padded up to the header's count, without a line or a
// position) has all three -1: see Missing.
type RawCell struct {
	Pos, Start, Stop int
}

// Missing reports whether the row lacks the cell.
func (c RawCell) Missing() bool { return c.Start < 0 }

// KindRawRow is the NodeKind of RawRow.
var KindRawRow = gast.NewNodeKind("RawRow")

// Kind implements ast.Node.
func (n *RawRow) Kind() gast.NodeKind { return KindRawRow }

// IsRaw implements ast.Node: goldmark does not parse the row's inlines.
func (n *RawRow) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *RawRow) Dump(source []byte, level int) {
	gast.DumpHelper(n, source, level, nil, nil)
}

// Plain reports whether b holds none of the bytes that trigger goldmark's
// inline parsers (code spans, links and images, autolinks and raw HTML,
// emphasis, task boxes). Backslash escapes and entities are left in the
// text node as written, so they do not matter; a backtick does, since an
// escaped pipe inside a code span changes the cell.
func Plain(b []byte) bool {
	for _, c := range b {
		if plainStop[c] {
			return false
		}
	}
	return true
}

var plainStop = [256]bool{'`': true, '[': true, ']': true, '!': true, '<': true, '*': true, '_': true}

// LinkFree reports whether b holds neither '[' nor '<': no inline parser
// can make a link, image, autolink, raw HTML or task box of it (linkify is
// not on). Backticks, emphasis and escapes make no such node.
func LinkFree(b []byte) bool {
	return bytes.IndexByte(b, '[') < 0 && bytes.IndexByte(b, '<') < 0
}

// NewSpecParser is NewParser with plain table body rows made RawRow nodes
// and link-free paragraphs RawParagraph nodes (the parser spec.Parse uses).
func NewSpecParser(opts ...parser.Option) parser.Parser {
	p := newParser(rawTableParagraphTransformer, opts...)
	p.AddOptions(parser.WithParagraphTransformers(util.Prioritized(rawParagraphTransformer{}, 300)))
	return p
}

// parseRawRow is parseRow of a body row for a row that is Plain, as a
// RawRow; nil when the row is not plain. It cuts the cells as parseRow
// does (a plain row has no code span, so every unescaped pipe ends one).
func parseRawRow(segment text.Segment, alignments []ast.Alignment, source []byte) *RawRow {
	npos := segment
	segment = segment.TrimLeftSpace(source)
	segment = segment.TrimRightSpace(source)
	line := segment.Value(source)
	if !Plain(line) {
		return nil
	}
	pos := 0
	limit := len(line)
	row := &RawRow{Alignments: alignments, Cells: make([]RawCell, 0, len(alignments))}
	row.SetPos(npos.Start)
	if len(line) > 0 && line[pos] == '|' {
		pos++
	}
	if len(line) > 0 && line[limit-1] == '|' {
		limit--
	}
	for i := 0; pos < limit; i++ {
		if i >= len(alignments) {
			return row
		}
		closure := pos
		for ; closure < limit; closure++ {
			if line[closure] == '|' && (closure == 0 || line[closure-1] != '\\') {
				break
			}
		}
		seg := text.NewSegment(segment.Start+pos, segment.Start+closure)
		seg = seg.TrimLeftSpace(source)
		seg = seg.TrimRightSpace(source)
		row.Cells = append(row.Cells, RawCell{Pos: npos.Start + pos - npos.Padding, Start: seg.Start, Stop: seg.Stop})
		pos = closure + 1
	}
	for len(row.Cells) < len(alignments) {
		row.Cells = append(row.Cells, RawCell{Pos: -1, Start: -1, Stop: -1})
	}
	return row
}

// RawParagraph is a paragraph none of whose lines holds a '[' or a '<'
// (see LinkFree): goldmark's inline parse would find no link, image,
// autolink, raw HTML or task box in it, which is all spec.Parse reads
// inside a paragraph (its lines it reads from the source). goldmark skips
// it (IsRaw): most list items of a spec hold emphasis or code but no link,
// and their inline parse was most of goldmark's. Its lines are trimmed as goldmark's
// paragraph parser trims them on close. In a tight list it stands where
// goldmark puts a TextBlock (goldmark converts only Paragraph nodes), so
// readers tell the two apart by the list's tightness. Only NewSpecParser
// makes them; TestSameAsGoldmark compares them with goldmark's paragraphs
// and checks that goldmark's inlines there hold none of those nodes.
type RawParagraph struct {
	gast.BaseBlock
}

// KindRawParagraph is the NodeKind of RawParagraph.
var KindRawParagraph = gast.NewNodeKind("RawParagraph")

// Kind implements ast.Node.
func (n *RawParagraph) Kind() gast.NodeKind { return KindRawParagraph }

// Pos implements ast.Node as goldmark's Paragraph does: the first line's start.
func (n *RawParagraph) Pos() int {
	if n.Lines().Len() == 0 {
		return -1
	}
	return n.Lines().At(0).Start
}

// IsRaw implements ast.Node: goldmark does not parse the paragraph's inlines.
func (n *RawParagraph) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *RawParagraph) Dump(source []byte, level int) {
	gast.DumpHelper(n, source, level, nil, nil)
}

// rawParagraphTransformer makes link-free paragraphs RawParagraph nodes. It
// runs after the link reference and table transformers.
type rawParagraphTransformer struct{}

func (rawParagraphTransformer) Transform(node *gast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	parent := node.Parent()
	if lines.Len() == 0 || parent == nil {
		return
	}
	src := reader.Source()
	for i := range lines.Len() {
		if l := lines.At(i); !LinkFree(src[l.Start:l.Stop]) {
			return
		}
	}
	// A setext heading's underline closes its paragraph through the
	// transformers, and a paragraph they replace makes no heading: leave
	// any paragraph followed by such a line as it is.
	if line, _ := reader.PeekLine(); setextLike(line) {
		return
	}
	// paragraphParser.Close's trimming, which a replaced paragraph misses.
	for i := range lines.Len() {
		l := lines.At(i)
		lines.Set(i, l.TrimLeftSpace(src))
	}
	last := lines.At(lines.Len() - 1)
	lines.Set(lines.Len()-1, last.TrimRightSpace(src))
	raw := &RawParagraph{}
	raw.SetLines(lines)
	raw.SetBlankPreviousLines(node.HasBlankPreviousLines())
	parent.ReplaceChild(parent, node, raw)
}

// setextLike reports whether line, trimmed, is a run of '=' or of '-':
// every setext heading underline is.
func setextLike(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || (t[0] != '=' && t[0] != '-') {
		return false
	}
	for _, c := range t {
		if c != t[0] {
			return false
		}
	}
	return true
}
