package ai

import (
	"fmt"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// Mode says how a generated section goes into its document.
type Mode int

const (
	// ModeReplace replaces a whole section, subsections included: they hold
	// nothing but template text.
	ModeReplace Mode = iota + 1
	// ModeOwn replaces a section's heading and its own text, keeping its
	// subsections, which hold the author's text.
	ModeOwn
	// ModeInsert inserts a missing section at its template position.
	ModeInsert
	// ModeDocument writes a whole new document.
	ModeDocument
)

// Target is where generated text goes and what it must be.
type Target struct {
	Kind  spec.Kind
	Path  string
	Query string // the section asked for ("" for a whole document)
	Mode  Mode
	// Template is the template section written (nil for ModeDocument).
	Template *spec.TemplateSection
	// Heading is the heading line the answer is given; Level its level.
	Heading string
	Level   int
	// Variable is true when the heading's text is the model's to choose
	// (a "### [Service Name]" section still named by its placeholder).
	Variable bool
	// Span is the region of the document replaced (empty when inserting);
	// Original its text when the target was located.
	Span     spec.Span
	Original string
	// Keep lists the subsections kept in ModeOwn.
	Keep []string
}

// Locate finds where the section named section (a template title, or the
// heading of a document section) goes in doc.
func Locate(doc *spec.Document, tmpl *spec.Template, section string) (Target, error) {
	t := Target{Kind: doc.Kind, Path: doc.Path, Query: section}
	m := diagnostics.MatchTemplate(doc, tmpl)
	key := spec.Normalize(section)
	var h *spec.Section
	for _, s := range doc.Headings {
		if s.Level > 1 && m.Of[s] != nil && spec.Normalize(s.Title) == key {
			h = s
			break
		}
	}
	if h == nil {
		ts := tmpl.Lookup(section)
		if ts == nil {
			return t, &Error{Kind: KindInvalid, msg: fmt.Sprintf("the %s template has no section %q", doc.Kind, section)}
		}
		if ts.Variable {
			return t, &Error{Kind: KindInvalid, msg: fmt.Sprintf("%q stands for any number of sections; generate its parent %q instead", ts.Title, ts.Parent.Title)}
		}
		// A missing section whose parent is missing too goes in with it.
		for ts.Parent != nil && ts.Parent.Level > 1 && len(m.Found[ts.Parent]) == 0 {
			ts = ts.Parent
		}
		at, _ := diagnostics.InsertPoint(doc, tmpl, m, ts)
		at = lineStart(doc.Text, at)
		if doc.BOM && at < 3 {
			at = 3 // never before the byte order mark
		}
		t.Mode = ModeInsert
		t.Template = ts
		t.Level = ts.Level
		t.Heading = strings.Repeat("#", ts.Level) + " " + ts.Title
		t.Span = spec.Span{Start: at, End: at}
		return t, nil
	}
	ts := m.Of[h]
	t.Template = ts
	t.Level = ts.Level
	switch {
	case ts.Variable && hasPlaceholder(h.Title):
		t.Variable = true
		t.Heading = strings.Repeat("#", ts.Level) + " <name>"
	case ts.Variable:
		t.Heading = strings.Repeat("#", ts.Level) + " " + h.Title
	default:
		t.Heading = strings.Repeat("#", ts.Level) + " " + ts.Title
	}
	t.Mode = ModeReplace
	t.Span = h.Span
	if len(h.Children) > 0 && !templateOnly(doc, tmpl, m, h) {
		t.Mode = ModeOwn
		t.Span = spec.Span{Start: h.Heading.Start, End: h.Own.End}
		for _, c := range h.Children {
			t.Keep = append(t.Keep, c.Title)
		}
	}
	t.Original = t.Span.Text(doc.Text)
	return t, nil
}

// documentTarget is the target that writes the whole document at path;
// doc is its current (blank) text, or nil when it does not exist.
func documentTarget(path string, kind spec.Kind, doc *spec.Document, tmpl *spec.Template, f *spec.Feature) Target {
	t := Target{Kind: kind, Path: path, Mode: ModeDocument, Level: 1}
	title := "Technical Specification: [Feature Name]"
	if tt := tmpl.Title(); tt != nil {
		title = tt.Title
	}
	name := featureName(f)
	if loc := placeholderRe.FindStringIndex(title); loc != nil {
		title = title[:loc[0]] + name + title[loc[1]:]
	}
	t.Heading = "# " + title
	if doc != nil {
		t.Span = spec.Span{Start: 0, End: len(doc.Text)}
		t.Original = string(doc.Text)
	}
	return t
}

// templateOnly reports whether the subsections of h hold nothing the
// author wrote: every line is blank, a heading, a line with a placeholder,
// or a line of the template's own text.
func templateOnly(doc *spec.Document, tmpl *spec.Template, m *diagnostics.Match, h *spec.Section) bool {
	tlines := map[string]bool{}
	for _, ts := range tmpl.Sections {
		for _, l := range strings.Split(ts.Body, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				tlines[l] = true
			}
		}
	}
	ph := diagnostics.Placeholders(doc, m)
	marked := func(s spec.Span) bool {
		for _, p := range ph {
			if p.Span.Start < s.End && s.Start < p.Span.End {
				return true
			}
		}
		return false
	}
	heading := map[int]bool{}
	for _, s := range doc.Headings {
		heading[s.Heading.Start] = true
	}
	region := spec.Span{Start: h.Children[0].Heading.Start, End: h.Span.End}
	for off := region.Start; off < region.End; {
		end := off
		for end < region.End && doc.Text[end] != '\n' {
			end++
		}
		line := strings.TrimSpace(string(doc.Text[off:end]))
		if line != "" && !heading[off] && !tlines[line] && !marked(spec.Span{Start: off, End: end}) {
			return false
		}
		off = end + 1
	}
	return true
}

