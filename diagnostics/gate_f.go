package diagnostics

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/config"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate F: architecture review passed, no anti-patterns.

// edgeProtocol is the protocol of an edge: its label's, else the matrix
// row's for the same pair, else "".
func edgeProtocol(a *analysis, g *mermaid.Graph, e *mermaid.Edge) string {
	if p := a.protocolOf(e.Label); p != "" {
		return p
	}
	from, to := g.Ends(e)
	if from == nil || to == nil {
		return ""
	}
	if i := a.firstRow(from, to); i >= 0 {
		return a.protocolOf(a.matrix[i].Protocol.Text)
	}
	return ""
}

// syncEdge reports whether an edge is a synchronous call between two
// active nodes: labelled gRPC/REST, or an unlabelled solid arrow.
func syncEdge(a *analysis, g *mermaid.Graph, e *mermaid.Edge) bool {
	if !e.Directed() || e.Arrow == "~~~" {
		return false
	}
	if from, to := g.Ends(e); a.isPassive(from) || a.isPassive(to) {
		return false
	}
	p := edgeProtocol(a, g, e)
	if p == "" {
		return !e.Dotted()
	}
	return syncProtocol(p)
}

func checkCycles(c *Context, a *analysis) {
	g := a.graphOK()
	if g == nil || !c.Enabled(rules.GraphCycle) {
		return
	}
	cg := newCallGraph(g, func(e *mermaid.Edge) bool { return syncEdge(a, g, e) })
	// Only a node of a strongly connected component (found in one linear
	// pass) lies on a cycle; the search for its cycle stays inside the
	// component, so it finds the same cycle as a search of the whole graph.
	comp := cg.cyclicComponents(len(g.Nodes))
	reported := make([]bool, len(cg.ids))
	for _, n := range g.Nodes {
		v, _ := cg.vertex(n, n.ID)
		if reported[v] || comp[v] == 0 {
			continue
		}
		cycle := cg.findCycle(v, comp)
		if cycle == nil {
			continue
		}
		names := []string{shortName(g, cycle[0].From)}
		span := a.graph.Span(cycle[0].Span)
		var rel []Related
		protos := map[string]bool{}
		for _, e := range cycle {
			from, _ := g.Ends(e)
			v, _ := cg.vertex(from, e.From)
			reported[v] = true
			names = append(names, shortName(g, e.To))
			s := a.graph.Span(e.Span)
			span.Start, span.End = min(span.Start, s.Start), max(span.End, s.End)
			rel = append(rel, Related{Path: a.doc.Path, Span: s, Message: shortName(g, e.From) + " calls " + shortName(g, e.To)})
			if p := edgeProtocol(a, g, e); p != "" {
				protos[p] = true
			}
		}
		via := ""
		if len(protos) > 0 {
			var ps []string
			for _, p := range []string{protoGRPC, protoREST, "GraphQL"} {
				if protos[p] {
					ps = append(ps, p)
				}
			}
			via = " over " + strings.Join(ps, "/")
		}
		c.ReportRelated(rules.GraphCycle, a.doc, span, rel, Data{Target: strings.Join(names, " → ")},
			"synchronous dependency cycle %s%s; break it with an event (async messaging) or merge the logic into one service", strings.Join(names, " → "), via)
	}
}

func checkSharedDatabase(c *Context, a *analysis) {
	if !c.Enabled(rules.SharedDatabase) {
		return
	}
	d := a.doc
	type owner struct {
		row   *OwnershipRow
		names []string
	}
	first := map[string]owner{}
	for i := range a.ownership {
		r := &a.ownership[i]
		if arch.NoDatabase(r.Database.Text) {
			continue
		}
		if len(r.Services) > 1 {
			c.Report(rules.SharedDatabase, d, r.Database.Span, Data{Target: strings.Join(r.Services, ", ")},
				"%s share one database (%s); give each service its own database, or name one owner and expose the data through its API", joinAnd(quoteAll(r.Services)), r.Database.Text)
			continue
		}
		// A cell may list several stores: "PostgreSQL `orders`, Redis cache".
		for _, store := range splitNames(r.Database.Text) {
			inst := arch.DatabaseInstance(store)
			if inst == "" {
				continue
			}
			if f, ok := first[inst]; ok && !a.sameNames(f.names, r.Services) {
				rel := []Related{{Path: d.Path, Span: f.row.Database.Span, Message: strings.Join(f.names, ", ") + " owns it here"}}
				c.ReportRelated(rules.SharedDatabase, d, r.Database.Span, rel, Data{Target: strings.Join(append(append([]string(nil), f.names...), r.Services...), ", ")},
					"%s and %s both own %q; give each service its own database, or name one owner and expose the data through its API", joinAnd(quoteAll(f.names)), joinAnd(quoteAll(r.Services)), strings.TrimSpace(store))
				break
			}
			if _, ok := first[inst]; !ok {
				first[inst] = owner{r, r.Services}
			}
		}
	}
}

