package spec

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A big text is parsed in pieces, cut at heading lines as an edit's chunks
// are (see incremental.go), on GOMAXPROCS goroutines, and the pieces'
// models are put together as reparse puts chunks together: the result is
// Parse's exactly. Besides using every core, it bounds the memory of the
// parse: the goldmark tree of a piece is garbage as soon as its model is
// built, so at most one tree per goroutine is alive instead of the whole
// text's (docs/performance.md, "Parsing big texts").

const (
	// splitMin is the size from which a text is parsed in pieces. Below
	// it, the pieces' set-up and assembly cost more than one core saves.
	splitMin = 256 << 10
	// pieceMin is the smallest piece worth its own parse.
	pieceMin = 64 << 10
)

// parseSplit parses d's text in pieces of at least size bytes (cut at the
// first heading line past that) on up to workers goroutines, and fills d
// as Parse does. It returns false, with d untouched, when the text cannot
// be cut (fewer than two pieces) or when a cut does not hold (goldmark
// does not start a top-level heading there) or a piece defines link
// references, which apply to the whole text: the caller parses it whole.
func parseSplit(d *Document, size, workers int) bool {
	src := d.Text
	_, fmEnd := frontMatterSpan(src, d.BOM)
	cuts := []int{0}
	for _, c := range headingLines(src, fmEnd) {
		if c-cuts[len(cuts)-1] >= size && len(src)-c >= size/2 {
			cuts = append(cuts, c)
		}
	}
	if len(cuts) < 2 {
		return false
	}
	models := make([]*Document, len(cuts))
	var (
		next   atomic.Int64
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	piece := func(i int) bool {
		pos, end, tailEnd, tail := cuts[i], len(src), len(src), -1
		if i+1 < len(cuts) {
			end = cuts[i+1]
			tailEnd, tail = nextLine(src, end), end-pos
		}
		// The piece's inline text shares the document's string, as in a
		// whole parse.
		m := &Document{src: d.src[pos:tailEnd]}
		ok, refs := parseBlocks(m, src[pos:tailEnd], tail)
		if !ok || refs {
			return false
		}
		if d.Kind == KindTechSpec {
			// A tech spec defines no requirement; the mentions outside code
			// are found per piece, as reparse finds them per chunk.
			ids := &Document{Kind: KindTechSpec, Text: src[pos:end], Code: m.Code}
			m.Refs, _ = ids.scanIDs(reqPrefixes)
		}
		models[i] = m
		return true
	}
	for range min(workers, len(cuts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(cuts) {
					return
				}
				if !piece(i) {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		return false
	}
	d.assembleOwned(models, cuts)
	d.finishAssembled()
	return true
}

// splitWorkers is how many goroutines parse a big text's pieces.
func splitWorkers() int { return runtime.GOMAXPROCS(0) }

// assembleOwned is assemble for models nothing else holds: their elements
// are shifted in place and taken, not copied.
func (d *Document) assembleOwned(models []*Document, offs []int) {
	var nh, nt, nc, nk, ni, nl, np, nr int
	for _, m := range models {
		nh += len(m.Headings)
		nt += len(m.Tables)
		nc += len(m.Code)
		nk += len(m.Tasks)
		ni += len(m.Items)
		nl += len(m.Links)
		np += len(m.Paragraphs)
		nr += len(m.Refs)
	}
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
	shiftCells := func(cells []Cell, off int) {
		for i := range cells {
			cells[i].Span = cells[i].Span.shift(off)
		}
	}
	for i, m := range models {
		off := offs[i]
		if off == 0 {
			d.FrontMatter, d.FrontMatterSpan = m.FrontMatter, m.FrontMatterSpan
		}
		for _, h := range m.Headings {
			h.Heading, h.TitleSpan = h.Heading.shift(off), h.TitleSpan.shift(off)
			d.Headings = append(d.Headings, h)
		}
		for _, t := range m.Tables {
			t.Span = t.Span.shift(off)
			shiftCells(t.Header, off)
			for _, r := range t.Rows {
				shiftCells(r, off)
			}
			d.Tables = append(d.Tables, t)
		}
		for _, c := range m.Code {
			c.Span, c.Content = c.Span.shift(off), c.Content.shift(off)
			d.Code = append(d.Code, c)
		}
		for _, t := range m.Tasks {
			t.Span, t.Box = t.Span.shift(off), t.Box.shift(off)
			d.Tasks = append(d.Tasks, t)
		}
		for _, it := range m.Items {
			it.Span = it.Span.shift(off)
			d.Items = append(d.Items, it)
		}
		for _, l := range m.Links {
			l.Span = l.Span.shift(off)
			d.Links = append(d.Links, l)
		}
		for _, p := range m.Paragraphs {
			d.Paragraphs = append(d.Paragraphs, p.shift(off))
		}
		for _, r := range m.Refs {
			r.Span = r.Span.shift(off)
			d.Refs = append(d.Refs, r)
		}
	}
}
