package diagnostics

import (
	"bytes"
	"math"
	"sort"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// placeholderRe matches a bracketed placeholder such as "[Feature Name]".
// Links, task boxes and footnotes are told apart by isPlaceholder.
var placeholderRe = spec.Placeholder

// markerRe matches the to-do markers authors leave behind.
var markerRe = lazyregexp.New(`\b(TODO|TBD|TKTK|FIXME)\b|(?i)\[NEEDS CLARIFICATION[^\]\n]*\]`)

// exampleRow is a table row whose first cell is the template's sample
// ("| Example: `auth-service` API | ..."). "Example" in prose or in a
// label ("**Example Database per Context:**") introduces real content.
var exampleRow = lazyregexp.New(`(?i)^\s*\|\s*(\*\*|_)?(e\.g\.|example\b\s*:)`)

// Placeholder is one leftover piece of template text in a document.
type Placeholder struct {
	Span spec.Span
	What string // for messages: `the placeholder "[Service]"`, `a TODO marker`
	// Template is true when the span repeats the template's own text.
	Template bool
}

// Placeholders finds leftover template text in d: lines copied from the
// template section's body, bracketed placeholders, to-do markers and
// Example: rows. Code blocks and inline code are skipped. m may be nil.
func Placeholders(d *spec.Document, m *Match) []Placeholder {
	return placeholdersWith(d, m, codeSpans(d))
}

// placeholdersWith is Placeholders given d's inline code spans.
func placeholdersWith(d *spec.Document, m *Match, code spans) []Placeholder {
	s := newHolderScan(d, m)
	s.code, s.haveCode = code, true
	return s.scan(nil, 0, len(d.Text), 0, s.mp.LineCount())
}

// holderScan is what the placeholder scan of one document needs besides
// the lines it scans: the template lines each section may repeat.
type holderScan struct {
	d     *spec.Document
	mp    *spec.Mapper
	match *Match
	index *templateIndex
	// code holds the inline code spans of the whole text, when haveCode.
	code     spans
	haveCode bool
}

func newHolderScan(d *spec.Document, m *Match) *holderScan {
	s := &holderScan{d: d, mp: d.Mapper(), match: m}
	if m != nil {
		s.index = m.index
	}
	return s
}

// linesOf returns the template lines section sec may repeat, or nil.
func (s *holderScan) linesOf(sec *spec.Section) *lineKeys {
	if s.match == nil || sec == nil {
		return nil
	}
	ts := s.match.Of[sec]
	if ts == nil || ts.Body == "" || ts.Level == 1 {
		return nil
	}
	if s.index == nil {
		return newLineKeys(ts.Body) // a Match made by hand: no index to read
	}
	return s.index.lines[ts]
}

// scan appends the placeholders of lines from to to (exclusive), which
// cover the bytes start to end, to out. The lines after to are not read:
// a caller that scans part of a document cuts it where a heading starts
// a line (see pieceCuts), and nothing in a line before such a heading
// depends on what follows it.
//
// One pass over the lines: the code block and the section holding each
// line are followed with cursors rather than looked up per line, and each
// test runs only on the lines that can pass it (a line that holds no "["
// has no placeholder, one that does not start with "|" is no Example
// row).
func (s *holderScan) scan(out []Placeholder, start, end, from, to int) []Placeholder {
	d, mp := s.d, s.mp
	src := d.Text
	code := s.code
	if !s.haveCode {
		code = codeSpansIn(d, start, end)
	}
	var blocks blockCursor
	var secs sectionCursor
	// Whether a line holds a "[" or a to-do marker is asked of every line:
	// the text is searched once, from one occurrence to the next, instead
	// of each line four or five times.
	bracket := seeker{src: src, end: end, needle: bracketNeedle}
	var markers [len(markerNeedles)]seeker
	for i, n := range markerNeedles {
		markers[i] = seeker{src: src, end: end, needle: n}
	}
	var (
		lastSec *spec.Section
		tl      *lineKeys
	)
	for line := from; line < to; line++ {
		ls, _ := mp.LineSpan(line)
		if ls.Start < d.FrontMatterSpan.End || blocks.in(d, ls.Start) {
			continue
		}
		text := d.Slice(ls)
		if strings.TrimSpace(text) == "" {
			continue
		}
		sec := secs.at(d, ls.Start)
		if sec != lastSec {
			lastSec, tl = sec, s.linesOf(sec)
		}
		heading := sec != nil && sec.Heading.Start <= ls.Start && ls.Start < sec.Heading.End
		if heading {
			if sec.Level == 1 {
				continue // the title has its own rule
			}
		} else if tl != nil && looksCopied(text) && mayBeKey(text, tl) && isKey(tl.keys, text) && !labelWithContent(d, mp, line, to, text, tl.keys) {
			// Merge with the previous finding when it ended on the line before.
			if n := len(out); n > 0 && out[n-1].Template && onPrevLine(src, out[n-1].Span.End, ls.Start) {
				out[n-1].Span.End = ls.End
			} else {
				t := strings.TrimLeft(text, " \t")
				out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(t), End: ls.End}, What: "the template's text", Template: true})
			}
			continue
		}
		if isExampleRow(text) {
			t := strings.TrimLeft(text, " \t")
			out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(t), End: ls.End}, What: "an Example row from the template"})
			continue
		}
		// An occurrence that starts in the line lies in it: the needles
		// hold no line break.
		hasBracket := bracket.from(ls.Start) < ls.End
		marker := false
		for i := range markers {
			if markers[i].from(ls.Start) < ls.End {
				marker = true
				break
			}
		}
		if marker || hasBracket && hasClarification(text) {
			for _, loc := range markerRe.FindAllStringIndex(text, -1) {
				sp := spec.Span{Start: ls.Start + loc[0], End: ls.Start + loc[1]}
				if code.in(sp.Start) || d.InCode(sp.Start) || markerInProse(text, loc, heading) {
					continue
				}
				out = append(out, Placeholder{Span: sp, What: "a " + text[loc[0]:loc[1]] + " marker"})
			}
		}
		if !hasBracket {
			continue
		}
		for _, loc := range placeholderRe.FindAllStringIndex(text, -1) {
			sp := spec.Span{Start: ls.Start + loc[0], End: ls.Start + loc[1]}
			if !isPlaceholder(text, loc) || code.in(sp.Start) || d.InCode(sp.Start) || overlaps(out, sp) {
				continue
			}
			out = append(out, Placeholder{Span: sp, What: "the placeholder " + text[loc[0]:loc[1]]})
		}
	}
	return out
}

