package spec

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"

	"github.com/specls/specls/internal/gfm"
)

// Kind says which spec file a document is.
type Kind int

const (
	KindUnknown Kind = iota
	KindPRD
	KindTechSpec
	KindTasks
)

func (k Kind) String() string {
	switch k {
	case KindPRD:
		return "prd"
	case KindTechSpec:
		return "techspec"
	case KindTasks:
		return "tasks"
	}
	return "unknown"
}

// KindOf tells the kind of a spec file from its name.
func KindOf(path string) Kind {
	switch strings.ToLower(filepath.Base(path)) {
	case "_prd.md":
		return KindPRD
	case "_techspec.md":
		return KindTechSpec
	case "_tasks.md":
		return KindTasks
	}
	return KindUnknown
}

// Document is one parsed markdown spec file. Every span indexes Text.
type Document struct {
	Path string
	Kind Kind
	Text []byte
	// BOM is true when Text starts with a UTF-8 byte order mark.
	BOM bool
	// CRLF is true when the first line break of the text is "\r\n".
	CRLF bool

	// Headings lists every section in document order; Roots the top of the tree.
	Headings []*Section
	Roots    []*Section

	Tables []*Table
	Code   []*CodeBlock
	Tasks  []*TaskItem
	Links  []*Link
	// Lists holds ordered and bullet list items at any depth, in order.
	Items []*ListItem
	// Paragraphs holds the span of each paragraph (text outside code, tables
	// and headings), in order.
	Paragraphs []Span

	// FrontMatter is the YAML front matter, when the file starts with one.
	FrontMatter     map[string]any
	FrontMatterSpan Span

	// Refs lists every requirement ID mention; Requirements the IDs this
	// document defines (PRD requirement lists, ID-led items and rows).
	Refs         []*ReqRef
	Requirements []*Requirement

	// Refused, when set, says why the file is not checked: its only
	// finding is that, and nothing else reads or edits it.
	Refused *Refusal

	mapper *Mapper
	src    string // Text as a string, so that Slice does not copy

	// chunks are the pieces the text was parsed in, when it was (see
	// Cache.Parse).
	chunks []*chunk
}

// Section is a heading and everything up to the next heading of the same or a
// higher level.
type Section struct {
	Title string // heading text as written, inline markup removed
	Key   string // Normalize(Title), computed once: rules match on it
	// MatchKey is HeadingKey(Title): the key without numbering and
	// qualifiers that template sections are matched by.
	MatchKey  string
	Level     int  // 1..6
	Heading   Span // the heading line without its line break
	TitleSpan Span // the heading text inside the line
	Span      Span // heading start to the end of the section (subsections included)
	Own       Span // after the heading line up to the first subsection
	Parent    *Section
	Children  []*Section
	Index     int // position in Document.Headings
}

// Body returns everything after the heading line, subsections included.
func (s *Section) Body() Span {
	return Span{s.Own.Start, s.Span.End}
}

// Table is a GFM table.
type Table struct {
	Span    Span
	Header  []Cell
	Rows    [][]Cell
	Section *Section // innermost section holding the table (nil before any heading)
}

// Cell is one table cell; Text is trimmed and has inline markup removed.
type Cell struct {
	Text string
	Span Span // the trimmed cell content (empty span at the cell start when empty)
}

// Column returns the index of the first header cell whose normalised text is
// one of names, or -1.
func (t *Table) Column(names ...string) int {
	// The keys are built in stack buffers and compared as bytes: rules
	// ask for columns of every table, and the strings were garbage.
	var hb, wb [128]byte
	for i, h := range t.Header {
		n := AppendNormalize(hb[:0], h.Text)
		for _, want := range names {
			if string(n) == string(AppendNormalize(wb[:0], want)) {
				return i
			}
		}
	}
	return -1
}

// CodeBlock is a fenced or indented code block.
type CodeBlock struct {
	Info     string // info string (first word is the language), "" when indented
	Lang     string // lower-cased first word of Info
	Span     Span   // fences included
	Content  Span   // the lines between the fences
	Section  *Section
	Unclosed bool // the fence was never closed
}

// TaskItem is a GFM task-list item: "- [ ] text" or "- [x] text".
type TaskItem struct {
	Checked bool
	Text    string
	Span    Span // the item's first line, marker included
	Box     Span // the "[ ]" / "[x]"
	Section *Section
}

