package assist

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// sectionGates names the gate whose artifacts a tech-spec section holds, by
// normalised template title, following the seed's workflow steps.
var sectionGates = map[string]string{
	"service definitions":         "A",
	"architecture overview":       "B",
	"service dependency graph":    "B",
	"communication matrix":        "B",
	"data ownership":              "B",
	"consistency model":           "B",
	"failure impact analysis":     "B",
	"libraries assessment":        "C",
	"technical decisions":         "D",
	"open questions":              "D",
	"architecture review":         "F",
	"deployment sequencing":       "F",
	"python production checklist": "F",
	"proto definitions":           "F",
	"deployment architecture":     "F",
}

// gateMention matches "Gate B" anywhere in the text.
var gateMention = lazyregexp.New(`(?i)\bgate\s+([A-F])\b`)

// Hover returns markdown describing what is at off and the span it
// describes: a "Gate X" mention, a requirement ID or a section heading.
func Hover(c Context, off int) (string, spec.Span, bool) {
	d := c.Doc
	if d == nil || off < 0 || off > len(d.Text) {
		return "", spec.Span{}, false
	}
	if id, sp, ok := gateAt(d, off); ok {
		return gateHover(c, id), sp, true
	}
	if r := d.IDAt(off); r != nil {
		return requirementHover(c, r.ID), r.Span, true
	}
	for _, s := range d.Headings {
		if s.Heading.Start <= off && off <= s.Heading.End {
			if strings.TrimSpace(s.Title) == "" {
				// A heading still being typed ("## "): eldoc asks on every
				// idle cursor, so say nothing rather than "not a section".
				return "", spec.Span{}, false
			}
			return sectionHover(c, s), s.Heading, true
		}
	}
	if text, sp, ok := findingHover(c, off); ok {
		return text, sp, true
	}
	return "", spec.Span{}, false
}

// findingHover describes the findings whose range holds off: the problem
// (the diagnostic's message), what would make it right, and the rule's
// documentation. The advice lives here so that messages fit one line.
func findingHover(c Context, off int) (string, spec.Span, bool) {
	var sb strings.Builder
	var span spec.Span
	n := 0
	for _, f := range c.Findings {
		if f.Path != c.Doc.Path || off < f.Span.Start || off > f.Span.End {
			continue
		}
		if n == 0 {
			span = f.Span
		} else {
			sb.WriteString("\n\n---\n\n")
		}
		n++
		fmt.Fprintf(&sb, "%s **%s** — %s", severityMark(f.Severity), f.Code, f.Message)
		if f.Advice != "" {
			fmt.Fprintf(&sb, "\n\n%s", strings.ToUpper(f.Advice[:1])+f.Advice[1:])
		}
		if r := f.Rule(); r != nil {
			fmt.Fprintf(&sb, "\n\n[%s in docs/rules.md](%s)", f.Code, r.Href())
		}
	}
	return sb.String(), span, n > 0
}

// markdownLink, markdownStrong and markdownCode are the markup the hover
// texts use; PlainText removes them.
var (
	markdownLink   = lazyregexp.New(`\[([^\]]*)\]\([^)\s]*\)`)
	markdownStrong = lazyregexp.New(`\*\*([^*]*)\*\*`)
	markdownCode   = lazyregexp.New("`([^`]*)`")
)

// PlainText turns a hover's markdown into text for clients that show
// plaintext only (ALE, some eglot setups): links become their text, and
// emphasis and code marks go.
func PlainText(md string) string {
	s := markdownLink.ReplaceAllString(md, "$1")
	s = markdownStrong.ReplaceAllString(s, "$1")
	return markdownCode.ReplaceAllString(s, "$1")
}

// gateAt finds a "Gate X" mention holding off.
func gateAt(d *spec.Document, off int) (string, spec.Span, bool) {
	ln := lineAt(d.Text, off)
	line := d.Text[ln.Start:ln.End]
	for _, m := range gateMention.FindAllSubmatchIndex(line, -1) {
		sp := spec.Span{Start: ln.Start + m[0], End: ln.Start + m[1]}
		if sp.Contains(off) {
			return strings.ToUpper(string(line[m[2]:m[3]])), sp, true
		}
	}
	return "", spec.Span{}, false
}

// GateInfo returns the title and requirements of a gate, or false.
func GateInfo(id string) (title, requires string, ok bool) {
	for _, g := range rules.Gates {
		if g.ID == id {
			return g.Title, g.Requires, true
		}
	}
	return "", "", false
}

func gateStatus(c Context, id string) (diagnostics.GateStatus, bool) {
	for _, g := range c.Gates {
		if g.Gate == id {
			return g, true
		}
	}
	return diagnostics.GateStatus{}, false
}