// The needles of the scan's seekers: hasMarker's words, and the "[" every
// placeholder starts with.
var (
	markerNeedles = [...][]byte{[]byte("TODO"), []byte("TBD"), []byte("TKTK"), []byte("FIXME")}
	bracketNeedle = []byte("[")
)

// seeker finds the occurrences of needle in src before end, in order.
type seeker struct {
	src    []byte
	end    int
	needle []byte
	at     int // the occurrence found last (none: math.MaxInt), when searched
	// searched is false until the first search.
	searched bool
}

// from returns the first occurrence at or after off, or math.MaxInt when
// there is none. off must not decrease from one call to the next: the
// text is searched anew only once the last occurrence found is behind.
func (s *seeker) from(off int) int {
	if s.searched && s.at >= off {
		return s.at
	}
	s.searched, s.at = true, math.MaxInt
	if off < s.end {
		if i := bytes.Index(s.src[off:s.end], s.needle); i >= 0 {
			s.at = off + i
		}
	}
	return s.at
}

// blockCursor answers d.InBlock for offsets that only grow: n counts the
// code blocks starting at or before the last offset asked.
type blockCursor struct {
	n       int
	started bool
}

func (b *blockCursor) in(d *spec.Document, off int) bool {
	if !b.started {
		// A scan may start mid-document (one piece): find the first block
		// by search, then step.
		b.n = sort.Search(len(d.Code), func(i int) bool { return d.Code[i].Span.Start > off })
		b.started = true
	}
	for b.n < len(d.Code) && d.Code[b.n].Span.Start <= off {
		b.n++
	}
	return b.n > 0 && off < d.Code[b.n-1].Span.End
}

// sectionCursor answers d.SectionAt for offsets that only grow: n counts
// the headings starting at or before the last offset asked.
type sectionCursor struct {
	n       int
	started bool
}

