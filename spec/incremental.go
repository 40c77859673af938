package spec

import (
	"bytes"
	"unsafe"
)

// An edit re-parses only the chunks it touched. A chunk runs from a heading
// line at column 0 (or the start of the text) up to the next such line at
// which goldmark, parsing the chunk and that line together, starts a
// top-level heading: every block of the chunk is closed there, so the
// chunk parses alone exactly as it does in the whole text. Link reference
// definitions are the exception (they apply to the whole text): a text
// that defines any is parsed whole.

// chunk is one piece of a parsed text and its document model, every span
// relative to the chunk's start.
type chunk struct {
	// key is the text goldmark parsed: the chunk and, unless it ends the
	// text, the heading line that follows it, which the parse verified.
	key string
	// first is the start of key up to the first candidate heading line
	// after the chunk's start, that line included: what a lookup in a new
	// text can cut without parsing.
	first string
	n     int       // length of the chunk proper (key without the heading line)
	m     *Document // headings (no tree), blocks, links, paragraphs, front matter, requirement mentions
	refs  bool      // the chunk defines link references
}

// reusableAt reports whether c's model holds for the text at pos in src.
func (c *chunk) reusableAt(src []byte, pos int) bool {
	end := pos + len(c.key)
	if end > len(src) || string(src[pos:end]) != c.key {
		return false
	}
	// A chunk parsed up to the end of its text was not verified against a
	// following line: it holds only at the end.
	return c.n < len(c.key) || end == len(src)
}

// reparse parses src, the new text of prev's file, reusing the chunk
// models of prev whose text is unchanged. The result equals Parse(path,
// src); parsed is the number of bytes goldmark parsed for it. With owned,
// src is never written to: d shares it (parseOwned).
func reparse(prev *Document, path string, src []byte, owned bool) (d *Document, parsed int) {
	parse := Parse
	if owned {
		parse = parseOwned
	}
	if len(src) == 0 {
		return parse(path, src), 0
	}
	if owned {
		d = newDocumentOf(path, src, unsafe.String(unsafe.SliceData(src), len(src)))
	} else {
		d = newDocument(path, src)
	}
	_, fmEnd := frontMatterSpan(src, d.BOM)
	cands := headingLines(src, fmEnd)
	index := make(map[string]*chunk, len(prev.chunks))
	for _, c := range prev.chunks {
		index[c.first] = c
	}
	var (
		chunks []*chunk
		offs   []int
		refs   bool
	)
	for pos, ci := 0, 0; pos < len(src); {
		for ci < len(cands) && cands[ci] <= pos {
			ci++
		}
		firstEnd := len(src)
		if ci < len(cands) {
			firstEnd = nextLine(src, cands[ci])
		}
		c := index[string(src[pos:firstEnd])]
		if c == nil || !c.reusableAt(src, pos) {
			c = parseChunkAt(src, pos, firstEnd, cands[ci:])
			parsed += len(c.key)
		}
		chunks = append(chunks, c)
		offs = append(offs, pos)
		refs = refs || c.refs
		pos += c.n
	}
	if refs {
		full := parse(path, src)
		full.chunks = chunks
		return full, parsed + len(src)
	}
	d.assemble(chunks, offs)
	d.chunks = chunks
	d.finishAssembled()
	return d, parsed
}

// finishAssembled is finish for a document put together from chunks or
// pieces. Requirement definitions need the sections; a tech spec defines
// none, and its mentions came with the chunks.
func (d *Document) finishAssembled() {
	d.linkSections()
	d.finishSections()
	if d.Kind != KindTechSpec {
		d.scanRequirements()
	}
}