// reviewSpan is where architecture-review findings sit: the Architecture
// Review heading, else the title.
func reviewSpan(a *analysis) (spec.Span, *spec.Section) {
	if s := findSection(a.doc, "architecture review", "review"); s != nil {
		return headSpan(a.doc, s), s
	}
	return titleSpan(a.doc), nil
}

func saysAny(a *analysis, terms []term, extra []string) bool {
	if a.says(terms) {
		return true
	}
	for _, t := range extra {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && strings.Contains(a.evidence, t) {
			return true
		}
	}
	return false
}

func checkResilience(c *Context, a *analysis) {
	if !c.Enabled(rules.ResilienceMissing) {
		return
	}
	hasSync := false
	if g := a.graphOK(); g != nil {
		for _, e := range g.Edges {
			if syncEdge(a, g, e) {
				hasSync = true
				break
			}
		}
	}
	for _, r := range a.matrix {
		if syncProtocol(ProtocolOf(r.Protocol.Text)) {
			hasSync = true
		}
	}
	if !hasSync || saysAny(a, resilienceTerms, c.Config.Options.ResilienceTerms) {
		return
	}
	span, sec := reviewSpan(a)
	c.Report(rules.ResilienceMissing, a.doc, span, Data{Section: sec},
		"synchronous calls between services, but no timeouts, retries or circuit breakers are specified; state them per call (e.g. \"gRPC deadline 2 s, 3 retries with backoff, circuit breaker after 5 failures\")")
}

func checkObservability(c *Context, a *analysis) {
	if !c.Enabled(rules.ObservabilityMissing) {
		return
	}
	var missing []string
	extra := c.Config.Options.ObservabilityTerms
	if !saysAny(a, metricsTerms, extra) {
		missing = append(missing, "metrics")
	}
	if !saysAny(a, tracingTerms, extra) {
		missing = append(missing, "tracing")
	}
	if !saysAny(a, loggingTerms, extra) {
		missing = append(missing, "structured logging")
	}
	// The seed's checklist asks for all three; a team's own template asks
	// for monitoring in its own terms, which one of them answers.
	if len(missing) == 0 || c.scope.Profile != config.ProfilePython && len(missing) < 3 {
		return
	}
	span, sec := reviewSpan(a)
	c.Report(rules.ObservabilityMissing, a.doc, span, Data{Section: sec, Target: strings.Join(missing, ", ")},
		"the tech spec specifies no %s; say what each service exposes (e.g. Prometheus metrics, OpenTelemetry traces, JSON logs with structlog)", joinAnd(missing))
}