// ListItem is one item of a list, its text being the item's first block.
type ListItem struct {
	Ordered bool
	Number  int    // the item number for ordered lists
	Text    string // the first line of the item, markup removed
	Span    Span   // the item's first line, marker included
	Depth   int    // 0 for top-level lists
	Section *Section
}

// Link is an inline link or autolink.
type Link struct {
	Dest string
	Text string
	Span Span
}

// Parse builds a Document from text. It never fails: markdown has no syntax
// errors, and whatever goldmark cannot make sense of stays paragraph text.
func Parse(path string, src []byte) *Document {
	return parseText(newDocument(path, src))
}

// parseOwned is Parse of a buffer nothing else holds or will write to (a
// file just read): the document's string view of the text shares it
// instead of copying it.
func parseOwned(path string, src []byte) *Document {
	return parseText(newDocumentOf(path, src, unsafe.String(unsafe.SliceData(src), len(src))))
}

// parseText fills d, made by newDocumentOf, from its text: in pieces on
// every core when the text is big (see parseSplit), else whole.
func parseText(d *Document) *Document {
	if len(d.Text) >= splitMin && parseSplit(d, max(pieceMin, len(d.Text)/(4*splitWorkers())), splitWorkers()) {
		return d
	}
	parseBlocks(d, d.Text, -1)
	d.finish()
	return d
}

func newDocument(path string, src []byte) *Document {
	return newDocumentOf(path, src, string(src))
}

// newDocumentOf is newDocument with text, src as a string, given.
func newDocumentOf(path string, src []byte, text string) *Document {
	d := &Document{Path: path, Kind: KindOf(path), Text: src, src: text}
	d.BOM = bytes.HasPrefix(src, bom)
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		d.CRLF = true
	}
	return d
}

// parseBlocks parses src (a whole text, or the chunk of one that starts at
// its beginning or at a heading line) into d's lists, every span relative
// to src: headings without their tree, tables, code blocks, items, links,
// paragraphs and the front matter. With tail >= 0, src goes on past the
// chunk with the heading line at offset tail, and goldmark must make that
// line a top-level heading (else ok is false and d is left unset): then the
// chunk parses alone as it does in the whole text. refs says whether src
// defines link references, which apply to the whole text.
func parseBlocks(d *Document, src []byte, tail int) (ok, refs bool) {
	return parseBlocksWith(markdown(), d, src, tail)
}

// parseBlocksWith is parseBlocks with parser md (tests compare markdown
// with goldmark's own table rows).
func parseBlocksWith(md parser.Parser, d *Document, src []byte, tail int) (ok, refs bool) {
	// goldmark does not know the BOM: parse a copy with the BOM replaced by
	// three spaces, so that every offset still indexes the original text
	// (up to three spaces of indentation change no block's meaning).
	hasBOM := bytes.HasPrefix(src, bom)
	parseSrc := src
	if hasBOM {
		parseSrc = append([]byte("   "), src[3:]...)
	}
	d.parseFrontMatter(parseSrc, hasBOM)
	if d.FrontMatterSpan.End > 0 {
		// Blank the front matter so goldmark does not read "---" as a rule or
		// a setext underline; offsets stay the same.
		if &parseSrc[0] == &src[0] {
			parseSrc = bytes.Clone(src)
		}
		for i := 0; i < d.FrontMatterSpan.End; i++ {
			if parseSrc[i] != '\n' && parseSrc[i] != '\r' {
				parseSrc[i] = ' '
			}
		}
	}
	pc := parser.NewContext()
	root := md.Parse(text.NewReader(parseSrc), parser.WithContext(pc))
	if tail >= 0 {
		h, isHeading := root.LastChild().(*ast.Heading)
		if !isHeading || h.Pos() != tail {
			return false, false
		}
		root.RemoveChild(root, h)
	}
	b := builder{d: d, src: parseSrc}
	if len(src) > 0 && len(d.src) == len(src) && &parseSrc[0] == &src[0] {
		// Inline text that is one run of the source is a slice of the
		// document's string, not a copy. A chunk (d.src unset) copies: it
		// outlives the text it was cut from.
		b.text = d.src
	}
	if hasBOM {
		b.floor = 3
	}
	b.walk(root)
	return true, len(pc.References()) > 0
}

