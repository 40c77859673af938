package codeactions

import (
	"fmt"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// ensure offers the generated section of g: it completes the section when
// the document has it, else inserts it at its template position (with its
// missing parents, so that it matches the section-missing fix), else, for
// a template without that section, at the end of Architecture Overview or
// of the document.
func (f *fixer) ensure(g *generator) []Action {
	// Every finding a generator answers (a matrix-mismatch per missing
	// row, say) asks for the same action: it is built once per fixer, or
	// fix-all would be quadratic in the findings.
	as, ok := f.ensured[g]
	if !ok {
		as = f.ensureNow(g)
		for i := range as {
			as[i].ident = new(string)
		}
		if f.ensured == nil {
			f.ensured = map[*generator][]Action{}
		}
		f.ensured[g] = as
	}
	return as // shared: callers copy before changing an action
}

func (f *fixer) ensureNow(g *generator) []Action {
	if f.doc.Kind != spec.KindTechSpec {
		return nil
	}
	if sec := f.section(g.title); sec != nil {
		if a, ok := f.generateWith(g, sec); ok {
			return []Action{a}
		}
		return nil
	}
	if ts := f.tmpl.Lookup(g.title); ts != nil {
		top := ts
		for top.Parent != nil && top.Parent.Level > 1 && len(f.m.Found[top.Parent]) == 0 {
			top = top.Parent
		}
		block, gen := f.render(top)
		if !contains(gen, ts.Title) {
			return nil
		}
		at, _ := diagnostics.InsertPoint(f.doc, f.tmpl, f.m, top)
		if f.inCode(f.t.insertAt(at)) {
			return nil
		}
		return []Action{{
			Title:     fmt.Sprintf("Generate %q %s", g.title, g.from),
			Preferred: true,
			Safe:      true,
			Edits:     []Edit{ranked(f.t.insertBlock(f.doc.Path, at, block), top)},
			claims:    claimsOf(top),
		}}
	}
	body := g.body(f, nil)
	if body == "" {
		return nil
	}
	level, at := 2, len(f.t.src)
	if ao := f.section("Architecture Overview"); ao != nil {
		level, at = ao.Level+1, ao.Span.End
	}
	if f.inCode(f.t.insertAt(at)) {
		return nil
	}
	return []Action{{
		Title:     fmt.Sprintf("Generate %q %s", g.title, g.from),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{f.t.insertBlock(f.doc.Path, at, strings.Repeat("#", level)+" "+g.title+"\n\n"+body)},
		claims:    []string{spec.Normalize(g.title)},
	}}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// generateWith fills an existing section with g's content.
func (f *fixer) generateWith(g *generator, sec *spec.Section) (Action, bool) {
	edits := g.fill(f, sec)
	if len(edits) == 0 {
		return Action{}, false
	}
	return Action{
		Title:     fmt.Sprintf("Generate %q %s", sec.Title, g.from),
		Preferred: true,
		Safe:      true,
		Edits:     edits,
		claims:    []string{spec.Normalize(g.title)},
	}, true
}

// generateSection offers "Generate <section>" for a section that has a
// generator.
func (f *fixer) generateSection(sec *spec.Section) (Action, bool) {
	ts := f.m.Of[sec]
	if ts == nil || f.doc.Kind != spec.KindTechSpec {
		return Action{}, false
	}
	if found := f.m.Found[ts]; !ts.Variable && len(found) > 0 && found[0] != sec {
		return Action{}, false // a duplicate: the author merges it (section-duplicate)
	}
	g := generatorFor(ts.Key)
	if g == nil {
		// "### [Service Name]" is written by its parent's generator.
		if ts.Variable && sec.Parent != nil {
			return f.generateSection(sec.Parent)
		}
		return Action{}, false
	}
	return f.generateWith(g, sec)
}

// generateAt offers "Generate <section>" (a rewrite) on the sections at
// span that still hold template text or nothing.
func (f *fixer) generateAt(span spec.Span, findings []diagnostics.Finding) []Action {
	var out []Action
	for s := f.doc.SectionAt(span.Start); s != nil; s = s.Parent {
		held := false
		for _, fd := range findings {
			if fd.Path == f.doc.Path && fd.Data.Section == s && (fd.Rule() == rules.SectionPlaceholder || fd.Rule() == rules.SectionEmpty) {
				held = true
				break
			}
		}
		if !held {
			continue
		}
		if a, ok := f.generateSection(s); ok {
			a.Kind = KindRewrite
			out = append(out, a)
		}
	}
	return out
}

// sourceActions are offered anywhere in the document: every missing
// section at once, and on a PRD without a tech spec, the tech spec.
func (f *fixer) sourceActions(findings []diagnostics.Finding) []Action {
	var out []Action
	var missing []Action
	var fixes []diagnostics.Finding
	for _, fd := range findings {
		if fd.Path != f.doc.Path || !f.sectionAbsent(fd) {
			continue
		}
		if as := f.actionsFor(fd); len(as) > 0 && len(as[0].Edits) > 0 {
			missing = append(missing, as[0])
			fixes = append(fixes, fd)
		}
	}
	if len(missing) > 0 {
		a := Action{Title: "Insert all missing sections", Kind: KindSource, Fixes: fixes, Safe: true}
		claimed := map[string]bool{}
		for _, m := range missing {
			if anyClaimed(claimed, m.claims) {
				continue
			}
			a.Edits = append(a.Edits, m.Edits...)
			a.claims = append(a.claims, m.claims...)
		}
		out = append(out, a)
	}
	if f.doc.Kind == spec.KindPRD && f.in.Feature.TechSpec == nil {
		if c, ok := f.techSpecFromPRD(); ok {
			out = append(out, Action{Title: "Create the tech spec for this PRD", Kind: KindSource, Creates: []FileCreate{c}})
		}
	}
	return out
}

// sectionAbsent reports whether a finding is about a template section the
// document lacks: section-missing, or an artifact rule reporting it in its
// place (graph-missing, libraries-missing, ...), with the section in Data.
func (f *fixer) sectionAbsent(fd diagnostics.Finding) bool {
	ts := fd.Data.Template
	if ts == nil || ts.Level == 1 || len(f.m.Found[ts]) > 0 {
		return false
	}
	switch fd.Rule() {
	case rules.SectionMissing, rules.GraphMissing, rules.MatrixMissing, rules.OwnershipMissing, rules.LibrariesMissing,
		rules.AnalysisMissing, rules.OpenQuestionsMissing, rules.ChecklistIncomplete:
		return true
	}
	return false
}

// anyClaimed marks claims as taken and reports whether one was taken before.
func anyClaimed(taken map[string]bool, claims []string) bool {
	for _, c := range claims {
		if taken[c] {
			return true
		}
	}
	for _, c := range claims {
		taken[c] = true
	}
	return false
}