// parseChunkAt parses the chunk of src starting at pos: up to the first of
// cands (candidate heading lines after pos) that goldmark confirms, or to
// the end. Past a candidate that does not hold (a fenced code block or an
// HTML block still open), it tries one more, then two, four...: a chunk
// may span more than it needs, never less.
func parseChunkAt(src []byte, pos, firstEnd int, cands []int) *chunk {
	for j, step := 0, 1; ; j, step = j+step, step*2 {
		j = min(j, len(cands))
		end, tailEnd, tail := len(src), len(src), -1
		if j < len(cands) {
			end = cands[j]
			tailEnd = nextLine(src, end)
			tail = end - pos
		}
		m := &Document{}
		if ok, refs := parseBlocks(m, src[pos:tailEnd], tail); ok {
			// The requirement IDs mentioned outside code: the code blocks of
			// a chunk are all the ones that can hold its text.
			ids := &Document{Kind: KindTechSpec, Text: src[pos:end], Code: m.Code}
			m.Refs, _ = ids.scanIDs(reqPrefixes)
			// The key is a copy: a chunk outlives the text it was cut from
			// (later versions reuse it), and must not keep that text alive.
			key := string(src[pos:tailEnd])
			return &chunk{key: key, first: key[:firstEnd-pos], n: end - pos, m: m, refs: refs}
		}
	}
}

// headingLines returns the offsets, from from on, of the lines that may
// start a chunk: ATX heading lines at column 0 outside the fenced code
// blocks and HTML comments a line scan sees. It is a guess that saves
// parses; parseBlocks decides.
func headingLines(src []byte, from int) []int {
	var out []int
	var fence byte // the fence character while inside a fenced block
	fenceLen := 0
	comment := false // inside an HTML comment block, until a line holds "-->"
	for ls := from; ls < len(src); {
		le := bytes.IndexByte(src[ls:], '\n')
		if le < 0 {
			le = len(src)
		} else {
			le += ls
		}
		line := src[ls:le]
		if comment {
			comment = !bytes.Contains(line, []byte("-->"))
		} else if fence == 0 && bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("<!--")) && len(line)-len(bytes.TrimLeft(line, " ")) < 4 {
			comment = !bytes.Contains(line[bytes.Index(line, []byte("<!--"))+4:], []byte("-->"))
		} else if c, n, rest := fenceOf(line); n > 0 {
			switch {
			case fence == 0 && (c == '~' || bytes.IndexByte(rest, '`') < 0):
				fence, fenceLen = c, n
			case c == fence && n >= fenceLen && len(bytes.TrimSpace(rest)) == 0:
				fence = 0
			}
		} else if fence == 0 && IsHeadingLine(line) {
			out = append(out, ls)
		}
		ls = le + 1
	}
	return out
}

// fenceOf returns the fence character and length that start line (after
// up to three spaces), and the rest of the line; n is 0 when line does not
// start a fence.
func fenceOf(line []byte) (c byte, n int, rest []byte) {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || (line[i] != '`' && line[i] != '~') {
		return 0, 0, nil
	}
	c = line[i]
	j := i
	for j < len(line) && line[j] == c {
		j++
	}
	if j-i < 3 {
		return 0, 0, nil
	}
	return c, j - i, line[j:]
}

// IsHeadingLine reports whether line (or a text from that line on) starts
// with an ATX heading at column 0: one to six '#' followed by a space, a
// tab or the end of the line.
func IsHeadingLine(line []byte) bool {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 {
		return false
	}
	return n == len(line) || line[n] == ' ' || line[n] == '\t' || line[n] == '\r' || line[n] == '\n'
}

