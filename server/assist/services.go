package assist

import (
	"github.com/specls/specls/arch"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// Service is a service a tech spec defines: a heading matched to the
// template's variable section ("### [Service Name]" under Service Definitions).
type Service struct {
	Name    string
	Section *spec.Section
}

// Services returns the services d defines, in document order.
func Services(d *spec.Document, t *spec.Template) []Service {
	if d == nil || d.Kind != spec.KindTechSpec {
		return nil
	}
	var out []Service
	if t != nil {
		m := diagnostics.MatchTemplate(d, t)
		for _, h := range d.Headings {
			if ts := m.Of[h]; ts != nil && ts.Variable {
				out = append(out, Service{Name: h.Title, Section: h})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	// A template without a variable section: the services the rules see
	// (the subsections of Service Definitions).
	svcs, _ := arch.Services(d)
	for _, s := range svcs {
		out = append(out, Service{Name: s.Name, Section: s.Section})
	}
	return out
}

// findService returns the service text names, as the rules match names
// (arch.SameService), or nil.
func findService(services []Service, text string) *Service {
	for i := range services {
		if arch.SameService(services[i].Name, text) {
			return &services[i]
		}
	}
	return nil
}

// nodeService returns the service graph node n stands for, as the rules
// match nodes (arch.NamesNode), or nil.
func nodeService(services []Service, n *mermaid.Node) *Service {
	for i := range services {
		if arch.NamesNode(services[i].Name, n) {
			return &services[i]
		}
	}
	return nil
}

// graphOf parses a mermaid block. A syntax error keeps what was parsed
// before it; an unusable parser gives nil.
func graphOf(d *spec.Document, c *spec.CodeBlock) *mermaid.Graph {
	if c == nil || c.Lang != "mermaid" {
		return nil
	}
	g, _ := mermaid.Parse([]byte(c.Content.Text(d.Text)))
	return g
}

// nodeAt returns the graph node with an occurrence at off (a document
// offset) and the span of that occurrence.
func nodeAt(d *spec.Document, c *spec.CodeBlock, off int) (*mermaid.Node, spec.Span) {
	g := graphOf(d, c)
	if g == nil {
		return nil, spec.Span{}
	}
	base := c.Content.Start
	for _, n := range g.Nodes {
		spans := append([]spec.Span{n.Span}, n.Refs...)
		for _, s := range spans {
			s = spec.Span{Start: s.Start + base, End: s.End + base}
			if s.Contains(off) {
				return n, s
			}
		}
	}
	return nil, spec.Span{}
}

// serviceAt returns the service named at off — by a mermaid node, a table
// cell or the word under the cursor — and the span naming it.
func serviceAt(c Context, services []Service, off int) (*Service, spec.Span) {
	d := c.Doc
	if cb := codeAt(d, off); cb != nil {
		if cb.Lang != "mermaid" {
			return nil, spec.Span{}
		}
		if n, sp := nodeAt(d, cb, off); n != nil {
			if s := nodeService(services, n); s != nil {
				return s, sp
			}
		}
	}
	if cell, ok := cellAt(d, off); ok && cell.Row >= 0 {
		if s := findNamed(d, services, cell.Content.Text(d.Text)); s != nil {
			return s, cell.Content
		}
	}
	w := wordAt(d.Text, off)
	if s := findNamed(d, services, w.Text(d.Text)); s != nil {
		return s, w
	}
	return nil, spec.Span{}
}

// findNamed finds the service a name stands for as the rules resolve a
// matrix cell: its own name, else the service of the graph node the name
// names ("Orders" for Orders[Order Service]).
func findNamed(d *spec.Document, services []Service, name string) *Service {
	if s := findService(services, name); s != nil {
		return s
	}
	for _, c := range d.Code {
		g := graphOf(d, c)
		if g == nil {
			continue
		}
		for _, n := range g.Nodes {
			if arch.NamesNode(name, n) {
				if s := nodeService(services, n); s != nil {
					return s
				}
			}
		}
	}
	return nil
}

// matchTemplate pairs d's headings with template sections.
func matchTemplate(d *spec.Document, t *spec.Template) map[*spec.Section]*spec.TemplateSection {
	return diagnostics.MatchTemplate(d, t).Of
}
