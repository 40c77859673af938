package codeactions

import (
	"fmt"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// insertMissing offers, for a missing template section, the section with
// the parts that can be derived from the document generated (preferred
// when there are any), and the template's skeleton.
func (f *fixer) insertMissing(fd diagnostics.Finding) []Action {
	ts := fd.Data.Template
	if ts == nil {
		return nil
	}
	if f.inCode(f.t.insertAt(fd.Data.Insert)) {
		return nil
	}
	if ts.Level == 1 {
		return f.insertTitle(ts, fd.Data.Insert)
	}
	heading := strings.Repeat("#", ts.Level) + " " + ts.Title
	var as []Action
	if block, gen := f.render(ts); len(gen) > 0 {
		as = append(as, Action{
			Title:     fmt.Sprintf("Insert %q with %s generated from the document", heading, strings.Join(gen, ", ")),
			Preferred: true,
			Safe:      true,
			Edits:     []Edit{ranked(f.t.insertBlock(f.doc.Path, fd.Data.Insert, block), ts)},
			claims:    claimsOf(ts),
		})
	}
	as = append(as, Action{
		Title:     fmt.Sprintf("Insert %q from the template", heading),
		Preferred: len(as) == 0,
		Safe:      len(as) == 0,
		Edits:     []Edit{ranked(f.t.insertBlock(f.doc.Path, fd.Data.Insert, f.skeleton(ts)), ts)},
		claims:    claimsOf(ts),
	})
	return as
}

// ranked gives an insertion of a template section its template rank.
func ranked(e Edit, ts *spec.TemplateSection) Edit {
	if ts != nil {
		e.rank = ts.Index + 1
	}
	return e
}

// claimsOf lists the template keys an inserted section writes, so that
// fix-all does not write one twice.
func claimsOf(ts *spec.TemplateSection) []string {
	out := []string{ts.Key}
	for _, c := range ts.Children {
		if !c.Optional {
			out = append(out, claimsOf(c)...)
		}
	}
	return out
}

// insertTitle adds the missing H1, named after the feature where the other
// documents of the feature name it.
func (f *fixer) insertTitle(ts *spec.TemplateSection, at int) []Action {
	name, _ := f.featureName()
	title := ts.TitleFor(oneLine(name))
	return []Action{{
		Title:     fmt.Sprintf("Add the title %q", "# "+title),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{f.t.insertBlock(f.doc.Path, at, "# "+title)},
		claims:    []string{ts.Key},
	}}
}

// render returns a template section as markdown with "\n" line endings:
// its heading, then for it and each required subsection the generated
// content where the document lets it be derived, else the template's
// text. Subsections the document has elsewhere are left out: the
// section-order fix moves them in. gen lists the titles of the generated
// parts.
func (f *fixer) render(ts *spec.TemplateSection) (block string, gen []string) {
	var sb strings.Builder
	f.renderTo(&sb, ts, &gen, true)
	return strings.TrimRight(sb.String(), "\n"), gen
}

// skeleton is render without generators: the template's text alone.
func (f *fixer) skeleton(ts *spec.TemplateSection) string {
	var sb strings.Builder
	f.renderTo(&sb, ts, nil, false)
	return strings.TrimRight(sb.String(), "\n")
}

func (f *fixer) renderTo(sb *strings.Builder, ts *spec.TemplateSection, gen *[]string, generate bool) {
	sb.WriteString(strings.Repeat("#", ts.Level) + " " + ts.Title + "\n")
	g := generatorFor(ts.Key)
	body := ""
	if g != nil && generate {
		body = g.body(f, ts)
	}
	if body != "" {
		*gen = append(*gen, ts.Title)
		sb.WriteString("\n" + body + "\n")
		if g.children {
			return
		}
	} else if ts.Body != "" {
		sb.WriteString("\n" + strings.ReplaceAll(ts.Body, "\r\n", "\n") + "\n")
	}
	for _, c := range ts.Children {
		if c.Optional && !(f.suggested && c.Suggested) || len(f.m.Found[c]) > 0 {
			continue
		}
		sb.WriteString("\n")
		f.renderTo(sb, c, gen, generate)
	}
}

// rename replaces a near-miss heading's text with the template's.
func (f *fixer) rename(fd diagnostics.Finding) []Action {
	h := fd.Data.Section
	if h == nil || fd.Data.Want == "" || h.TitleSpan.Len() == 0 {
		return nil
	}
	return []Action{{
		Title:     fmt.Sprintf("Rename %q to %q", h.Title, fd.Data.Want),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{{Path: f.doc.Path, Span: h.TitleSpan, NewText: fd.Data.Want}},
	}}
}

// relevel changes the number of "#" of a heading; a setext heading
// ("Title" over "===") becomes an ATX one.
func (f *fixer) relevel(fd diagnostics.Finding) []Action {
	h := fd.Data.Section
	want := fd.Data.Want
	if h == nil || want == "" || strings.Trim(want, "#") != "" {
		return nil
	}
	line := f.t.src[h.Heading.Start:h.Heading.End]
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	var e Edit
	if i < len(line) && line[i] == '#' {
		j := i
		for j < len(line) && line[j] == '#' {
			j++
		}
		e = Edit{Path: f.doc.Path, Span: spec.Span{Start: h.Heading.Start + i, End: h.Heading.Start + j}, NewText: want}
	} else {
		title := strings.Join(strings.Fields(h.TitleSpan.Text(f.t.src)), " ")
		e = Edit{Path: f.doc.Path, Span: h.Heading, NewText: want + " " + title}
	}
	return []Action{{
		Title:     fmt.Sprintf("Make %q a level-%d heading (%s)", h.Title, len(want), want),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{e},
	}}
}

// move cuts a section out of place and inserts it at its template
// position, as two edits that do not overlap.
func (f *fixer) move(fd diagnostics.Finding) []Action {
	h := fd.Data.Section
	if h == nil {
		return nil
	}
	del := f.t.deleteSection(f.doc.Path, h.Span)
	to := fd.Data.MoveTo
	if to >= del.Span.Start && to <= del.Span.End {
		return nil // already there, or inside itself
	}
	if f.inCode(f.t.insertAt(to)) {
		return nil
	}
	for _, c := range f.doc.Code {
		if c.Unclosed && c.Span.Start >= h.Span.Start && c.Span.Start < h.Span.End {
			return nil // moving an unclosed fence would swallow what follows it
		}
	}
	ins := ranked(f.t.insertBlock(f.doc.Path, to, f.t.sectionBlock(h.Span)), fd.Data.Template)
	if conflict(ins, del) {
		return nil
	}
	where := "to its template position"
	for _, a := range f.doc.Headings {
		if a.Span.End == to && a.Level == h.Level && a != h {
			where = fmt.Sprintf("after %q", a.Title)
		}
	}
	// The move claims the section and every section inside it: another fix
	// of them in the same pass would write into text that moves away.
	var claims []string
	for _, x := range f.doc.Headings {
		if x.Span.Start >= h.Span.Start && x.Span.Start < h.Span.End {
			if ts := f.m.Of[x]; ts != nil {
				claims = append(claims, ts.Key)
			}
		}
	}
	return []Action{{
		Title:     fmt.Sprintf("Move %q %s", h.Title, where),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{del, ins},
		claims:    claims,
	}}
}

// nameTitle replaces the placeholder of a title with the feature's name, as
// the feature's other documents give it (safe), or as the folder's slug
// spells it (offered only).
func (f *fixer) nameTitle(fd diagnostics.Finding) []Action {
	h := fd.Data.Section
	if h == nil {
		return nil
	}
	title := h.TitleSpan.Text(f.t.src)
	loc := reportedPlaceholder(title, fd.Data.Target)
	if loc == nil {
		return nil
	}
	name, fromTitle := f.featureName()
	name = oneLine(name)
	if name == "" {
		return nil
	}
	return []Action{{
		Title:     fmt.Sprintf("Name the feature %q in the title", name),
		Preferred: true,
		Safe:      fromTitle,
		Edits:     []Edit{{Path: f.doc.Path, Span: spec.Span{Start: h.TitleSpan.Start + loc[0], End: h.TitleSpan.Start + loc[1]}, NewText: name}},
	}}
}

// reportedPlaceholder finds the placeholder the finding reported in the
// title's source: the first occurrence of it that is not a link's or an
// image's label ("[RFC 12](https://...)", "[text][ref]"), which the
// finding, reading the title without its markup, never meant.
func reportedPlaceholder(title, reported string) []int {
	if reported == "" {
		return nil
	}
	for i := 0; i < len(title); {
		j := strings.Index(title[i:], reported)
		if j < 0 {
			return nil
		}
		start, end := i+j, i+j+len(reported)
		link := (end < len(title) && (title[end] == '(' || title[end] == '[')) ||
			(start > 0 && (title[start-1] == '!' || title[start-1] == ']'))
		if !link {
			return []int{start, end}
		}
		i = start + 1
	}
	return nil
}