// finish runs the passes over the whole text: the section tree and spans,
// the section of each block, and the requirement IDs.
func (d *Document) finish() {
	d.linkSections()
	d.finishSections()
	d.scanRequirements()
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// markdown is the parser of spec files, built on first use: commands that
// parse nothing (version, help) and the server until its first document
// do not pay for its set-up.
var markdown = sync.OnceValue(func() parser.Parser {
	return gfm.NewSpecParser(parser.WithAttribute())
})

// Slice returns the text of span s, clipped to the document, without
// copying: rules slice thousands of lines and sections per check.
func (d *Document) Slice(s Span) string {
	if d.src == "" && len(d.Text) > 0 {
		return s.Text(d.Text) // a Document not made by Parse
	}
	a, b := max(0, s.Start), min(len(d.src), s.End)
	if a >= b {
		return ""
	}
	return d.src[a:b]
}

// Mapper returns the position mapper of the document's text.
func (d *Document) Mapper() *Mapper {
	if d.mapper == nil {
		d.mapper = NewMapper(d.Text)
	}
	return d.mapper
}

// SectionAt returns the innermost section holding byte offset off, or nil.
func (d *Document) SectionAt(off int) *Section {
	// Headings are in document order: find the last one starting at or
	// before off, then climb to the first ancestor whose span holds off.
	i := sort.Search(len(d.Headings), func(i int) bool { return d.Headings[i].Heading.Start > off }) - 1
	if i < 0 {
		return nil
	}
	for s := d.Headings[i]; s != nil; s = s.Parent {
		if off < s.Span.End || (off == len(d.Text) && s.Span.End == off) {
			return s
		}
	}
	return nil
}

// Title returns the text of the first level-1 heading, or "".
func (d *Document) Title() *Section {
	for _, s := range d.Headings {
		if s.Level == 1 {
			return s
		}
	}
	return nil
}

// Find returns the sections whose normalised title equals title's.
func (d *Document) Find(title string) []*Section {
	n := Normalize(title)
	var out []*Section
	for _, s := range d.Headings {
		if Normalize(s.Title) == n {
			out = append(out, s)
		}
	}
	return out
}

// LineEnding returns the document's line break, "\r\n" or "\n".
func (d *Document) LineEnding() string {
	if d.CRLF {
		return "\r\n"
	}
	return "\n"
}

func (d *Document) parseFrontMatter(src []byte, hasBOM bool) {
	body, end := frontMatterSpan(src, hasBOM)
	if end == 0 {
		return
	}
	var m map[string]any
	_ = yaml.Unmarshal(body, &m) // bad front matter stays unparsed
	d.FrontMatter = m
	d.FrontMatterSpan = Span{0, end}
}

// frontMatterSpan returns the YAML between the "---" lines that open src
// (after the BOM, when hasBOM) and the end of the closing line, or 0.
func frontMatterSpan(src []byte, hasBOM bool) (body []byte, end int) {
	s := src
	off := 0
	if hasBOM && len(s) >= 3 {
		s, off = s[3:], 3
	}
	if !bytes.HasPrefix(s, []byte("---\n")) && !bytes.HasPrefix(s, []byte("---\r\n")) {
		return nil, 0
	}
	rest := s[3:]
	i := 0
	for {
		nl := bytes.IndexByte(rest[i:], '\n')
		if nl < 0 {
			return nil, 0
		}
		i += nl + 1
		line := bytes.TrimRight(rest[i:min(len(rest), i+5)], "\r\n")
		if bytes.HasPrefix(rest[i:], []byte("---")) && (len(line) == 3 || bytes.Equal(bytes.TrimRight(lineAt(rest, i), "\r\n \t"), []byte("---"))) {
			end := i + 3
			for end < len(rest) && rest[end] != '\n' {
				end++
			}
			if end < len(rest) {
				end++
			}
			return rest[:i], off + 3 + end
		}
	}
}

func lineAt(b []byte, i int) []byte {
	j := bytes.IndexByte(b[i:], '\n')
	if j < 0 {
		return b[i:]
	}
	return b[i : i+j]
}

type builder struct {
	d     *Document
	src   []byte
	floor int // 3 when the text starts with a BOM: no span starts inside it
	depth int
	// text is src as a string when inline text may share it, else "".
	text string
}

// walk reads the blocks of root into the document. It is a recursion of
// its own rather than ast.Walk: it visits every inline node of the text,
// and the callback per node was a tenth of a parse.
func (b *builder) walk(n ast.Node) {
	switch n := n.(type) {
	case *ast.List:
		b.depth++
		b.walkChildren(n)
		b.depth--
		return
	case *ast.Heading:
		b.heading(n)
		return
	case *ast.FencedCodeBlock:
		b.fenced(n)
		return
	case *ast.CodeBlock:
		b.indented(n)
		return
	case *east.Table:
		b.table(n)
		return
	case *ast.Text, *ast.String, *ast.CodeSpan, *ast.RawHTML:
		return // no link inside
	case *ast.ListItem:
		b.listItem(n)
	case *ast.Paragraph:
		if l := n.Lines(); l.Len() > 0 {
			b.d.Paragraphs = append(b.d.Paragraphs, Span{l.At(0).Start, l.At(l.Len() - 1).Stop})
		}
	case *gfm.RawParagraph:
		// A link-free paragraph (gfm.LinkFree): nothing to read inside.
		// In a tight list it is what goldmark makes a TextBlock, which is
		// no paragraph.
		if l := n.Lines(); l.Len() > 0 && !inTightList(n) {
			b.d.Paragraphs = append(b.d.Paragraphs, Span{l.At(0).Start, l.At(l.Len() - 1).Stop})
		}
		return
	case *ast.Link:
		b.d.Links = append(b.d.Links, &Link{Dest: string(n.Destination), Text: b.inlineText(n), Span: inlineSpan(n, b.src)})
	case *ast.AutoLink:
		b.d.Links = append(b.d.Links, &Link{Dest: string(n.URL(b.src)), Text: string(n.Label(b.src)), Span: inlineSpan(n, b.src)})
	}
	b.walkChildren(n)
}

// inTightList reports whether n is a block of an item of a tight list.
func inTightList(n ast.Node) bool {
	if _, ok := n.Parent().(*ast.ListItem); !ok {
		return false
	}
	l, ok := n.Parent().Parent().(*ast.List)
	return ok && l.IsTight
}

func (b *builder) walkChildren(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.walk(c)
	}
}