func gateHover(c Context, id string) string {
	title, requires, _ := GateInfo(id)
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Gate %s — %s**", id, title)
	st, known := gateStatus(c, id)
	switch {
	case !known:
		sb.WriteString("\n\nStatus: unknown (no tech spec checked in this folder).")
	case !st.Enabled && c.Scope != nil && c.Scope.Profile != config.ProfilePython:
		sb.WriteString("\n\nStatus: - not applicable: none of its rules applies under this profile, or they are switched off.")
	case !st.Enabled:
		sb.WriteString("\n\nStatus: switched off in the configuration.")
	case st.Pass:
		sb.WriteString("\n\nStatus: ✓ passing.")
	default:
		fmt.Fprintf(&sb, "\n\nStatus: ✗ failing — %d check(s).", st.Count)
	}
	fmt.Fprintf(&sb, "\n\nRequires: %s", requires)
	if c.Scope != nil {
		fmt.Fprintf(&sb, "\n\nIn force: %s.", c.Scope)
	}
	if known && st.Enabled && !st.Pass {
		sb.WriteString("\n\nFailing checks:\n")
		writeFindings(&sb, c, st.Failing, st.Count, 10)
	}
	return sb.String()
}

// writeFindings lists up to max of fs as markdown bullets; total is how
// many there are (a gate keeps only its first failing findings).
func writeFindings(sb *strings.Builder, c Context, fs []diagnostics.Finding, total, max int) {
	shown := min(len(fs), max)
	for _, f := range fs[:shown] {
		fmt.Fprintf(sb, "- %s `%s` %s — %s", severityMark(f.Severity), f.Code, c.where(f), oneLine(f.Message))
		if f.Advice != "" {
			fmt.Fprintf(sb, ": %s", oneLine(f.Advice))
		}
		sb.WriteString("\n")
	}
	if total > shown {
		fmt.Fprintf(sb, "- … and %d more\n", total-shown)
	}
}

func severityMark(s config.Severity) string {
	switch s {
	case config.Error:
		return "✗"
	case config.Warning:
		return "⚠"
	}
	return "ℹ"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func requirementHover(c Context, id string) string {
	prd := c.Doc
	if c.Doc.Kind != spec.KindPRD {
		prd = nil
		if c.Feature != nil {
			prd = c.Feature.PRD
		}
	}
	if prd == nil {
		return fmt.Sprintf("**%s** — no `_prd.md` in this folder defines it.", id)
	}
	r := prd.Requirement(id)
	if r == nil {
		return fmt.Sprintf("**%s** is not defined in `%s`.", id, filepath.Base(prd.Path))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s** — %s", id, fileLink(prd.Path, prd.Mapper().Line(r.Span.Start)+1))
	if r.Section != nil {
		fmt.Fprintf(&sb, " (%s)", r.Section.Title)
	}
	fmt.Fprintf(&sb, "\n\n%s", r.Text)
	if c.Feature != nil && c.Feature.TechSpec != nil && c.Doc.Kind == spec.KindPRD {
		n := 0
		for _, ref := range c.Feature.TechSpec.Refs {
			if ref.ID == id {
				n++
			}
		}
		if n == 0 {
			sb.WriteString("\n\nNot referenced by the tech spec yet.")
		} else {
			fmt.Fprintf(&sb, "\n\nReferenced %d time(s) by the tech spec.", n)
		}
	}
	return sb.String()
}

func sectionHover(c Context, s *spec.Section) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s**", s.Title)
	var ts *spec.TemplateSection
	if c.Template != nil {
		ts = diagnostics.MatchTemplate(c.Doc, c.Template).Of[s]
	}
	switch {
	case ts == nil:
		sb.WriteString(" — not a section of the template.")
	case ts.Variable:
		fmt.Fprintf(&sb, " — one of the template's `%s` sections.", ts.Title)
	case ts.Suggested:
		sb.WriteString(" — a heading the built-in template suggests (optional): its content is checked wherever it stands.")
	case ts.Optional:
		sb.WriteString(" — optional template section.")
	case ts.Level == 1:
		sb.WriteString(" — the document title.")
	default:
		sb.WriteString(" — required template section.")
	}
	if ts != nil {
		if body := trimMarkdown(ts.Body); body != "" {
			fmt.Fprintf(&sb, "\n\nWhat it must contain:\n\n%s", body)
		}
		var kids []string
		for _, k := range ts.Children {
			if !k.Variable {
				kids = append(kids, "`"+k.Title+"`")
			}
		}
		if len(kids) > 0 {
			fmt.Fprintf(&sb, "\n\nSubsections: %s.", strings.Join(kids, ", "))
		}
		key := ts.Key
		if ts.Variable && ts.Parent != nil {
			key = ts.Parent.Key
		}
		if g, ok := sectionGates[key]; ok && c.Doc.Kind == spec.KindTechSpec {
			title, requires, _ := GateInfo(g)
			fmt.Fprintf(&sb, "\n\nGate %s (%s) requires: %s", g, title, requires)
		}
	}
	var own []diagnostics.Finding
	for _, f := range c.Findings {
		if f.Path != c.Doc.Path {
			continue
		}
		if f.Data.Section == s || (f.Span.Start >= s.Span.Start && f.Span.Start < s.Span.End && c.Doc.SectionAt(f.Span.Start) == s) {
			own = append(own, f)
		}
	}
	if len(own) == 0 {
		sb.WriteString("\n\nFindings: none.")
	} else {
		fmt.Fprintf(&sb, "\n\nFindings (%d):\n", len(own))
		writeFindings(&sb, c, own, len(own), 10)
	}
	return strings.TrimRight(sb.String(), "\n")
}
