package codeactions

import (
	"fmt"
	"slices"
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// fixer builds the actions of one document of a feature.
type fixer struct {
	in   diagnostics.Input
	doc  *spec.Document
	t    text
	tmpl *spec.Template
	m    *diagnostics.Match

	arts *artifacts  // read lazily: most requests need none
	arch *arch.Model // the document's architecture model, read lazily

	// suggested renders the sections the built-in template suggests (not
	// only the required ones): for a whole new document of the profile.
	suggested bool

	// probe asks only whether each action exists (Fixable): a table
	// generator stops at the first row it would add or drop, and its
	// action's edits are then not the fix (probeEdits).
	probe bool

	ensured map[*generator][]Action // see ensure

	// findings are the feature's current findings: the request's, else
	// computed on first use (findingsOf).
	findings    []diagnostics.Finding
	hasFindings bool
}

// findingsOf returns the current findings of the document with the code:
// some fixes take what is missing from the rules' own findings, so that
// they add exactly what the rules ask for.
func (f *fixer) findingsOf(r *rules.Rule) []diagnostics.Finding {
	if !f.hasFindings {
		f.findings, f.hasFindings = diagnostics.Check(f.in), true
	}
	var out []diagnostics.Finding
	for _, fd := range f.findings {
		if fd.Rule() == r && fd.Path == f.doc.Path {
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
	if fix := fixes[fd.Rule()]; fix != nil {
		as = slices.Clone(fix(f, fd)) // a generator's actions are shared (ensure)
	}
	for i := range as {
		if as[i].Kind == "" {
			as[i].Kind = KindQuickFix
		}
		as[i].Fixes = []diagnostics.Finding{fd}
	}
	return as
}

// safeFix is safeAction(f.actionsFor(fd)) without the copies a client's
// actions need: fix-all and the fixable count ask it of every finding, and
// 50,000 findings may share one generated action. The action's Fixes are
// not set.
func (f *fixer) safeFix(fd diagnostics.Finding) (Action, bool) {
	fix := fixes[fd.Rule()]
	if fix == nil {
		return Action{}, false
	}
	a, ok := safeAction(fix(f, fd))
	if ok && a.Kind == "" {
		a.Kind = KindQuickFix // as actionsFor: identity reads it
	}
	return a, ok
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
var placeholder = spec.Placeholder

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
	return spec.SlugName(f.in.Feature.Slug), false
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

// untick unticks a "- [x] Gate X" claim. It changes what the author wrote,
// so it is offered but neither preferred nor applied by fix-all.
func (f *fixer) untick(fd diagnostics.Finding) []Action {
	line := fd.Span.Text(f.t.src)
	// Searched in line itself: offsets in a lower-cased copy drift after
	// a character whose lower case has another length.
	i := strings.Index(line, "[x]")
	if j := strings.Index(line, "[X]"); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return nil
	}
	at := fd.Span.Start + i
	return []Action{{
		Title: fmt.Sprintf("Untick the Gate %s claim", fd.Data.Target),
		Edits: []Edit{{Path: f.doc.Path, Span: spec.Span{Start: at, End: at + 3}, NewText: "[ ]"}},
	}}
}

// A fix turns one finding into its quick fixes (none when the finding's
// case needs the author's decision).
type fix func(f *fixer, fd diagnostics.Finding) []Action

// fixes holds the quick fixes by rule: exactly the rules whose registry
// entry names a fix (TestFixesMatchRegistry).
var fixes = map[*rules.Rule]fix{
	rules.SectionMissing:     (*fixer).insertMissing,
	rules.SectionRenamed:     (*fixer).rename,
	rules.SectionLevel:       (*fixer).relevel,
	rules.SectionOrder:       (*fixer).move,
	rules.TitlePlaceholder:   (*fixer).nameTitle,
	rules.SectionPlaceholder: (*fixer).regenerate,
	rules.SectionEmpty:       (*fixer).regenerate,
	rules.PRDMissing:         func(f *fixer, _ diagnostics.Finding) []Action { return f.createPRD() },
	rules.GraphMissing:       ensuring(genGraph),
	rules.MatrixMissing:      ensuring(genMatrix),
	rules.MatrixMismatch: func(f *fixer, fd diagnostics.Finding) []Action {
		// Only "an edge without a row" has a fix: the row. A row without an
		// edge, or protocols that differ, need the author's decision.
		if f.inMermaid(fd.Span) {
			return f.ensure(genMatrix)
		}
		return nil
	},
	rules.OwnershipMissing:        ensuring(genOwnership),
	rules.OwnershipServiceMissing: ensuring(genOwnership),
	rules.ChecklistIncomplete: func(f *fixer, fd diagnostics.Finding) []Action {
		// A missing item (or list) is added; an unticked one is the
		// author's to tick.
		if fd.Data.Want == "" || strings.HasPrefix(fd.Data.Want, "- [ ]") {
			return f.ensure(genChecklist)
		}
		return nil
	},
	// Reported in place of section-missing when the template section is
	// absent (Data.Template, Data.Insert): the same fix.
	rules.LibrariesMissing:      (*fixer).insertAbsent,
	rules.AnalysisMissing:       (*fixer).insertAbsent,
	rules.OpenQuestionsMissing:  (*fixer).insertAbsent,
	rules.GraphServiceUndefined: (*fixer).existingOrDefined,
	rules.ServicesMissing:       ensuring(genServices),
	rules.DeploymentOrder:       func(f *fixer, _ diagnostics.Finding) []Action { return f.reorderPhases() },
	rules.LibraryBelowMinimum:   (*fixer).raiseLibrary,
	rules.GateClaimFalse:        (*fixer).untick,
}

func ensuring(g *generator) fix {
	return func(f *fixer, _ diagnostics.Finding) []Action { return f.ensure(g) }
}

// regenerate offers to generate a section that holds template text or
// nothing.
func (f *fixer) regenerate(fd diagnostics.Finding) []Action {
	if fd.Data.Section != nil {
		if a, ok := f.generateSection(fd.Data.Section); ok {
			return []Action{a}
		}
	}
	return nil
}

// insertAbsent inserts the template section an artifact rule reported
// absent, when the template has one.
func (f *fixer) insertAbsent(fd diagnostics.Finding) []Action {
	if ts := fd.Data.Template; ts != nil && ts.Level > 1 && len(f.m.Found[ts]) == 0 {
		return f.insertMissing(fd)
	}
	return nil
}

// existingOrDefined offers, for a graph node that looks like a service but
// has no definition, to mark it as a system that exists outside the
// feature, or to add a definition skeleton. Which one is true is the
// author's to say, so neither is applied by fix-all: a stub would invent a
// service, and the mark a fact.
func (f *fixer) existingOrDefined(fd diagnostics.Finding) []Action {
	var as []Action
	if decl := fd.Span.Text(f.t.src); fd.Data.Want != "" && strings.HasPrefix(decl, fd.Data.Want) && !strings.Contains(decl, "\n") {
		label := fd.Data.Target
		as = append(as, Action{
			Title: fmt.Sprintf("Mark %q as existing (outside this feature)", label),
			Edits: []Edit{{Path: f.doc.Path, Span: fd.Span, NewText: arch.ExistingLabel(fd.Data.Want, label)}},
		})
	}
	for _, a := range f.ensure(genServices) {
		a.Safe, a.Preferred = false, false
		as = append(as, a)
	}
	return as
}
