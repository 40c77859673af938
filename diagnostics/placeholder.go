package diagnostics

import (
	"regexp"
	"strings"

	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// placeholderRe matches a bracketed placeholder such as "[Feature Name]".
// Links, task boxes and footnotes are told apart by isPlaceholder.
var placeholderRe = regexp.MustCompile(`\[[^\[\]\n]{2,80}\]`)

// markerRe matches the to-do markers authors leave behind.
var markerRe = regexp.MustCompile(`\b(TODO|TBD|TKTK|FIXME)\b|(?i)\[NEEDS CLARIFICATION[^\]\n]*\]`)

var exampleRow = regexp.MustCompile(`(?i)^\s*(\|\s*)?(\*\*|_)?(e\.g\.|example)\b\s*:?`)

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
	var out []Placeholder
	templateLines := map[*spec.Section]map[string]bool{}
	// The first words of the template's lines: a line whose first word is
	// none of them is not normalised and looked up (most prose lines).
	firstWords := map[string]bool{}
	if m != nil {
		byTemplate := map[*spec.TemplateSection]map[string]bool{}
		for h, ts := range m.Of {
			if ts.Body != "" && ts.Level > 1 {
				if byTemplate[ts] == nil {
					byTemplate[ts] = bodyLines(ts.Body)
					for k := range byTemplate[ts] {
						w, _, _ := strings.Cut(k, " ")
						firstWords[w] = true
					}
				}
				templateLines[h] = byTemplate[ts]
			}
		}
	}
	src := d.Text
	mp := d.Mapper()
	for line := 0; line < mp.LineCount(); line++ {
		ls, _ := mp.LineSpan(line)
		if ls.Start < d.FrontMatterSpan.End || d.InBlock(ls.Start) {
			continue
		}
		text := d.Slice(ls)
		if strings.TrimSpace(text) == "" {
			continue
		}
		sec := d.SectionAt(ls.Start)
		if sec != nil && sec.Heading.Start <= ls.Start && ls.Start < sec.Heading.End {
			if sec.Level == 1 {
				continue // the title has its own rule
			}
		} else if tl := templateLines[sec]; tl != nil && looksCopied(text) && mayBeKey(text, firstWords) && tl[lineKey(text)] {
			// Merge with the previous finding when it ended on the line before.
			if n := len(out); n > 0 && out[n-1].Template && onPrevLine(src, out[n-1].Span.End, ls.Start) {
				out[n-1].Span.End = ls.End
			} else {
				s := strings.TrimLeft(text, " \t")
				out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(s), End: ls.End}, What: "the template's text", Template: true})
			}
			continue
		}
		hasBracket := strings.IndexByte(text, '[') >= 0
		if (strings.Contains(text, "xample") || strings.Contains(text, "XAMPLE") || strings.Contains(text, "e.g.")) && exampleRow.MatchString(text) {
			s := strings.TrimLeft(text, " \t")
			out = append(out, Placeholder{Span: spec.Span{Start: ls.End - len(s), End: ls.End}, What: "an Example row from the template"})
			continue
		}
		if !hasBracket && !hasMarker(text) {
			continue
		}
		for _, loc := range markerRe.FindAllStringIndex(text, -1) {
			sp := spec.Span{Start: ls.Start + loc[0], End: ls.Start + loc[1]}
			if d.InCode(sp.Start) {
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
			if !isPlaceholder(text, loc) || d.InCode(sp.Start) || overlaps(out, sp) {
				continue
			}
			out = append(out, Placeholder{Span: sp, What: "the placeholder " + text[loc[0]:loc[1]]})
		}
	}
	return out
}

// hasMarker is a cheap test before the marker regexp runs.
func hasMarker(s string) bool {
	return strings.Contains(s, "TODO") || strings.Contains(s, "TBD") || strings.Contains(s, "TKTK") || strings.Contains(s, "FIXME")
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
	return true
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

// mayBeKey reports whether lineKey(text) can start with one of words: it
// looks at the first ASCII word of text, lower-cased without allocating,
// and says yes when text starts with something else.
func mayBeKey(text string, words map[string]bool) bool {
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

// looksCopied is a cheap filter before lineKey: template lines are prose
// or bullets, not table rows or task items.
func looksCopied(s string) bool {
	t := strings.TrimLeft(s, " \t")
	return t != "" && t[0] != '|' && !strings.HasPrefix(t, "- [")
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
	for _, p := range c.Placeholders(d) {
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
		c.Report(rules.SectionPlaceholder, d, p.Span, Data{Section: sec, Template: ts}, "%s still holds %s; %s", name, p.What, fix)
	}
}

func isNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'
}
