package codeactions

import (
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/spec"
)

// --- Service definitions ---------------------------------------------------

// undefinedServices returns the graph's nodes that have no definition and
// that the rules take for services (named like one); when the spec defines
// no service at all, every node that is not infrastructure.
func (f *fixer) undefinedServices() []*gnode {
	g := f.artifacts().graph
	if g == nil {
		return nil
	}
	none := len(f.artifacts().services) == 0
	var out []*gnode
	for _, n := range g.nodes {
		if n.svc != nil || isInfra(n) || f.templateTitle(n.Label) || f.templateTitle(n.ID) || nameKey(n.Label) == "" {
			continue
		}
		if none || serviceLike(n) {
			out = append(out, n)
		}
	}
	return out
}

// serviceSkeleton writes "### <Service>" with the template's service
// outline, its dependencies line filled from the graph's edges.
func (f *fixer) serviceSkeleton(n *gnode, level int) string {
	body := defaultServiceBody
	if ts := f.tmpl.Lookup("Service Definitions"); ts != nil {
		for _, c := range ts.Children {
			if c.Variable {
				body = c.Body
				level = c.Level
			}
		}
	}
	var deps []string
	for _, e := range f.artifacts().graph.edges {
		if e.from == n {
			d := oneLine(e.to.Label)
			if e.label != "" {
				d += " (" + oneLine(e.label) + ")"
			}
			deps = append(deps, d)
		}
	}
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	for i, l := range lines {
		if len(deps) > 0 && arch.IsDependencyHead(stripMarkup(l)) {
			lines[i] = strings.TrimRight(l, " :") + ": " + strings.Join(deps, ", ")
		}
	}
	return strings.Repeat("#", level) + " " + oneLine(n.Label) + "\n\n" + strings.Join(lines, "\n")
}

const defaultServiceBody = `- Purpose and responsibilities
- gRPC service definition (.proto)
- REST API endpoints (OpenAPI)
- Database schema
- Dependencies (internal/external)`

func servicesBody(f *fixer, ts *spec.TemplateSection) string {
	nodes := f.undefinedServices()
	if len(nodes) == 0 {
		return ""
	}
	level := 3
	if ts != nil {
		level = ts.Level + 1
	}
	var parts []string
	if ts != nil && ts.Body != "" {
		parts = append(parts, ts.Body)
	}
	for _, n := range nodes {
		parts = append(parts, f.serviceSkeleton(n, level))
	}
	return strings.Join(parts, "\n\n")
}

func fillServices(f *fixer, sec *spec.Section) []Edit {
	nodes := f.undefinedServices()
	if len(nodes) == 0 {
		return nil
	}
	var parts []string
	for _, n := range nodes {
		parts = append(parts, f.serviceSkeleton(n, sec.Level+1))
	}
	block := strings.Join(parts, "\n\n")
	// The template's "### [Service Name]" left as it was gives way to them.
	for _, c := range sec.Children {
		if bracketedTitle.MatchString(c.Title) && len(c.Children) == 0 && f.onlyTemplateText(c) {
			tail := "\n\n"
			if c.Span.End == len(f.t.src) {
				tail = map[bool]string{true: "\n", false: ""}[f.t.endsWithNewline()]
			}
			return f.t.regionEdits(f.doc.Path, c.Span, nlText(block+tail, f.t.nl))
		}
	}
	if f.inCode(f.t.insertAt(sec.Span.End)) {
		return nil
	}
	return []Edit{f.t.insertBlock(f.doc.Path, sec.Span.End, block)}
}

// onlyTemplateText reports whether a section's own text is nothing but
// template lines and blank lines.
func (f *fixer) onlyTemplateText(s *spec.Section) bool {
	tl := f.templateLines(s)
	if ts := f.tmpl.Lookup("Service Definitions"); ts != nil && len(tl) == 0 {
		for _, c := range ts.Children {
			if c.Variable {
				tl = lineSet(c.Body)
			}
		}
	}
	for _, l := range strings.Split(s.Own.Text(f.doc.Text), "\n") {
		if strings.TrimSpace(l) != "" && !isTemplateLine(l, tl) {
			return false
		}
	}
	return true
}