func (c *sectionCursor) at(d *spec.Document, off int) *spec.Section {
	hs := d.Headings
	if !c.started {
		c.n = sort.Search(len(hs), func(i int) bool { return hs[i].Heading.Start > off })
		c.started = true
	}
	for c.n < len(hs) && hs[c.n].Heading.Start <= off {
		c.n++
	}
	if c.n == 0 {
		return nil
	}
	// As SectionAt: the innermost section from the last heading up whose
	// span holds off.
	for s := hs[c.n-1]; s != nil; s = s.Parent {
		if off < s.Span.End || (off == len(d.Text) && s.Span.End == off) {
			return s
		}
	}
	return nil
}

// isExampleRow reports whether a line is a template Example row:
// exampleRow, tried on table rows only, which spell "xample", "XAMPLE" or
// "e.g." (most lines are not rows; the regexp also wants the row's "|").
func isExampleRow(text string) bool {
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\f' || text[i] == '\r') {
		i++ // the regexp's \s
	}
	if i == len(text) || text[i] != '|' {
		return false
	}
	return (strings.Contains(text, "xample") || strings.Contains(text, "XAMPLE") || strings.Contains(text, "e.g.")) && exampleRow.MatchString(text)
}

// hasClarification is a cheap test for markerRe's "[NEEDS CLARIFICATION"
// alternative: a "[" followed by "need" in any case. (The regexp folds
// case the Unicode way, but N, E and D have no fold outside ASCII.)
func hasClarification(s string) bool {
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		if len(s) >= 4 && strings.EqualFold(s[:4], "need") {
			return true
		}
	}
}

// markerInProse reports whether the marker at loc is a word of the text
// rather than a marker: "add a TODO once the API ships", or a heading that
// names TODOs as its topic ("Fit (new error branch + TODO)"). A heading that
// is only the marker ("## TBD") is still one.
func markerInProse(line string, loc []int, heading bool) bool {
	if heading {
		return strings.Trim(line, "# \t*_:") != line[loc[0]:loc[1]]
	}
	before := strings.ToLower(line[:loc[0]])
	return strings.HasSuffix(before, "a ") && (len(before) == 2 || before[len(before)-3] == ' ') || strings.HasSuffix(before, "the ") || strings.HasSuffix(before, "an ")
}

// hasMarker is a cheap test before the marker regexp runs: whether s holds
// TODO, TBD, TKTK or FIXME. Two byte searches rather than four substring
// searches (it runs on every line).
func hasMarker(s string) bool {
	for t := s; ; t = t[1:] {
		i := strings.IndexByte(t, 'T')
		if i < 0 {
			break
		}
		t = t[i:]
		if strings.HasPrefix(t, "TODO") || strings.HasPrefix(t, "TBD") || strings.HasPrefix(t, "TKTK") {
			return true
		}
	}
	for t := s; ; t = t[1:] {
		i := strings.IndexByte(t, 'F')
		if i < 0 {
			return false
		}
		if t = t[i:]; strings.HasPrefix(t, "FIXME") {
			return true
		}
	}
}

// isPlaceholder tells a placeholder from link syntax, task boxes, footnotes
// and citations.
func isPlaceholder(line string, loc []int) bool {
	inner := line[loc[0]+1 : loc[1]-1]
	if loc[0] > 0 && (line[loc[0]-1] == '!' || line[loc[0]-1] == ']') {
		return false
	}
	if loc[0] > 0 && isNameByte(line[loc[0]-1]) {
		return false // glued to a word: extras (uvicorn[standard]) or indexing, not a placeholder
	}
	if loc[1] < len(line) && strings.ContainsRune("([:", rune(line[loc[1]])) {
		return false
	}
	t := strings.TrimSpace(inner)
	if t == "" || strings.HasPrefix(t, "^") || strings.HasPrefix(t, "!") {
		return false
	}
	if strings.Trim(t, "0123456789,- ") == "" {
		return false // [1], [2-3]: citations
	}
	if strings.HasPrefix(strings.ToUpper(t), "NEEDS CLARIFICATION") {
		return false // reported as a marker
	}
	if statusTag(t) {
		return false // [DEFERRED], [WIP], [P-150]: tags and IDs, not prompts
	}
	if loc[0] > 0 && line[loc[0]-1] == '/' || loc[1] < len(line) && line[loc[1]] == '/' ||
		loc[1]+1 < len(line) && line[loc[1]] == '.' && isNameByte(line[loc[1]+1]) {
		return false // a route or path segment: app/clubs/[clubId]/page.tsx, [slug].tsx
	}
	if strings.ContainsAny(t, "'\"") && strings.Contains(t, ",") || t[0] == '-' {
		return false // a list literal ['low','medium','high'] or a CLI option [--run-id]
	}
	return true
}

