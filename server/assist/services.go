package assist

import (
	"strings"

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
	// A template without a variable section: the subsections of Service
	// Definitions are the services.
	for _, s := range d.Find("Service Definitions") {
		for _, c := range s.Children {
			out = append(out, Service{Name: c.Title, Section: c})
		}
	}
	return out
}

// serviceKey folds a service name for matching: "Auth Service", "auth" and
// "AuthService" all give "auth".
func serviceKey(name string) string {
	k := spec.Normalize(name)
	for _, suffix := range []string{" service", " svc", "service"} {
		if strings.HasSuffix(k, suffix) && len(k) > len(suffix) {
			k = strings.TrimSpace(strings.TrimSuffix(k, suffix))
			break
		}
	}
	k = strings.ReplaceAll(k, " ", "")
	// "Orders" and "Order Service" name one service.
	if len(k) > 3 && strings.HasSuffix(k, "s") && !strings.HasSuffix(k, "ss") {
		k = k[:len(k)-1]
	}
	return k
}

// findService returns the service whose name matches text, or nil.
func findService(services []Service, text string) *Service {
	k := serviceKey(text)
	if k == "" {
		return nil
	}
	for i := range services {
		if serviceKey(services[i].Name) == k {
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
			if s := findService(services, n.Label); s != nil {
				return s, sp
			}
			if s := findService(services, n.ID); s != nil {
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

// findNamed finds the service a name stands for: its own name, or the ID
// of a graph node whose label names it ("Orders" for Orders[Order Service]).
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
			if n.ID == strings.TrimSpace(name) {
				if s := findService(services, n.Label); s != nil {
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