// Splice returns the edit that puts section (markdown with "\n" line
// endings, no final line break) at t in src, in the text's line ending,
// separated from its neighbours by one blank line; the new text; and the
// span of the section in it.
func Splice(src []byte, t Target, section string) (Edit, []byte, spec.Span) {
	nl := "\n"
	if i := strings.IndexByte(string(src), '\n'); i > 0 && src[i-1] == '\r' {
		nl = "\r\n"
	}
	block := strings.ReplaceAll(section, "\n", nl)
	span := t.Span
	span.End = min(max(span.End, 0), len(src))
	span.Start = min(max(span.Start, 0), span.End)
	var prefix, suffix string
	switch t.Mode {
	case ModeDocument:
		suffix = nl
	case ModeInsert:
		prefix = strings.Repeat(nl, max(0, 2-lineBreaksBefore(src, span.Start)))
		if span.Start < len(src) {
			suffix = nl + nl
		} else {
			suffix = nl
		}
	default:
		switch {
		case span.End < len(src):
			suffix = nl + nl
		case len(src) > 0 && src[len(src)-1] == '\n':
			suffix = nl
		}
	}
	text := prefix + block + suffix
	out := make([]byte, 0, len(src)-span.Len()+len(text))
	out = append(out, src[:span.Start]...)
	out = append(out, text...)
	out = append(out, src[span.End:]...)
	at := span.Start + len(prefix)
	return Edit{Path: t.Path, Span: span, NewText: text}, out, spec.Span{Start: at, End: at + len(block)}
}

// Edit replaces the bytes of Span in the file at Path with NewText.
type Edit struct {
	Path    string
	Span    spec.Span
	NewText string
}

// lineBreaksBefore counts the line breaks in the white space that ends at
// off; at the start of the text (after a BOM) it answers 2, as if there
// were a blank line.
func lineBreaksBefore(src []byte, off int) int {
	start := 0
	if strings.HasPrefix(string(src[:min(3, len(src))]), "\uFEFF") {
		start = 3
	}
	n := 0
	for i := off - 1; i >= start; i-- {
		switch src[i] {
		case '\n':
			n++
		case '\r', ' ', '\t':
		default:
			return n
		}
	}
	return 2 // the start of the text needs no separation
}

// lineStart moves off to the start of the next line when it is inside a
// line (insertion points are at line starts).
func lineStart(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	if off == 0 || src[off-1] == '\n' {
		return off
	}
	for off < len(src) && src[off] != '\n' {
		off++
	}
	if off < len(src) {
		off++
	}
	return off
}
