package diagnostics

import (
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// withoutRefused returns the feature the rules check — f without its
// refused files (not regular, outside the workspace, too large, not text,
// nested too deep) — the refused documents, and their kinds. A refused
// file is not absent: findings that would say it is are dropped by
// dropAbsent.
func withoutRefused(f *spec.Feature) (*spec.Feature, []*spec.Document, []spec.Kind) {
	if f == nil {
		return f, nil, nil
	}
	var kept *spec.Feature
	var refused []*spec.Document
	var gone []spec.Kind
	for _, d := range f.Docs() {
		if d.Refused == nil {
			continue
		}
		if kept == nil {
			cp := *f
			kept = &cp
		}
		switch d.Kind {
		case spec.KindPRD:
			kept.PRD = nil
		case spec.KindTechSpec:
			kept.TechSpec = nil
		case spec.KindTasks:
			kept.Tasks = nil
		}
		refused = append(refused, d)
		gone = append(gone, d.Kind)
	}
	if kept == nil {
		return f, nil, nil
	}
	return kept, refused, gone
}

// checkRefused reports each refused file, once, at the byte it refers to.
func checkRefused(c *Context) {
	for _, d := range c.refused {
		r := rules.Lookup(d.Refused.Code)
		if r == nil {
			r = rules.FileNotRegular // a reason without a rule of its own
		}
		c.Report(r, d, spec.Span{Start: d.Refused.At, End: d.Refused.At}, Data{}, "%s", d.Refused.Message)
	}
}

// dropAbsent removes "the PRD is missing" when the PRD is there but
// refused: its own finding says what is wrong with it.
func dropAbsent(fs []Finding, gone []spec.Kind) []Finding {
	prdGone := false
	for _, k := range gone {
		prdGone = prdGone || k == spec.KindPRD
	}
	if !prdGone {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Code != rules.PRDMissing.Code {
			out = append(out, f)
		}
	}
	return out
}