// statusTag reports whether t is an upper-case tag or ID: letters, digits,
// "-", "_", "." and spaces, no lower-case letter, and a letter first.
func statusTag(t string) bool {
	if t == "" || t[0] < 'A' || t[0] > 'Z' {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ' ') {
			return false
		}
	}
	return true
}

// labelWithContent reports whether a line that repeats a template prompt
// is used as a label with content of its own: "**Potential Challenges:**"
// then the author's bullets, or a prompt bullet with nested items. The next
// non-blank line must be neither a heading nor template text.
func labelWithContent(d *spec.Document, mp *spec.Mapper, line, to int, text string, tl map[string]bool) bool {
	t := strings.TrimSpace(text)
	label := strings.HasSuffix(strings.TrimRight(t, "*_ "), ":")
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	for next := line + 1; next < to; next++ {
		ls, _ := mp.LineSpan(next)
		nt := d.Slice(ls)
		if strings.TrimSpace(nt) == "" {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(nt), "#") || isKey(tl, nt) {
			return false
		}
		nIndent := len(nt) - len(strings.TrimLeft(nt, " \t"))
		return label || nIndent > indent
	}
	return false
}

// spans is a sorted list of non-overlapping spans.
type spans []spec.Span

func (s spans) in(off int) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].End > off })
	return i < len(s) && s[i].Start <= off
}

// codeSpans returns the inline code spans of d outside code blocks.
func codeSpans(d *spec.Document) spans { return codeSpansIn(d, 0, len(d.Text)) }

// codeSpansIn returns the inline code spans of d outside code blocks that
// start between start and end, those that wrap onto the next line
// included: a run of backticks opens a span that the next run of the same
// length closes, within one paragraph (a blank line, a heading or a table
// row ends it, so a span never runs past a heading at the start of a line).
func codeSpansIn(d *spec.Document, start, end int) spans {
	var out spans
	src := d.Text
	open, openLen := -1, 0
	// The next code block: i only grows, so one pass over d.Code.
	bi := sort.Search(len(d.Code), func(i int) bool { return d.Code[i].Span.End > start })
	for i := max(start, d.FrontMatterSpan.End); i < end; {
		for bi < len(d.Code) && d.Code[bi].Span.End <= i {
			bi++
		}
		limit := end // the next code block's start, or end
		if bi < len(d.Code) {
			if d.Code[bi].Span.Start <= i {
				open = -1
				i = d.Code[bi].Span.End
				continue
			}
			limit = min(end, d.Code[bi].Span.Start)
		}
		if open < 0 {
			// Outside a span only a backtick or a backslash matters:
			// jump to the first (IndexByte is vectorised; most of the
			// text holds neither).
			seg := src[i:min(limit, len(src))]
			j := bytes.IndexByte(seg, '`')
			if j < 0 {
				j = len(seg)
			}
			if k := bytes.IndexByte(seg[:j], '\\'); k >= 0 {
				j = k
			}
			if i += j; i >= limit {
				continue
			}
		}
		c := src[i]
		if c == '\n' {
			// A paragraph ends at a blank line or a line that starts a table
			// row or heading.
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			if j >= len(src) || src[j] == '\n' || src[j] == '|' || src[j] == '#' {
				open = -1
			}
			i++
			continue
		}
		if c == '\\' && open < 0 {
			i += 2
			continue
		}
		if c != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(src) && src[i+n] == '`' {
			n++
		}
		switch {
		case open < 0:
			open, openLen = i, n
		case n == openLen:
			out = append(out, spec.Span{Start: open, End: i + n})
			open = -1
		}
		i += n
	}
	return out
}