// assemble fills d's lists from the chunk models, shifting each span by its
// chunk's offset. The models are shared with earlier documents, so every
// element is copied, into one array per kind.
func (d *Document) assemble(chunks []*chunk, offs []int) {
	var nh, nt, nc, nk, ni, nl, np, nr, nrows, ncells int
	for _, c := range chunks {
		m := c.m
		nh += len(m.Headings)
		nt += len(m.Tables)
		nc += len(m.Code)
		nk += len(m.Tasks)
		ni += len(m.Items)
		nl += len(m.Links)
		np += len(m.Paragraphs)
		nr += len(m.Refs)
		for _, t := range m.Tables {
			nrows += len(t.Rows)
			ncells += len(t.Header)
			for _, r := range t.Rows {
				ncells += len(r)
			}
		}
	}
	secs := make([]Section, nh)
	tables := make([]Table, nt)
	code := make([]CodeBlock, nc)
	tasks := make([]TaskItem, nk)
	items := make([]ListItem, ni)
	links := make([]Link, nl)
	refs := make([]ReqRef, nr)
	rows := make([][]Cell, nrows)
	cells := make([]Cell, ncells)
	d.Headings = makePtrs[Section](nh)
	d.Tables = makePtrs[Table](nt)
	d.Code = makePtrs[CodeBlock](nc)
	d.Tasks = makePtrs[TaskItem](nk)
	d.Items = makePtrs[ListItem](ni)
	d.Links = makePtrs[Link](nl)
	d.Refs = makePtrs[ReqRef](nr)
	if np > 0 {
		d.Paragraphs = make([]Span, 0, np)
	}
	shiftCells := func(in []Cell, off int) []Cell {
		if in == nil {
			return nil
		}
		out := cells[:len(in):len(in)]
		cells = cells[len(in):]
		for i, c := range in {
			out[i] = Cell{Text: c.Text, Span: c.Span.shift(off)}
		}
		return out
	}
	for i, c := range chunks {
		m, off := c.m, offs[i]
		if off == 0 {
			d.FrontMatter, d.FrontMatterSpan = m.FrontMatter, m.FrontMatterSpan
		}
		for _, h := range m.Headings {
			s := &secs[0]
			secs = secs[1:]
			*s = Section{Title: h.Title, Key: h.Key, MatchKey: h.MatchKey, Level: h.Level, Heading: h.Heading.shift(off), TitleSpan: h.TitleSpan.shift(off)}
			d.Headings = append(d.Headings, s)
		}
		for _, t := range m.Tables {
			x := &tables[0]
			tables = tables[1:]
			*x = Table{Span: t.Span.shift(off), Header: shiftCells(t.Header, off)}
			if t.Rows != nil {
				x.Rows = rows[:len(t.Rows):len(t.Rows)]
				rows = rows[len(t.Rows):]
				for j, r := range t.Rows {
					x.Rows[j] = shiftCells(r, off)
				}
			}
			d.Tables = append(d.Tables, x)
		}
		for _, cb := range m.Code {
			x := &code[0]
			code = code[1:]
			*x = *cb
			x.Span, x.Content = cb.Span.shift(off), cb.Content.shift(off)
			d.Code = append(d.Code, x)
		}
		for _, t := range m.Tasks {
			x := &tasks[0]
			tasks = tasks[1:]
			*x = *t
			x.Span, x.Box = t.Span.shift(off), t.Box.shift(off)
			d.Tasks = append(d.Tasks, x)
		}
		for _, it := range m.Items {
			x := &items[0]
			items = items[1:]
			*x = *it
			x.Span = it.Span.shift(off)
			d.Items = append(d.Items, x)
		}
		for _, l := range m.Links {
			x := &links[0]
			links = links[1:]
			*x = *l
			x.Span = l.Span.shift(off)
			d.Links = append(d.Links, x)
		}
		for _, p := range m.Paragraphs {
			d.Paragraphs = append(d.Paragraphs, p.shift(off))
		}
		for _, r := range m.Refs {
			x := &refs[0]
			refs = refs[1:]
			*x = *r
			x.Span = r.Span.shift(off)
			d.Refs = append(d.Refs, x)
		}
	}
}

// makePtrs returns an empty slice with room for n pointers, nil when n is
// 0 (as Parse leaves a list it found nothing for).
func makePtrs[T any](n int) []*T {
	if n == 0 {
		return nil
	}
	return make([]*T, 0, n)
}

// shift moves s by off. The empty span at 0 stays: Parse gives it to what
// goldmark left without a position (an empty table cell that starts a
// row, a link without text), and a chunk past the first never has
// anything at its own 0 but its heading line, which is not empty.
func (s Span) shift(off int) Span {
	if s == (Span{}) {
		return s
	}
	return Span{s.Start + off, s.End + off}
}
