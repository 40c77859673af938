package diagnostics

import (
	"github.com/specls/specls/internal/cache"
	"github.com/specls/specls/spec"
)

// A document is cut into pieces at the start of each heading: the text
// before the first heading, then each heading line with the text up to the
// next heading. When every heading is an ATX heading ("## Title") at the
// start of a line, a piece parses the same wherever it stands: such a
// line closes every open block (paragraph, list, table, quote), so the
// code blocks, code spans and lines of a piece depend on its text alone.
// The rules that read one line or one section's own text at a time can
// then keep their results per piece, keyed by the piece's text, and an
// edit re-runs them on the piece it touched only (Memo).

// pieceCuts returns the start of each heading of d, in order, when d can
// be cut there; ok is false when a heading is not an ATX heading at the
// start of a line (a setext heading, one inside a list item or a quote,
// one after a byte order mark or in a text whose lines break at "\r"
// alone), and the rules then run over the whole text.
func pieceCuts(d *spec.Document) (cuts []int, ok bool) {
	cuts = make([]int, len(d.Headings))
	for i, h := range d.Headings {
		at := h.Heading.Start
		if at > 0 && d.Text[at-1] != '\n' || !spec.IsHeadingLine(d.Text[at:]) {
			return nil, false
		}
		if i > 0 && at <= cuts[i-1] {
			return nil, false
		}
		cuts[i] = at
	}
	return cuts, true
}

// pieceEnd returns the end of piece i (the start of the next one, or the
// end of the text).
func pieceEnd(d *spec.Document, cuts []int, i int) int {
	if i+1 < len(cuts) {
		return cuts[i+1]
	}
	return len(d.Text)
}

// holderKey identifies the placeholder scan of one piece: its text and
// the template section its heading matches (whose lines it may repeat;
// the key prefixes that decide which lines are looked up are that section's).
type holderKey struct {
	text cache.Digest
	ts   *spec.TemplateSection
}

// pieceSet is a document cut into pieces, with the digest of each
// piece's text; computed once per check (Context.piecesOf).
type pieceSet struct {
	cuts    []int
	digests []cache.Digest
}

// piecesOf returns d's pieces when the check has a memo and d can be cut;
// else nil, and the rules run over the whole text.
func (c *Context) piecesOf(d *spec.Document) *pieceSet {
	if c.Memo == nil {
		return nil
	}
	if ps, ok := c.pieceSets[d]; ok {
		return ps
	}
	var ps *pieceSet
	if cuts, ok := pieceCuts(d); ok && len(cuts) > 0 {
		ps = &pieceSet{cuts: cuts, digests: make([]cache.Digest, len(cuts))}
		for i := range cuts {
			ps.digests[i] = cache.DigestOf(d.Slice(spec.Span{Start: cuts[i], End: pieceEnd(d, cuts, i)}))
		}
	}
	if c.pieceSets == nil {
		c.pieceSets = map[*spec.Document]*pieceSet{}
	}
	c.pieceSets[d] = ps
	return ps
}

// placeholders is Placeholders(d, m) piece by piece, through the memo:
// the pieces whose text and template section are unchanged give back their placeholders, moved to where they now stand.
// Without pieces (ps nil) the whole text is scanned; code is d's inline
// code spans.
func (m *Memo) placeholders(d *spec.Document, match *Match, ps *pieceSet, code spans) []Placeholder {
	memo := m.pieces()
	if memo == nil || ps == nil {
		return placeholdersWith(d, match, code)
	}
	cuts := ps.cuts
	s := newHolderScan(d, match)
	s.code, s.haveCode = code, true
	// The text before the first heading is short and has no section: it
	// is scanned every time.
	out := s.scan(nil, 0, cuts[0], 0, s.mp.Line(cuts[0]))
	for i, h := range d.Headings {
		start, end := cuts[i], pieceEnd(d, cuts, i)
		key := holderKey{text: ps.digests[i]}
		if match != nil {
			key.ts = match.Of[h]
		}
		found, ok := memo.Get(key)
		if !ok {
			to := s.mp.LineCount()
			if end < len(d.Text) {
				to = s.mp.Line(end)
			}
			found = s.scan(nil, start, end, s.mp.Line(start), to)
			for j := range found {
				found[j].Span = shift(found[j].Span, -start)
			}
			memo.Add(key, found)
		}
		for _, p := range found {
			p.Span = shift(p.Span, start)
			out = append(out, p)
		}
	}
	return out
}

// codeSpans returns d's inline code spans (codeSpans), computed once per
// check and piece by piece through the memo: a piece's spans depend on
// its text alone.
func (c *Context) codeSpans(d *spec.Document) spans {
	if sp, ok := c.codes[d]; ok {
		return sp
	}
	var out spans
	ps, memo := c.piecesOf(d), c.Memo.spans()
	if ps == nil || memo == nil {
		out = codeSpans(d)
	} else {
		// The pieces' spans first, then one slice of the sum: appending
		// them one by one allocated twice the result per keystroke.
		head := codeSpansIn(d, 0, ps.cuts[0])
		founds := make([]spans, len(ps.cuts))
		n := len(head)
		for i, start := range ps.cuts {
			found, ok := memo.Get(ps.digests[i])
			if !ok {
				found = codeSpansIn(d, start, pieceEnd(d, ps.cuts, i))
				for j := range found {
					found[j] = shift(found[j], -start)
				}
				memo.Add(ps.digests[i], found)
			}
			founds[i] = found
			n += len(found)
		}
		out = append(make(spans, 0, n), head...)
		for i, start := range ps.cuts {
			for _, s := range founds[i] {
				out = append(out, shift(s, start))
			}
		}
	}
	if c.codes == nil {
		c.codes = map[*spec.Document]spans{}
	}
	c.codes[d] = out
	return out
}

func shift(s spec.Span, by int) spec.Span { return spec.Span{Start: s.Start + by, End: s.End + by} }