// lineBounds returns the start and the end (before the line break) of the
// line holding off.
func lineBounds(src []byte, off int) (int, int) {
	off = min(max(off, 0), len(src))
	s := off
	for s > 0 && src[s-1] != '\n' && src[s-1] != '\r' {
		s--
	}
	// A line ends at '\n' or '\r': forward, the nearest '\n', then a '\r'
	// nearer still, with IndexByte's word-at-a-time scans rather than a
	// test per byte (the builder asks for the line of every item, the
	// rules for thousands more). Backward there is no such scan.
	e := len(src)
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		e = off + i
	}
	if r := bytes.IndexByte(src[off:e], '\r'); r >= 0 {
		e = off + r
	}
	return s, e
}

// lineBounds is lineBounds for the text being built, never starting a
// line inside a byte order mark.
func (b *builder) lineBounds(off int) (int, int) {
	s, e := lineBounds(b.src, off)
	return max(s, min(b.floor, e)), e
}

// LineAt returns the span of the line holding off, without its line break;
// off is clamped to the text.
func LineAt(src []byte, off int) Span {
	s, e := lineBounds(src, off)
	return Span{s, e}
}

// nextLine returns the offset just past the line break that ends the line
// holding off, or len(src).
func nextLine(src []byte, off int) int {
	_, e := lineBounds(src, off)
	if e < len(src) && src[e] == '\r' {
		e++
	}
	if e < len(src) && src[e] == '\n' {
		e++
	}
	return e
}

