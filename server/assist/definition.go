package assist

import (
	"github.com/specls/specls/spec"
)

// Definition returns where the thing at off is defined: a requirement ID
// in the PRD, a service name at its "### Service" heading. The second
// result is the span of the reference.
func Definition(c Context, off int) ([]Location, spec.Span) {
	d := c.Doc
	if d == nil || off < 0 || off > len(d.Text) {
		return nil, spec.Span{}
	}
	if r := d.IDAt(off); r != nil {
		prd := d
		if d.Kind != spec.KindPRD {
			if c.Feature == nil || c.Feature.PRD == nil {
				return nil, spec.Span{}
			}
			prd = c.Feature.PRD
		}
		if def := prd.Requirement(r.ID); def != nil {
			return []Location{{Path: prd.Path, Span: def.Span}}, r.Span
		}
		return nil, spec.Span{}
	}
	if d.Kind != spec.KindTechSpec {
		return nil, spec.Span{}
	}
	if s, sp := serviceAt(c, Services(d, c.Template), off); s != nil {
		return []Location{{Path: d.Path, Span: s.Section.Heading}}, sp
	}
	return nil, spec.Span{}
}
