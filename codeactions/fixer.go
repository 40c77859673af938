package codeactions

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// fixer builds the actions of one document of a feature.
type fixer struct {
	in   diagnostics.Input
	doc  *spec.Document
	t    text
	tmpl *spec.Template
	m    *diagnostics.Match

	arts *artifacts // read lazily: most requests need none

	// findings are the feature's current findings: the request's, else
	// computed on first use (findingsOf).
	findings    []diagnostics.Finding
	hasFindings bool
}

// findingsOf returns the current findings of the document with the code:
// some fixes take what is missing from the rules' own findings, so that
// they add exactly what the rules ask for.
func (f *fixer) findingsOf(code string) []diagnostics.Finding {
	if !f.hasFindings {
		f.findings, f.hasFindings = diagnostics.Check(f.in), true
	}
	var out []diagnostics.Finding
	for _, fd := range f.findings {
		if fd.Code == code && fd.Path == f.doc.Path {
			out = append(out, fd)
		}
	}
	return out
}

func newFixer(in diagnostics.Input, doc *spec.Document) *fixer {
	f := &fixer{in: in, doc: doc, t: textOf(doc)}
	if t := in.Templates[doc.Kind]; t != nil {
		f.tmpl = t
	} else {
		f.tmpl = spec.BuiltinTemplate(doc.Kind)
	}
	if f.tmpl != nil {
		f.m = diagnostics.MatchTemplate(doc, f.tmpl)
	} else {
		f.tmpl = &spec.Template{Kind: doc.Kind}
		f.m = diagnostics.MatchTemplate(doc, f.tmpl)
	}
	return f
}

// actionsFor returns the quick fixes of one finding, the preferred first.
func (f *fixer) actionsFor(fd diagnostics.Finding) []Action {
	var as []Action
	switch fd.Code {
	case "section-missing":
		as = f.insertMissing(fd)
	case "section-renamed":
		as = f.rename(fd)
	case "section-level":
		as = f.relevel(fd)
	case "section-order":
		as = f.move(fd)
	case "title-placeholder":
		as = f.nameTitle(fd)
	case "section-placeholder", "section-empty":
		if fd.Data.Section != nil {
			if a, ok := f.generateSection(fd.Data.Section); ok {
				as = []Action{a}
			}
		}
	case "prd-missing":
		as = f.createPRD()
	case "graph-missing":
		as = f.ensure(genGraph)
	case "matrix-missing":
		as = f.ensure(genMatrix)
	case "matrix-mismatch":
		// Only "an edge without a row" has a fix: the row. A row without an
		// edge, or protocols that differ, need the author's decision.
		if f.inMermaid(fd.Span) {
			as = f.ensure(genMatrix)
		}
	case "ownership-missing", "ownership-service-missing":
		as = f.ensure(genOwnership)
	case "checklist-incomplete":
		// A missing item (or list) is added; an unticked one is the
		// author's to tick.
		if fd.Data.Want == "" || strings.HasPrefix(fd.Data.Want, "- [ ]") {
			as = f.ensure(genChecklist)
		}
	case "libraries-missing", "analysis-missing", "open-questions-missing":
		// Reported in place of section-missing when the template section
		// is absent (Data.Template, Data.Insert): the same fix.
		if ts := fd.Data.Template; ts != nil && ts.Level > 1 && len(f.m.Found[ts]) == 0 {
			as = f.insertMissing(fd)
		}
	case "graph-service-undefined", "services-missing":
		as = f.ensure(genServices)
	case "deployment-order":
		as = f.reorderPhases()
	case "library-below-minimum":
		as = f.raiseLibrary(fd)
	case "gate-claim-false":
		as = f.untick(fd)
	}
	for i := range as {
		if as[i].Kind == "" {
			as[i].Kind = KindQuickFix
		}
		as[i].Fixes = []diagnostics.Finding{fd}
	}
	return as
}

// inCode reports whether text inserted at off would land in a code block:
// inside a fenced block, or anywhere after an unclosed fence, which runs to
// the end of the document. Nothing is inserted there: it would be code,
// not sections, and the fix would not take.
func (f *fixer) inCode(off int) bool {
	for _, c := range f.doc.Code {
		if c.Span.Start < off && (off < c.Span.End || c.Unclosed) {
			return true
		}
	}
	return false
}

// inMermaid reports whether a span lies in a mermaid block.
func (f *fixer) inMermaid(s spec.Span) bool {
	for _, c := range f.doc.Code {
		if c.Lang == "mermaid" && c.Span.Start <= s.Start && s.End <= c.Span.End {
			return true
		}
	}
	return false
}

// fileKind names the document's kind in titles.
func (f *fixer) fileKind() string {
	switch f.doc.Kind {
	case spec.KindPRD:
		return "PRD"
	case spec.KindTechSpec:
		return "tech spec"
	case spec.KindTasks:
		return "task list"
	}
	return "document"
}

// section returns the document section matched to the template section
// titled title, else one whose heading has that text, or nil.
func (f *fixer) section(title string) *spec.Section {
	if ts := f.tmpl.Lookup(title); ts != nil {
		if found := f.m.Found[ts]; len(found) > 0 {
			return found[0]
		}
	}
	if found := f.doc.Find(title); len(found) > 0 {
		return found[0]
	}
	return nil
}

// placeholder matches a bracketed placeholder such as "[Feature Name]".
var placeholder = regexp.MustCompile(`\[[^\[\]\n]{2,80}\]`)

// featureName returns the feature's name, read from the title of another
// document of the feature (the part after "Technical Specification:" or
// "Product Requirements Document:"), and whether it came from a title; else
// a name made from the folder's slug.
func (f *fixer) featureName() (string, bool) {
	for _, d := range f.in.Feature.Docs() {
		if d == f.doc || d.Path == f.doc.Path {
			continue
		}
		if n := nameFromTitle(d); n != "" {
			return n, true
		}
	}
	if n := nameFromTitle(f.doc); n != "" {
		return n, true
	}
	return slugName(f.in.Feature.Slug), false
}

func nameFromTitle(d *spec.Document) string {
	h := d.Title()
	if h == nil {
		return ""
	}
	name := h.Title
	if _, after, ok := strings.Cut(name, ":"); ok {
		name = after
	}
	name = strings.TrimSpace(name)
	if name == "" || placeholder.MatchString(name) || strings.Contains(strings.ToLower(name), "template") {
		return ""
	}
	return name
}

// slugName turns "ai-chat" into "Ai Chat".
func slugName(slug string) string {
	words := strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return "Feature"
	}
	return strings.Join(words, " ")
}

// untick unticks a "- [x] Gate X" claim. It changes what the author wrote,
// so it is offered but neither preferred nor applied by fix-all.
func (f *fixer) untick(fd diagnostics.Finding) []Action {
	line := fd.Span.Text(f.t.src)
	i := strings.Index(strings.ToLower(line), "[x]")
	if i < 0 {
		return nil
	}
	at := fd.Span.Start + i
	return []Action{{
		Title: fmt.Sprintf("Untick the Gate %s claim", fd.Data.Target),
		Edits: []Edit{{Path: f.doc.Path, Span: spec.Span{Start: at, End: at + 3}, NewText: "[ ]"}},
	}}
}
