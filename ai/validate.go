package ai

import (
	"fmt"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// placeholderRe matches a bracketed placeholder such as "[Service Name]".
var placeholderRe = spec.Placeholder

func hasPlaceholder(s string) bool { return placeholderRe.MatchString(s) }

// thinkRe matches the reasoning some local models (DeepSeek R1, Qwen3)
// print before their answer.
var thinkRe = lazyregexp.New(`(?s)^\s*<think>.*?</think>\s*`)

// fenceLine matches the opening line of a fence around a markdown answer.
var fenceLine = lazyregexp.New("^(```+|~~~+)\\s*(markdown|md)?\\s*$")

// Clean turns the model's answer into the section for t: it drops
// reasoning and chatter, unwraps a code fence around the whole answer,
// forces the heading to the template's, and rejects an answer that is
// empty, is another section, or would break the document's structure
// (a level-1 heading, a heading outside the section). The result has "\n"
// line endings and no final line break.
func Clean(answer string, t Target, tmpl *spec.Template) (string, error) {
	a := strings.ReplaceAll(answer, "\r\n", "\n")
	a = strings.TrimPrefix(a, "\uFEFF")
	a = thinkRe.ReplaceAllString(a, "")
	a = unfence(strings.TrimSpace(a))
	if strings.TrimSpace(a) == "" {
		return "", &Error{Kind: KindEmpty, msg: "the model returned an empty answer; nothing was written"}
	}
	doc := spec.Parse("answer.md", []byte(a))
	if t.Mode == ModeDocument {
		return cleanDocument(a, doc, t)
	}
	want := t.Template
	var (
		h0   *spec.Section
		body string
	)
	if len(doc.Headings) > 0 {
		h0 = doc.Headings[0]
	}
	heading := t.Heading
	switch {
	case h0 == nil:
		if t.Variable {
			return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer names no %s heading for the item it describes; nothing was written", strings.Repeat("#", t.Level))}
		}
		body = a
	case isTarget(h0.Title, t):
		// Text before the section's heading is chatter ("Here is ...").
		body = a[h0.Heading.End:]
		if t.Variable {
			if hasPlaceholder(h0.Title) || strings.Trim(h0.Title, "<> ") == "" || strings.HasPrefix(h0.Title, "<") {
				return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer's heading %q is still a placeholder; nothing was written", h0.Title)}
			}
			heading = strings.Repeat("#", t.Level) + " " + h0.Title
		}
	case otherSection(h0.Title, t, tmpl) != nil:
		other := otherSection(h0.Title, t, tmpl)
		return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the model wrote the section %q instead of %q; nothing was written", other.Title, want.Title)}
	case strings.TrimSpace(a[:h0.Heading.Start]) == "" && h0.Level <= t.Level:
		// The answer's own title for the section: force the template's.
		body = a[h0.Heading.End:]
	case strings.TrimSpace(a[:h0.Heading.Start]) == "":
		body = a // starts with a subsection
	default:
		body = a
	}
	body = strings.Trim(body, "\n")
	bdoc := spec.Parse("body.md", []byte(body))
	for _, h := range bdoc.Headings {
		if h.Level == 1 {
			return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer holds a level-1 heading %q, a second title for the document; nothing was written", h.Title)}
		}
		if h.Level <= t.Level {
			return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer holds the heading %q at level %d, which would end the section %q and start another; nothing was written", h.Title, h.Level, want.Title)}
		}
	}
	if isBlank(withoutHeadings(body, bdoc)) {
		return "", &Error{Kind: KindEmpty, msg: fmt.Sprintf("the model's answer for %q holds no content, only headings; nothing was written", want.Title)}
	}
	return heading + "\n\n" + strings.TrimRight(body, " \t\n"), nil
}

// cleanDocument checks a whole-document answer: one title, forced to the
// template's pattern, and content after it.
func cleanDocument(a string, doc *spec.Document, t Target) (string, error) {
	var h1s []*spec.Section
	for _, h := range doc.Headings {
		if h.Level == 1 {
			h1s = append(h1s, h)
		}
	}
	if len(h1s) > 1 {
		return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer holds %d level-1 headings (%q, %q); a document has one title; nothing was written", len(h1s), h1s[0].Title, h1s[1].Title)}
	}
	body := a
	if len(h1s) == 1 {
		if len(doc.Headings) > 0 && doc.Headings[0] != h1s[0] {
			return "", &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer has sections before its title %q; nothing was written", h1s[0].Title)}
		}
		body = a[h1s[0].Heading.End:]
	}
	body = strings.Trim(body, "\n")
	if isBlank(body) {
		return "", &Error{Kind: KindEmpty, msg: "the model's answer holds only a title; nothing was written"}
	}
	return t.Heading + "\n\n" + strings.TrimRight(body, " \t\n"), nil
}

// unfence removes a code fence around the whole answer, or around its only
// markdown block when the text outside that block holds no heading.
func unfence(a string) string {
	lines := strings.Split(a, "\n")
	if len(lines) < 2 {
		return a
	}
	first := strings.TrimSpace(lines[0])
	if m := fenceLine.FindStringSubmatch(first); m != nil && strings.TrimSpace(lines[len(lines)-1]) == m[1] {
		return strings.Join(lines[1:len(lines)-1], "\n")
	}
	// Chatter around a ```markdown block: take the block when the text
	// outside it is prose only.
	open, end := -1, -1
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if open < 0 {
			if strings.HasPrefix(l, "```") && fenceLine.MatchString(l) && strings.TrimSpace(strings.TrimLeft(l, "`")) != "" {
				open = i
			}
			continue
		}
		if l == "```" {
			end = i
		}
	}
	if open < 0 || end < 0 {
		return a
	}
	outside := strings.Join(lines[:open], "\n") + "\n" + strings.Join(lines[end+1:], "\n")
	if len(spec.Parse("outside.md", []byte(outside)).Headings) > 0 {
		return a
	}
	return strings.Join(lines[open+1:end], "\n")
}