func overlaps(ps []Placeholder, s spec.Span) bool {
	for _, p := range ps {
		if p.Span.Start < s.End && s.Start < p.Span.End {
			return true
		}
	}
	return false
}

func onPrevLine(src []byte, end, start int) bool {
	return strings.TrimSpace(string(src[end:start])) == "" && strings.Count(string(src[end:start]), "\n") <= 1
}

// bodyLines returns the keys of a template body's lines that are worth
// recognising: prose and bullets, not tables, task items or short lines.
func bodyLines(body string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "|") || strings.HasPrefix(t, "- [") || strings.HasPrefix(t, "* [") || strings.HasPrefix(t, "```") {
			continue
		}
		if k := lineKey(t); len(k) >= 8 {
			out[k] = true
		}
	}
	return out
}

// keyPrefixLen is how much of a line's key mayBeKey builds: enough to
// tell most prose from a template line, small enough for the stack.
const keyPrefixLen = 32

// keyPrefix is the part of a key mayBeKey compares.
func keyPrefix(key string) string { return key[:min(len(key), keyPrefixLen)] }

// mayBeKey reports whether lineKey(text) can be one of lk's keys: it
// normalises the start of text as Normalize does, up to keyPrefixLen
// bytes, in a stack buffer, and looks that up in lk.prefixes; most prose
// lines are told apart by their key's first two bytes already (lk.lead).
// A line with a non-ASCII byte before then (Normalize's Unicode path) gets
// no shortcut.
func mayBeKey(text string, lk *lineKeys) bool {
	var buf [keyPrefixLen]byte
	n, space := 0, false
	for i := 0; i < len(text) && n < len(buf); i++ {
		c := text[i]
		switch {
		case c >= 0x80:
			return true
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			space = true
			continue
		}
		if space && n > 0 {
			buf[n] = ' '
			n++
		}
		space = false
		if n == 2 && !lk.hasLead(buf[0], buf[1]) {
			return false
		}
		if n == len(buf) {
			break
		}
		buf[n] = c
		n++
	}
	return lk.prefixes[string(buf[:n])]
}

// looksCopied is a cheap filter before lineKey: template lines are prose
// or bullets, not table rows or task items.
func looksCopied(s string) bool {
	t := strings.TrimLeft(s, " \t")
	return t != "" && t[0] != '|' && !strings.HasPrefix(t, "- [")
}

// isKey reports whether keys holds lineKey(s), without building the key
// as a string (once per prose line of every document).
func isKey(keys map[string]bool, s string) bool {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "- [") || strings.HasPrefix(t, "* [") || strings.HasPrefix(t, "|") {
		return keys[""]
	}
	var buf [256]byte
	return keys[string(spec.AppendNormalize(buf[:0], t))]
}

func lineKey(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "- [") || strings.HasPrefix(t, "* [") || strings.HasPrefix(t, "|") {
		return "" // task items and table rows are never template copies
	}
	return spec.Normalize(t)
}

func checkPlaceholders(c *Context, d *spec.Document, t *spec.Template, m *Match) {
	if !c.Enabled(rules.SectionPlaceholder) {
		return
	}
	ps := c.Placeholders(d)
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		sec := d.SectionAt(p.Span.Start)
		name := "the document"
		var ts *spec.TemplateSection
		if sec != nil {
			name = "section \"" + sec.Title + "\""
			ts = m.Of[sec]
		}
		fix := "replace it with the real content"
		if ts != nil {
			fix += ", or generate the section"
		}
		// More leftovers on the same line (a template table row with a
		// prompt per cell) are one finding: the rest go to related
		// information.
		line := lineOf(d.Text, p.Span.Start)
		var rel []Related
		for i+1 < len(ps) && ps[i+1].Span.Start < line.End {
			i++
			rel = append(rel, Related{Path: d.Path, Span: ps[i].Span, Message: "also " + ps[i].What})
		}
		c.ReportRelated(rules.SectionPlaceholder, d, p.Span, rel, Data{Section: sec, Template: ts}, "%s still holds %s; %s", name, p.What, fix)
	}
}

func isNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'
}
