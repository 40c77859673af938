package codeactions

import (
	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// phaseLabel matches the label that opens a deployment phase item:
// "- **Phase 2**: ", "- Phase 2: ", "1. **Phase 2:** ".
var phaseLabel = lazyregexp.New(`(?i)^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)?phase\s*\d+\s*(?:(?:\*\*|__)\s*[:.\-–—]?|[:.\-–—]\s*(?:\*\*|__)?)?\s*`)

// phase is one deployment phase item: its label stays in place, its body
// (what the phase deploys, continuation lines included) can move.
type phase struct {
	body spec.Span
}

// readPhases returns the phase items of the document: the consecutive
// "Phase N" items of one list, in the Deployment Sequencing section when
// there is one.
func (f *fixer) readPhases() []*phase {
	scope := spec.Span{Start: 0, End: len(f.t.src)}
	if sec := f.section("Deployment Sequencing"); sec != nil {
		scope = sec.Span
	}
	var out []*phase
	depth := -1
	for _, it := range f.doc.Items {
		if it.Span.Start < scope.Start || it.Span.Start >= scope.End {
			continue
		}
		line := it.Span.Text(f.t.src)
		loc := phaseLabel.FindStringIndex(line)
		if loc == nil {
			if depth >= 0 && it.Depth <= depth {
				break // the list of phases ended
			}
			continue
		}
		if depth < 0 {
			depth = it.Depth
		} else if it.Depth != depth {
			continue
		}
		end := len(f.t.src)
		if s := f.doc.SectionAt(it.Span.Start); s != nil {
			end = s.Span.End
		}
		out = append(out, &phase{body: spec.Span{Start: it.Span.Start + loc[1], End: f.listEnd(it.Span.End, end)}})
	}
	return out
}

// reorderPhases offers to put the deployment phases in dependency order:
// each label ("Phase 1") stays where it is and the phases' contents move,
// so no text is lost or rewritten. The order must satisfy every
// deployment-order finding (its Want, the dependency, before its Target)
// and keep every call between services that is in order now. Nothing is
// offered when no order of whole phases does both (a service and its
// dependency share a phase, or phases depend on each other both ways).
func (f *fixer) reorderPhases() []Action {
	ps := f.readPhases()
	if len(ps) < 2 {
		return nil
	}
	phaseOf := func(name string) int {
		n := &gnode{ID: name, Label: name}
		for i, p := range ps {
			if mentions(p.body.Text(f.t.src), n) {
				return i
			}
		}
		return -1
	}
	must := newOrder(len(ps))
	for _, fd := range f.findingsOf(rules.DeploymentOrder) {
		if i, j := phaseOf(fd.Data.Target), phaseOf(fd.Data.Want); i >= 0 && j >= 0 && i != j {
			must.after[i][j] = true
		}
	}
	keep := newOrder(len(ps))
	if g := f.artifacts().graph; g != nil {
		for _, e := range g.edges {
			if isInfra(e.from) || isInfra(e.to) {
				continue // only calls between services are sure to order them
			}
			if p := arch.ProtocolOf(e.label); p != "" && !arch.SyncProtocol(p) {
				continue
			}
			if i, j := phaseOf(e.from.Label), phaseOf(e.to.Label); i > j && j >= 0 {
				keep.after[i][j] = true // already in order: keep it so
			}
		}
	}
	order := must.union(keep).sort()
	if order == nil {
		return nil // no order meets the findings without breaking a dependency that holds
	}
	var edits []Edit
	for slot, from := range order {
		if slot != from {
			edits = append(edits, Edit{Path: f.doc.Path, Span: ps[slot].body, NewText: ps[from].body.Text(f.t.src)})
		}
	}
	if len(edits) == 0 {
		return nil
	}
	return []Action{{
		Title:     "Reorder the deployment phases in dependency order",
		Preferred: true,
		Safe:      true,
		Edits:     edits,
	}}
}

// order holds "phase i comes after phase j" constraints.
type order struct{ after [][]bool }

func newOrder(n int) order {
	o := order{after: make([][]bool, n)}
	for i := range o.after {
		o.after[i] = make([]bool, n)
	}
	return o
}

func (o order) union(p order) order {
	u := newOrder(len(o.after))
	for i := range u.after {
		for j := range u.after[i] {
			u.after[i][j] = o.after[i][j] || p.after[i][j]
		}
	}
	return u
}

// sort returns the phases in an order that meets the constraints, taking
// the earliest phase first (Kahn's algorithm) so that phases already in
// order stay so; nil when the constraints form a cycle.
func (o order) sort() []int {
	n := len(o.after)
	out := make([]int, 0, n)
	placed := make([]bool, n)
	for len(out) < n {
		next := -1
		for i := 0; i < n && next < 0; i++ {
			if placed[i] {
				continue
			}
			ready := true
			for j := 0; j < n; j++ {
				if o.after[i][j] && !placed[j] {
					ready = false
					break
				}
			}
			if ready {
				next = i
			}
		}
		if next < 0 {
			return nil
		}
		placed[next] = true
		out = append(out, next)
	}
	return out
}

// mentions reports whether text names a graph node as the rules read a
// phase (arch.NameForms): its label, its ID, or either without "Service",
// as whole words.
func mentions(text string, n *gnode) bool {
	return arch.Mentions(spec.Normalize(text), arch.NameForms(n.Label, n.ID))
}
