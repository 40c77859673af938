package codeactions

import (
	"fmt"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// --- Deployment sequencing -------------------------------------------------

// phases orders the graph for deployment: infrastructure first, then the
// services, each phase after every phase it depends on. A service in a
// dependency cycle goes in a last phase of its own.
func (f *fixer) phases() (infra []*gnode, levels [][]*gnode) {
	g := f.artifacts().graph
	if g == nil {
		return nil, nil
	}
	var svcs []*gnode
	infraNode := map[*gnode]bool{}
	for _, n := range g.nodes {
		if isInfra(n) {
			infraNode[n] = true
			infra = append(infra, n)
		} else {
			svcs = append(svcs, n)
		}
	}
	// A service's level is one more than its dependencies' highest; one
	// in a cycle, or depending on one, is never done. Kahn's algorithm:
	// a service is done once every service it calls is.
	level := map[*gnode]int{}
	done := map[*gnode]bool{}
	pending := map[*gnode]int{}
	callers := map[*gnode][]*gnode{}
	var ready []*gnode
	for _, n := range svcs {
		for _, d := range g.deps(n) {
			if infraNode[d] || d == n {
				continue
			}
			pending[n]++
			callers[d] = append(callers[d], n)
		}
		if pending[n] == 0 {
			ready = append(ready, n)
		}
	}
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		done[n] = true
		for _, c := range callers[n] {
			level[c] = max(level[c], level[n]+1)
			if pending[c]--; pending[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	maxLevel := -1
	for _, n := range svcs {
		if done[n] {
			maxLevel = max(maxLevel, level[n])
		}
	}
	for _, n := range svcs {
		if !done[n] {
			level[n] = maxLevel + 1
		}
	}
	for _, n := range svcs {
		for len(levels) <= level[n] {
			levels = append(levels, nil)
		}
		levels[level[n]] = append(levels[level[n]], n)
	}
	return infra, levels
}

func phasesBody(f *fixer, _ *spec.TemplateSection) string {
	infra, levels := f.phases()
	if len(levels) == 0 {
		return ""
	}
	var lines []string
	if len(infra) > 0 {
		lines = append(lines, fmt.Sprintf("- **Phase 1**: Infrastructure (%s)", labels(infra)))
	}
	for _, l := range levels {
		mode := "Sequential"
		if len(l) > 1 {
			mode = "Parallel"
		}
		lines = append(lines, fmt.Sprintf("- **Phase %d**: %s - %s", len(lines)+1, labels(l), mode))
	}
	return strings.Join(lines, "\n")
}

func labels(ns []*gnode) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = oneLine(n.Label)
	}
	return strings.Join(out, ", ")
}

var phaseItem = lazyregexp.New(`(?i)\bphase\s*\d+`)

func fillPhases(f *fixer, sec *spec.Section) []Edit {
	tl := f.templateLines(sec)
	for _, it := range f.doc.Items {
		if it.Span.Start >= sec.Span.Start && it.Span.Start < sec.Span.End && phaseItem.MatchString(it.Text) &&
			!isTemplateLine(it.Span.Text(f.doc.Text), tl) {
			return nil // the author's phases: reordered by the deployment-order fix, never replaced
		}
	}
	return f.fillText(sec, phasesBody(f, nil))
}