func checkDeploymentOrder(c *Context, a *analysis) {
	g := a.graphOK()
	if g == nil || !c.Enabled(rules.DeploymentOrder) {
		return
	}
	phases := arch.Phases(a.doc)
	if len(phases) == 0 {
		return
	}
	d := a.doc
	// The first phase that mentions each node.
	type place struct {
		ph   *Phase
		span spec.Span
	}
	names := make([][]string, len(g.Nodes))
	forms := make([][]string, len(g.Nodes))
	for k, n := range g.Nodes {
		names[k] = append(make([]string, 0, 3), n.Label, n.ID)
		if s := a.serviceOf(n); s != nil {
			names[k] = append(names[k], s.Name)
		}
		forms[k] = c.Memo.spellings("forms", names[k], func() []string { return a.names.NameForms(names[k]...) })
	}
	where := map[string]place{}
	fx := newFormIndex(forms)
	// A node's candidate spellings are made once, not once per pair (they
	// were half of this rule's time).
	cands := make([][]string, len(g.Nodes))
	for i := range phases {
		p := &phases[i]
		for _, k := range fx.mentioned(p.Text) {
			node := g.Nodes[k]
			if _, ok := where[node.ID]; !ok {
				if cands[k] == nil {
					cands[k] = c.Memo.spellings("mention", names[k], func() []string { return mentionCandidates(names[k], forms[k]) })
				}
				where[node.ID] = place{p, mentionSpan(d, p.Span, cands[k])}
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range g.Edges {
		if !e.Directed() || e.Arrow == "~~~" {
			continue
		}
		from, to := g.Ends(e)
		if from == nil || to == nil {
			continue
		}
		var dependent, dependency *mermaid.Node
		how := ""
		switch {
		case a.isPassive(to) && a.isPassive(from):
			continue
		case a.isPassive(to):
			dependent, dependency, how = from, to, "which it uses"
		case a.isPassive(from):
			dependent, dependency, how = to, from, "which it consumes from"
		case syncEdge(a, g, e):
			dependent, dependency = from, to
			how = "which it calls"
			if p := edgeProtocol(a, g, e); p != "" {
				how += " over " + p
			}
		default:
			continue // async between services: neither must come first
		}
		w1, ok1 := where[dependent.ID]
		w2, ok2 := where[dependency.ID]
		if !ok1 || !ok2 || w1.ph.N >= w2.ph.N {
			continue
		}
		key := dependent.ID + "\x00" + dependency.ID
		if seen[key] {
			continue
		}
		seen[key] = true
		rel := []Related{{Path: d.Path, Span: w2.span, Message: shortName(g, dependency.ID) + " starts in phase " + strconv.Itoa(w2.ph.N)}}
		c.ReportRelated(rules.DeploymentOrder, d, w1.span, rel, Data{Target: shortName(g, dependent.ID), Want: shortName(g, dependency.ID)},
			"phase %d starts %s before %s (phase %d), %s; deploy %s in an earlier phase or %s in a later one",
			w1.ph.N, shortName(g, dependent.ID), shortName(g, dependency.ID), w2.ph.N, how, shortName(g, dependency.ID), shortName(g, dependent.ID))
	}
}

// mentionCandidates are the spellings mentionSpan looks for, for a node
// with names whose nameForms are forms: each name lower-cased, and the
// forms. (Each name's words joined are among its forms: mentionSpan's
// answer depends on the set of candidates, not on their order or
// repeats.)
func mentionCandidates(names, forms []string) []string {
	out := make([]string, 0, len(names)+len(forms))
	for _, n := range names {
		out = append(out, strings.ToLower(n))
	}
	return append(out, forms...)
}

// mentionSpan finds the first of the candidates (lower-cased) in span of
// d, as whole words and case folded (indexFold), else returns the span's
// line. The earliest match wins, then the longest, so the order of the
// candidates does not matter.
func mentionSpan(d *spec.Document, span spec.Span, cands []string) spec.Span {
	text := d.Text[span.Start:span.End]
	best := spec.Span{Start: -1}
	for _, c := range cands {
		for from := 0; ; {
			i, n := indexFold(text, from, c)
			if i < 0 {
				break
			}
			if wordAt(text, i, i+n) {
				if best.Start < 0 || i < best.Start-span.Start || i == best.Start-span.Start && span.Start+i+n > best.End {
					best = spec.Span{Start: span.Start + i, End: span.Start + i + n}
				}
				break
			}
			from = i + 1
		}
	}
	if best.Start < 0 {
		return trimmedLine(d.Text, span.Start)
	}
	return best
}

var checklistStop = map[string]bool{"with": true, "for": true, "and": true, "the": true, "a": true, "an": true, "of": true, "throughout": true, "via": true, "using": true, "to": true, "in": true, "on": true, "data": true, "support": true, "is": true, "are": true, "all": true}

func checklistWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(normalize(s)) {
		if !checklistStop[w] {
			out = append(out, w)
		}
	}
	return out
}

func stem(w string) string {
	if len(w) > 5 {
		return w[:5]
	}
	return w
}

// checklistStems returns the stems of words, in place of them.
func checklistStems(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = stem(w)
	}
	return out
}

// stemScore is the share of the required item's stems (req) that the
// task has. A task has a handful of words, so a list beats a map.
func stemScore(req, task []string) float64 {
	if len(req) == 0 {
		return 0
	}
	n := 0
	for _, r := range req {
		if slices.Contains(task, r) {
			n++
		}
	}
	return float64(n) / float64(len(req))
}

// defaultChecklistStems are the stems of arch.DefaultChecklist's items,
// made once.
var defaultChecklistStems = sync.OnceValue(func() [][]string { return checklistItemStems(arch.DefaultChecklist) })

func checklistItemStems(items []string) [][]string {
	out := make([][]string, len(items))
	for i, item := range items {
		out[i] = checklistStems(checklistWords(item))
	}
	return out
}

func checkChecklist(c *Context, a *analysis) {
	if !c.Enabled(rules.ChecklistIncomplete) {
		return
	}
	d := a.doc
	items := c.Config.Options.Checklist
	var reqs [][]string // each item's stems
	if len(items) == 0 {
		items, reqs = arch.DefaultChecklist, defaultChecklistStems()
	} else {
		reqs = checklistItemStems(items)
	}
	sec := arch.ChecklistSection(d)
	if sec == nil {
		c.reportAbsent(a, rules.ChecklistIncomplete, artChecklist, nil,
			"the tech spec has no Python Production Checklist; add it with its %d items, ticked as the design meets them", len(items))
		return
	}
	var tasks []*spec.TaskItem
	for _, t := range d.Tasks {
		if sec.Span.Start <= t.Span.Start && t.Span.Start < sec.Span.End {
			tasks = append(tasks, t)
		}
	}
	used := map[*spec.TaskItem]bool{}
	var unticked []untickedItem
	insert := sec.Own.End
	if len(tasks) > 0 {
		insert = lineOf(d.Text, tasks[len(tasks)-1].Span.Start).End
	}
	// Every item is scored against every task: each text's stems are made
	// once, not once per pair.
	taskStems := make([][]string, len(tasks))
	for i, t := range tasks {
		taskStems[i] = checklistStems(checklistWords(t.Text))
	}
	for k, item := range items {
		var best *spec.TaskItem
		bestScore := 0.0
		for i, t := range tasks {
			if used[t] {
				continue
			}
			if s := stemScore(reqs[k], taskStems[i]); s > bestScore {
				best, bestScore = t, s
			}
		}
		if best == nil || bestScore < 0.6 {
			c.Report(rules.ChecklistIncomplete, d, headSpan(d, sec), Data{Section: sec, Target: item, Want: "- [ ] " + item, Insert: insert},
				"the Python Production Checklist lacks %q; add it and tick it once the design meets it", item)
			continue
		}
		used[best] = true
		if !best.Checked {
			unticked = append(unticked, untickedItem{best, item})
		}
	}
	reportUnticked(c, d, sec, unticked)
}

// untickedItem is a checklist item found but not ticked, with the
// configured item it stands for.
type untickedItem struct {
	task *spec.TaskItem
	item string
}

// reportUnticked reports unticked checklist items, one finding per run of
// items on consecutive lines: seven findings on seven lines say no more
// than one that lists the seven items as related information.
func reportUnticked(c *Context, d *spec.Document, sec *spec.Section, items []untickedItem) {
	sort.Slice(items, func(i, j int) bool { return items[i].task.Span.Start < items[j].task.Span.Start })
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && onPrevLine(d.Text, items[j-1].task.Span.End, items[j].task.Span.Start) {
			j++
		}
		first := items[i]
		if j-i == 1 {
			c.Report(rules.ChecklistIncomplete, d, first.task.Span, Data{Section: sec, Target: first.item, Want: "[x]", Insert: first.task.Box.Start},
				"checklist item %q is not ticked; meet it in the design and tick it, or say why it does not apply", first.task.Text)
		} else {
			var rel []Related
			for _, u := range items[i:j] {
				rel = append(rel, Related{Path: d.Path, Span: u.task.Span, Message: "not ticked: " + u.task.Text})
			}
			span := spec.Span{Start: first.task.Span.Start, End: items[j-1].task.Span.End}
			c.ReportRelated(rules.ChecklistIncomplete, d, span, rel, Data{Section: sec, Target: first.item, Want: "[x]", Insert: first.task.Box.Start},
				"%d checklist items in a row are not ticked (from %q); meet them in the design and tick them, or say why they do not apply", j-i, first.task.Text)
		}
		i = j
	}
}
