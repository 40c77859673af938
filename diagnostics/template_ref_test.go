package diagnostics

// The template match and the placeholder scan as they were before the
// template index and the one-pass scan (commit 6df97d9), kept verbatim as
// the reference the rewrites are checked against
// (TestTemplateRewritesSameAsReference).

import (
	"strings"

	"github.com/specls/specls/spec"
)

func refMatchTemplate(d *spec.Document, t *spec.Template) *Match {
	m := &Match{
		Of:      map[*spec.Section]*spec.TemplateSection{},
		Renamed: map[*spec.Section]bool{},
		Found:   map[*spec.TemplateSection][]*spec.Section{},
		Title:   d.Title(),
	}
	if tt := t.Title(); tt != nil && m.Title != nil {
		m.Of[m.Title] = tt
		m.Found[tt] = append(m.Found[tt], m.Title)
	}
	// Pass 1: same text at the same level. Pass 2: same text at another
	// level, for template sections still absent, outside free-form blocks
	// (the body of a "### [Service Name]" is the author's to structure).
	// A template heading at another level (say "### Proto Definitions"
	// nested under Service Definitions) is that section misplaced, not a
	// service named after it: it matches before the variable section does,
	// unless the document also has it at the template's level.
	sameLevel := map[*spec.TemplateSection]bool{}
	for _, h := range d.Headings {
		if h != m.Title {
			if ts := refExactMatch(h, t, m, true); ts != nil {
				sameLevel[ts] = true
			}
		}
	}
	var rest, unknown []*spec.Section
	for _, h := range d.Headings {
		if h == m.Title {
			continue
		}
		if ts := refExactMatch(h, t, m, true); ts != nil {
			m.add(h, ts)
		} else if ts := refExactMatch(h, t, m, false); ts != nil && !sameLevel[ts] && len(m.Found[ts]) == 0 && !inVariable(h, m) && variableMatch(h, t, m) != nil {
			m.add(h, ts)
		} else if ts := variableMatch(h, t, m); ts != nil {
			m.add(h, ts)
		} else {
			rest = append(rest, h)
		}
	}
	for _, h := range rest {
		if inVariable(h, m) {
			continue
		}
		if ts := refExactMatch(h, t, m, false); ts != nil && len(m.Found[ts]) == 0 {
			m.add(h, ts)
		} else {
			unknown = append(unknown, h)
		}
	}
	// A heading that joins two template sections ("Goals & Success
	// Metrics", "Open Questions and Risks") holds both.
	var still []*spec.Section
	for _, h := range unknown {
		if parts := refJoinedSections(h, t, m); len(parts) > 1 {
			m.Of[h] = parts[0]
			for _, ts := range parts {
				m.Found[ts] = append(m.Found[ts], h)
			}
			continue
		}
		still = append(still, h)
	}
	unknown = still
	// Near misses, for template sections nothing matched exactly.
	for _, h := range unknown {
		key := h.MatchKey
		for _, ts := range t.Sections {
			if ts.Level == 1 || ts.Variable || len(m.Found[ts]) > 0 {
				continue
			}
			if spec.NearMiss(key, ts.MatchKey) {
				m.add(h, ts)
				m.Renamed[h] = true
				break
			}
		}
	}
	return m
}
func refJoinedSections(h *spec.Section, t *spec.Template, m *Match) []*spec.TemplateSection {
	_, name, _ := spec.SplitHeading(h.Title)
	parts := joiner.Split(name, -1)
	if len(parts) < 2 {
		return nil
	}
	var out []*spec.TemplateSection
	for _, p := range parts {
		key := spec.HeadingKey(p)
		var found *spec.TemplateSection
		for _, ts := range t.Sections {
			if ts.Level > 1 && !ts.Variable && len(m.Found[ts]) == 0 && (ts.MatchKey == key || leadPart(ts) == key) {
				found = ts
				break
			}
		}
		if found == nil {
			return nil
		}
		out = append(out, found)
	}
	return out
}
func refExactMatch(h *spec.Section, t *spec.Template, m *Match, sameLevel bool) *spec.TemplateSection {
	key := h.MatchKey
	var first *spec.TemplateSection
	for _, ts := range t.Sections {
		if ts.Level == 1 || ts.Variable || ts.MatchKey != key || (sameLevel && ts.Level != h.Level) {
			continue
		}
		// Prefer the candidate whose parent is the heading's matched parent.
		if h.Parent != nil && ts.Parent != nil && m.Of[h.Parent] == ts.Parent {
			return ts
		}
		if first == nil {
			first = ts
		}
	}
	return first
}