// isTarget reports whether a heading of the answer names the target
// section: the same title, a near miss, or one that contains it.
func isTarget(title string, t Target) bool {
	if t.Variable {
		return true
	}
	k := spec.Normalize(title)
	for _, w := range []string{t.Template.Title, strings.TrimLeft(t.Heading, "# ")} {
		wk := spec.Normalize(w)
		if k == wk || spec.NearMiss(k, wk) || (wk != "" && strings.Contains(k, wk)) {
			return true
		}
	}
	return false
}

// otherSection returns the template section, other than the target and
// its descendants, that a heading names, or nil.
func otherSection(title string, t Target, tmpl *spec.Template) *spec.TemplateSection {
	ts := tmpl.Lookup(title)
	if ts == nil || ts == t.Template {
		return nil
	}
	for p := ts.Parent; p != nil; p = p.Parent {
		if p == t.Template {
			return nil // a subsection of the target: fine
		}
	}
	return ts
}

// withoutHeadings returns the text with heading lines removed.
func withoutHeadings(body string, d *spec.Document) string {
	b := []byte(body)
	for i := len(d.Headings) - 1; i >= 0; i-- {
		h := d.Headings[i].Heading
		b = append(b[:h.Start:h.Start], b[h.End:]...)
	}
	return string(b)
}

var htmlComment = lazyregexp.New(`(?s)<!--.*?-->`)

func isBlank(s string) bool { return strings.TrimSpace(htmlComment.ReplaceAllString(s, "")) == "" }

// recheck parses newText as the document at t.Path, checks the document's
// structure against the old one (no second title, no section that now
// appears twice) and runs the engine on the feature with it, returning the
// findings inside the generated span.
func recheck(in diagnostics.Input, old *spec.Document, tmpl *spec.Template, t Target, newText []byte, span spec.Span) ([]diagnostics.Finding, error) {
	nd := spec.Parse(t.Path, newText)
	if n := countH1(nd); n > 1 && n > countH1(old) {
		return nil, &Error{Kind: KindInvalid, msg: "the answer would give the document a second title; nothing was written"}
	}
	nm := diagnostics.MatchTemplate(nd, tmpl)
	var om *diagnostics.Match
	if old != nil {
		om = diagnostics.MatchTemplate(old, tmpl)
	}
	for _, ts := range tmpl.Sections {
		if ts.Variable || ts.Level == 1 {
			continue
		}
		before := 0
		if om != nil {
			before = len(om.Found[ts])
		}
		if n := len(nm.Found[ts]); n > 1 && n > before {
			return nil, &Error{Kind: KindInvalid, msg: fmt.Sprintf("the answer repeats the section %q, which the document already has; nothing was written", ts.Title)}
		}
	}
	f := spec.Feature{}
	if in.Feature != nil {
		f = *in.Feature
	}
	f.Set(nd)
	in.Feature = &f
	var out []diagnostics.Finding
	for _, fd := range diagnostics.Check(in) {
		if fd.Path == t.Path && fd.Span.Start >= span.Start && fd.Span.Start < span.End {
			out = append(out, fd)
		}
	}
	return out, nil
}

func countH1(d *spec.Document) int {
	if d == nil {
		return 0
	}
	n := 0
	for _, h := range d.Headings {
		if h.Level == 1 {
			n++
		}
	}
	return n
}