func (b *builder) heading(n *ast.Heading) {
	pos := n.Pos()
	var title Span
	if l := n.Lines(); l.Len() > 0 {
		title = Span{l.At(0).Start, l.At(l.Len() - 1).Stop}
		if pos < 0 {
			pos = title.Start
		}
	} else if pos >= 0 {
		_, e := b.lineBounds(pos)
		title = Span{e, e}
	}
	ls, le := b.lineBounds(pos)
	if !isATX(b.src[ls:le]) && n.Lines().Len() > 0 {
		// A setext heading ends with its underline.
		_, le = b.lineBounds(nextLine(b.src, title.End))
	}
	s := &Section{
		Title:     strings.TrimSpace(b.inlineText(n)),
		Level:     n.Level,
		Heading:   Span{ls, le},
		TitleSpan: title,
	}
	s.Key = Normalize(s.Title)
	s.MatchKey = headingKey(s.Title, s.Key, true)
	b.d.Headings = append(b.d.Headings, s)
}

// linkSections builds the section tree: a section's parent is the nearest
// heading before it of a higher level.
func (d *Document) linkSections() {
	var stack []*Section
	for i, s := range d.Headings {
		s.Index = i
		for len(stack) > 0 && stack[len(stack)-1].Level >= s.Level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			s.Parent = p
			p.Children = append(p.Children, s)
		} else {
			d.Roots = append(d.Roots, s)
		}
		stack = append(stack, s)
	}
}

func isATX(line []byte) bool {
	return len(bytes.TrimLeft(line, " \t")) > 0 && bytes.TrimLeft(line, " \t")[0] == '#'
}

// finishSections sets each section's end: the start of the next heading of
// the same or a higher level, or the end of the text.
func (d *Document) finishSections() {
	// Only line breaks and the length of the text matter here: the text
	// goldmark parsed (BOM and front matter blanked) has the same.
	src := d.Text
	hs := d.Headings
	for i, s := range hs {
		s.Span = Span{s.Heading.Start, len(src)}
		for _, t := range hs[i+1:] {
			if t.Level <= s.Level {
				s.Span.End = t.Heading.Start
				break
			}
		}
		s.Own = Span{nextLine(src, s.Heading.End), s.Span.End}
		if s.Heading.End == len(src) {
			s.Own.Start = len(src)
		}
		if len(s.Children) > 0 {
			s.Own.End = s.Children[0].Heading.Start
		}
		if s.Own.Start > s.Own.End {
			s.Own.Start = s.Own.End
		}
	}
	for _, t := range d.Tables {
		t.Section = d.SectionAt(t.Span.Start)
	}
	for _, c := range d.Code {
		c.Section = d.SectionAt(c.Span.Start)
	}
	for _, t := range d.Tasks {
		t.Section = d.SectionAt(t.Span.Start)
	}
	for _, t := range d.Items {
		t.Section = d.SectionAt(t.Span.Start)
	}
}

func (b *builder) fenced(n *ast.FencedCodeBlock) {
	start := n.Pos()
	ls, le := b.lineBounds(start)
	open := bytes.TrimLeft(b.src[ls:le], " \t>")
	fch := byte('`')
	if len(open) > 0 {
		fch = open[0]
	}
	flen := 0
	for flen < len(open) && open[flen] == fch {
		flen++
	}
	c := &CodeBlock{}
	if n.Info != nil {
		c.Info = strings.TrimSpace(string(n.Info.Value(b.src)))
		// TrimSpace trims what goldmark leaves in an info string ("\v"):
		// it may be empty.
		if f := strings.Fields(c.Info); len(f) > 0 {
			c.Lang = strings.ToLower(f[0])
		}
	}
	contentStart := nextLine(b.src, ls)
	l := n.Lines()
	contentEnd := contentStart
	if l.Len() > 0 {
		contentStart = min(contentStart, l.At(0).Start)
		contentEnd = l.At(l.Len() - 1).Stop
	}
	end := contentEnd
	// The closing fence, if any, is the next line made of at least flen fence
	// characters.
	if end < len(b.src) {
		cs, ce := b.lineBounds(end)
		if cs < end { // contentEnd is mid-line only when the last line lacks a break
			cs, ce = b.lineBounds(nextLine(b.src, end))
		}
		closing := bytes.TrimSpace(b.src[cs:ce])
		if len(closing) >= flen && flen > 0 && len(bytes.Trim(closing, string(fch))) == 0 {
			end = ce
		} else {
			c.Unclosed = true
			end = max(contentEnd, le)
			if contentEnd > 0 && contentEnd <= len(b.src) && contentEnd > ls {
				_, end = b.lineBounds(max(contentEnd-1, ls))
			}
		}
	} else {
		c.Unclosed = true
		end = len(b.src)
	}
	c.Span = Span{ls, end}
	c.Content = Span{contentStart, max(contentStart, contentEnd)}
	b.d.Code = append(b.d.Code, c)
}