func refPlaceholdersWith(d *spec.Document, m *Match, code spans) []Placeholder {
	s := refNewHolderScan(d, m)
	s.code, s.haveCode = code, true
	return s.scan(nil, 0, len(d.Text), 0, s.mp.LineCount())
}

type refHolderScan struct {
	d             *spec.Document
	mp            *spec.Mapper
	templateLines map[*spec.Section]map[string]bool
	// The first words of the template's lines: a line whose first word is
	// none of them is not normalised and looked up (most prose lines).
	firstWords map[string]bool
	// code holds the inline code spans of the whole text, when haveCode.
	code     spans
	haveCode bool
}

func refNewHolderScan(d *spec.Document, m *Match) *refHolderScan {
	s := &refHolderScan{d: d, mp: d.Mapper(), templateLines: map[*spec.Section]map[string]bool{}, firstWords: map[string]bool{}}
	if m != nil {
		byTemplate := map[*spec.TemplateSection]map[string]bool{}
		for h, ts := range m.Of {
			if ts.Body != "" && ts.Level > 1 {
				if byTemplate[ts] == nil {
					byTemplate[ts] = bodyLines(ts.Body)
					for k := range byTemplate[ts] {
						w, _, _ := strings.Cut(k, " ")
						s.firstWords[w] = true
					}
				}
				s.templateLines[h] = byTemplate[ts]
			}
		}
	}
	return s
}
func (s *refHolderScan) scan(out []Placeholder, start, end, from, to int) []Placeholder {
	d, mp := s.d, s.mp
	src := d.Text
	code := s.code
	if !s.haveCode {
		code = codeSpansIn(d, start, end)
	}
	for line := from; line < to; line++ {
		ls, _ := mp.LineSpan(line)
		if ls.Start < d.FrontMatterSpan.End || d.InBlock(ls.Start) {
			continue
		}
		text := d.Slice(ls)
		if strings.TrimSpace(text) == "" {
			continue
		}
		sec := d.SectionAt(ls.Start)
		heading := sec != nil && sec.Heading.Start <= ls.Start && ls.Start < sec.Heading.End
		if heading {
			if sec.Level == 1 {
				continue // the title has its own rule
			}
		} else if tl := s.templateLines[sec]; tl != nil && looksCopied(text) && refMayBeKey(text, s.firstWords) && isKey(tl, text) && !labelWithContent(d, mp, line, to, text, tl) {
			// Merge with the previous finding when it ended on the line before.
			if n := len(out); n > 0 && out[n-1].Template && onPrevLine(src, out[n-1].Span.End, ls.Start) {
				out[n-1].Span.End = ls.End
			} else {
				t := strings.TrimLeft(text, " \t")
				out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(t), End: ls.End}, What: "the template's text", Template: true})
			}
			continue
		}
		hasBracket := strings.IndexByte(text, '[') >= 0
		if (strings.Contains(text, "xample") || strings.Contains(text, "XAMPLE") || strings.Contains(text, "e.g.")) && exampleRow.MatchString(text) {
			t := strings.TrimLeft(text, " \t")
			out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(t), End: ls.End}, What: "an Example row from the template"})
			continue
		}
		if !hasBracket && !refHasMarker(text) {
			continue
		}
		for _, loc := range markerRe.FindAllStringIndex(text, -1) {
			sp := spec.Span{Start: ls.Start + loc[0], End: ls.Start + loc[1]}
			if code.in(sp.Start) || d.InCode(sp.Start) || markerInProse(text, loc, heading) {
				continue
			}
			word := text[loc[0]:loc[1]]
			what := "a " + word + " marker"
			if strings.HasPrefix(word, "[") {
				what = "a " + word + " marker"
			}
			out = append(out, Placeholder{Span: sp, What: what})
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

// mayBeKey reports whether lineKey(text) can start with one of words: it
// looks at the first ASCII word of text, lower-cased without allocating,
// and says yes when text starts with something else.
func refMayBeKey(text string, words map[string]bool) bool {
	var buf [24]byte
	n := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 0x80:
			return true // Normalize's Unicode path: no shortcut
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			if n > 0 {
				return words[string(buf[:n])]
			}
			continue
		}
		if n == len(buf) {
			return true // longer than any word worth a shortcut
		}
		buf[n] = c
		n++
	}
	return n == 0 || words[string(buf[:n])]
}

// hasMarker is a cheap test before the marker regexp runs.
func refHasMarker(s string) bool {
	return strings.Contains(s, "TODO") || strings.Contains(s, "TBD") || strings.Contains(s, "TKTK") || strings.Contains(s, "FIXME")
}