func (b *builder) indented(n *ast.CodeBlock) {
	l := n.Lines()
	if l.Len() == 0 {
		return
	}
	sp := Span{l.At(0).Start, l.At(l.Len() - 1).Stop}
	ls, _ := b.lineBounds(sp.Start)
	b.d.Code = append(b.d.Code, &CodeBlock{Span: Span{ls, sp.End}, Content: sp})
}

func (b *builder) table(n *east.Table) {
	// Sized up front (nil when empty, as appends leave them).
	t := &Table{}
	if k := n.ChildCount(); k > 1 {
		t.Rows = make([][]Cell, 0, k-1)
	}
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		if raw, ok := row.(*gfm.RawRow); ok {
			t.Rows = append(t.Rows, b.rawCells(raw))
			continue
		}
		var cells []Cell
		if k := row.ChildCount(); k > 0 {
			cells = make([]Cell, 0, k)
		}
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cell := Cell{Text: strings.TrimSpace(b.inlineText(c))}
			if l := c.Lines(); l.Len() > 0 {
				cell.Span = Span{l.At(0).Start, l.At(l.Len() - 1).Stop}
			} else if p := c.Pos(); p >= 0 {
				cell.Span = Span{p, p}
			} else if len(cells) > 0 {
				e := cells[len(cells)-1].Span.End
				cell.Span = Span{e, e}
			}
			cells = append(cells, cell)
		}
		if _, ok := row.(*east.TableHeader); ok {
			t.Header = cells
		} else {
			t.Rows = append(t.Rows, cells)
		}
	}
	start := n.Pos()
	if start < 0 && len(t.Header) > 0 {
		start = t.Header[0].Span.Start
	}
	ls, _ := b.lineBounds(start)
	end := ls
	last := t.Header
	if len(t.Rows) > 0 {
		last = t.Rows[len(t.Rows)-1]
	}
	for _, c := range last {
		end = max(end, c.Span.End)
	}
	_, end = b.lineBounds(end)
	t.Span = Span{ls, end}
	b.d.Tables = append(b.d.Tables, t)
}

// rawCells is the cells of a plain row, as table reads those of any row:
// the text of a plain cell is its one text node, its trimmed source.
func (b *builder) rawCells(row *gfm.RawRow) []Cell {
	if len(row.Cells) == 0 {
		return nil
	}
	cells := make([]Cell, len(row.Cells))
	for i, c := range row.Cells {
		switch {
		case !c.Missing() && b.text != "":
			cells[i] = Cell{Text: strings.TrimSpace(b.text[c.Start:c.Stop]), Span: Span{c.Start, c.Stop}}
		case !c.Missing():
			cells[i] = Cell{Text: strings.TrimSpace(string(b.src[c.Start:c.Stop])), Span: Span{c.Start, c.Stop}}
		case i > 0:
			e := cells[i-1].Span.End
			cells[i].Span = Span{e, e}
		}
	}
	return cells
}

func (b *builder) listItem(n *ast.ListItem) {
	list, _ := n.Parent().(*ast.List)
	first := n.FirstChild()
	if first == nil {
		p := n.Pos()
		if p < 0 {
			return
		}
		ls, le := b.lineBounds(p)
		b.d.Items = append(b.d.Items, &ListItem{Span: Span{ls, le}, Depth: b.depth - 1, Ordered: list != nil && list.IsOrdered()})
		return
	}
	var textSpan Span
	if l := first.Lines(); l.Len() > 0 {
		textSpan = Span{l.At(0).Start, l.At(0).Stop}
	} else {
		return
	}
	ls, le := b.lineBounds(textSpan.Start)
	item := &ListItem{Span: Span{ls, le}, Depth: b.depth - 1}
	if list != nil && list.IsOrdered() {
		item.Ordered = true
		item.Number = list.Start
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			item.Number++
		}
	}
	var line string
	if b.text != "" && 0 <= textSpan.Start && textSpan.Start <= textSpan.End && textSpan.End <= len(b.text) {
		line = strings.TrimSpace(b.text[textSpan.Start:textSpan.End])
	} else {
		line = strings.TrimSpace(textSpan.Text(b.src))
	}
	if cb, ok := first.FirstChild().(*east.TaskCheckBox); ok {
		box := Span{textSpan.Start, textSpan.Start + 3}
		t := &TaskItem{Checked: cb.IsChecked, Span: item.Span, Box: box, Text: strings.TrimSpace(strings.TrimPrefix(line[min(3, len(line)):], " "))}
		b.d.Tasks = append(b.d.Tasks, t)
		line = t.Text
	}
	item.Text = stripInline(line)
	b.d.Items = append(b.d.Items, item)
}

// inlineText concatenates the text of n's inline descendants. Most headings and
// cells are one run of text: that is returned as a slice of b.text when
// there is one, and pieces are joined only when there are several.
func (b *builder) inlineText(n ast.Node) string {
	j := inlineJoin{src: b.src}
	j.add(n)
	switch {
	case j.n == 0:
		return ""
	case j.held && j.seg.Padding == 0 && b.text != "":
		return b.text[j.seg.Start:j.seg.Stop]
	case j.held:
		return string(j.seg.Value(b.src))
	}
	return j.sb.String()
}

// inlineJoin gathers the pieces of inline text; the first, when a run of
// the source, is held as its segment until a second comes.
type inlineJoin struct {
	src  []byte
	sb   strings.Builder
	seg  text.Segment
	held bool
	n    int // pieces so far
}

func (j *inlineJoin) run(seg text.Segment) {
	if j.n == 0 {
		j.seg, j.held, j.n = seg, true, 1
		return
	}
	j.bytes(seg.Value(j.src))
}

func (j *inlineJoin) bytes(p []byte) {
	if j.held {
		j.held = false
		j.sb.Write(j.seg.Value(j.src))
	}
	j.sb.Write(p)
	j.n++
}

func (j *inlineJoin) add(n ast.Node) {
	switch c := n.(type) {
	case *ast.Text:
		j.run(c.Segment)
		if c.SoftLineBreak() || c.HardLineBreak() {
			j.bytes([]byte{' '})
		}
	case *ast.String:
		j.bytes(c.Value)
	case *ast.CodeSpan:
		for t := c.FirstChild(); t != nil; t = t.NextSibling() {
			if tx, ok := t.(*ast.Text); ok {
				j.run(tx.Segment)
			}
		}
		return
	case *ast.AutoLink:
		j.bytes(c.Label(j.src))
	case *east.TaskCheckBox:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		j.add(c)
	}
}

// inlineSpan returns the source span of an inline node from its text.
func inlineSpan(n ast.Node, src []byte) Span {
	start, end := -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			if start < 0 {
				start = t.Segment.Start
			}
			end = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	if p := n.Pos(); p >= 0 && (start < 0 || p < start) {
		start = p
	}
	if start < 0 {
		return Span{}
	}
	// Include the link's closing "](...)" or ">" up to the end of the markup.
	if end < len(src) && end >= 0 {
		if i := bytes.IndexAny(src[end:min(len(src), end+2048)], ")>\n"); i >= 0 && src[end+i] != '\n' {
			end += i + 1
		}
	}
	return Span{start, max(start, end)}
}

// stripInline removes the commonest inline markup characters from a line.
func stripInline(s string) string {
	for i := 0; i < len(s); i++ {
		if isMark[s[i]] {
			return strings.TrimSpace(dropMarksFrom(s, i))
		}
	}
	return strings.TrimSpace(s)
}

// isMark holds the bytes dropMarks may drop.
var isMark = [256]bool{'*': true, '_': true, '`': true}

// dropMarks removes "**", "__" and "`" from s, left to right without
// overlaps, as strings.NewReplacer("**", "", "__", "", "`", "") does, for
// a fraction of its cost (one line per list item of every document).
func dropMarks(s string) string {
	return dropMarksFrom(s, 0)
}

// dropMarksFrom is dropMarks of s when s[:from] holds no mark: that part is
// copied as it is. The result is built in one allocation.
func dropMarksFrom(s string, from int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:from])
	for i := from; i < len(s); i++ {
		switch c := s[i]; {
		case c == '`':
		case (c == '*' || c == '_') && i+1 < len(s) && s[i+1] == c:
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
