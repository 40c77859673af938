package diagnostics

import (
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"go.yaml.in/yaml/v3"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate F: architecture review passed, no anti-patterns.

// edgeProtocol is the protocol of an edge: its label's, else the matrix
// row's for the same pair, else "".
func edgeProtocol(a *analysis, g *mermaid.Graph, e *mermaid.Edge) string {
	if p := ProtocolOf(e.Label); p != "" {
		return p
	}
	from, to := g.Node(e.From), g.Node(e.To)
	if from == nil || to == nil {
		return ""
	}
	if i := a.firstRow(from, to); i >= 0 {
		return ProtocolOf(a.matrix[i].Protocol.Text)
	}
	return ""
}

// syncEdge reports whether an edge is a synchronous call between two
// active nodes: labelled gRPC/REST, or an unlabelled solid arrow.
func syncEdge(a *analysis, g *mermaid.Graph, e *mermaid.Edge) bool {
	if !e.Directed() || e.Arrow == "~~~" || a.isPassive(g.Node(e.From)) || a.isPassive(g.Node(e.To)) {
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
	out := map[string][]*mermaid.Edge{}
	for _, e := range g.Edges {
		if syncEdge(a, g, e) {
			out[e.From] = append(out[e.From], e)
			if strings.HasPrefix(e.Arrow, "<") {
				// A <--> B: each calls the other.
				r := *e
				r.From, r.To = e.To, e.From
				out[r.From] = append(out[r.From], &r)
			}
		}
	}
	// Only a node of a strongly connected component (found in one linear
	// pass) lies on a cycle; the search for its cycle stays inside the
	// component, so it finds the same cycle as a search of the whole graph.
	comp := cyclicComponents(g.Nodes, out)
	reported := map[string]bool{}
	for _, n := range g.Nodes {
		if reported[n.ID] || comp[n.ID] == 0 {
			continue
		}
		cycle := findCycle(n.ID, out, comp)
		if cycle == nil {
			continue
		}
		names := []string{shortName(g, cycle[0].From)}
		span := a.graph.Span(cycle[0].Span)
		var rel []Related
		protos := map[string]bool{}
		for _, e := range cycle {
			reported[e.From] = true
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

// findCycle returns the edges of a cycle through start, or nil: the first
// one a depth-first search in edge order meets, within start's component.
func findCycle(start string, out map[string][]*mermaid.Edge, comp map[string]int) []*mermaid.Edge {
	var path []*mermaid.Edge
	seen := map[string]bool{}
	c := comp[start]
	var dfs func(id string) bool
	dfs = func(id string) bool {
		for _, e := range out[id] {
			if comp[e.To] != c {
				continue // no way back to start from there
			}
			path = append(path, e)
			if e.To == start {
				return true
			}
			if !seen[e.To] {
				seen[e.To] = true
				if dfs(e.To) {
					return true
				}
			}
			path = path[:len(path)-1]
		}
		return false
	}
	seen[start] = true
	if dfs(start) {
		return path
	}
	return nil
}

// cyclicComponents numbers the strongly connected components that hold a
// cycle (more than one node, or a node calling itself), from 1; nodes on
// no cycle are left out. Tarjan's algorithm over node numbers, iterative so
// that a chain of 100,000 calls does not recurse 100,000 deep.
func cyclicComponents(nodes []*mermaid.Node, out map[string][]*mermaid.Edge) map[string]int {
	// Number every node and edge end once; the walk is then on ints.
	num := make(map[string]int, len(nodes))
	var ids []string
	id := func(s string) int {
		n, ok := num[s]
		if !ok {
			n = len(ids)
			num[s] = n
			ids = append(ids, s)
		}
		return n
	}
	for _, n := range nodes {
		id(n.ID)
	}
	var adj [][]int
	for k := 0; k < len(ids); k++ {
		var to []int
		for _, e := range out[ids[k]] {
			to = append(to, id(e.To))
		}
		adj = append(adj, to)
	}
	index := make([]int, len(ids)) // 0: not visited yet
	low := make([]int, len(ids))
	onStack := make([]bool, len(ids))
	var stack []int
	comp := map[string]int{}
	next, ncomp := 1, 0
	type frame struct{ v, i int }
	for root := range nodes {
		if index[root] != 0 || len(adj[root]) == 0 {
			continue
		}
		work := []frame{{v: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			f := &work[len(work)-1]
			if f.i < len(adj[f.v]) {
				to := adj[f.v][f.i]
				f.i++
				switch {
				case index[to] == 0:
					index[to], low[to] = next, next
					next++
					stack = append(stack, to)
					onStack[to] = true
					work = append(work, frame{v: to})
				case onStack[to]:
					low[f.v] = min(low[f.v], index[to])
				}
				continue
			}
			v := f.v
			work = work[:len(work)-1]
			if len(work) > 0 {
				p := work[len(work)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			// v is the root of a component: pop it.
			k := len(stack) - 1
			for stack[k] != v {
				k--
			}
			members := stack[k:]
			stack = stack[:k]
			cyclic := len(members) > 1 || slices.Contains(adj[v], v)
			if cyclic {
				ncomp++
			}
			for _, m := range members {
				onStack[m] = false
				if cyclic {
					comp[ids[m]] = ncomp
				}
			}
		}
	}
	return comp
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
	if len(missing) == 0 {
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
		names[k] = []string{n.Label, n.ID}
		if s := a.serviceOf(n); s != nil {
			names[k] = append(names[k], s.Name)
		}
		forms[k] = nameForms(names[k]...)
	}
	where := map[string]place{}
	fx := newFormIndex(forms)
	for i := range phases {
		p := &phases[i]
		for _, k := range fx.mentioned(p.Text) {
			node := g.Nodes[k]
			if _, ok := where[node.ID]; !ok {
				where[node.ID] = place{p, mentionSpan(d, p.Span, names[k])}
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range g.Edges {
		if !e.Directed() || e.Arrow == "~~~" {
			continue
		}
		from, to := g.Node(e.From), g.Node(e.To)
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

// mentionedNodes reports which nodes normalised text mentions, given each
// node's name forms. A mention inside a longer mention of another node
// does not count: "tax rules service" names Tax Rules, not Tax.
func mentionedNodes(text string, forms [][]string) []bool {
	out := make([]bool, len(forms))
	for _, k := range newFormIndex(forms).mentioned(text) {
		out[k] = true
	}
	return out
}

// formIndex finds the nodes a text mentions in time linear in the text,
// however many nodes there are: every run of up to maxWords words of the
// text is looked up among the nodes' name forms (whole-word matching, as
// wordMatches does).
type formIndex struct {
	nodes    map[string][]int // form -> the nodes that have it
	maxWords int
}

func newFormIndex(forms [][]string) *formIndex {
	x := &formIndex{nodes: map[string][]int{}}
	for k, fs := range forms {
		for _, f := range fs {
			if f == "" {
				continue
			}
			if l := x.nodes[f]; len(l) == 0 || l[len(l)-1] != k {
				x.nodes[f] = append(l, k)
			}
			x.maxWords = max(x.maxWords, strings.Count(f, " ")+1)
		}
	}
	return x
}

// mentioned returns the nodes text mentions, in order, but for those only
// mentioned inside a longer mention of another node.
func (x *formIndex) mentioned(text string) []int {
	type hit struct{ node, start, end int }
	var hits []hit
	// starts holds the offset of every word: text is split at each space.
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' {
			starts = append(starts, i+1)
		}
	}
	for w, st := range starts {
		for n := 1; n <= x.maxWords && w+n <= len(starts); n++ {
			end := len(text)
			if w+n < len(starts) {
				end = starts[w+n] - 1
			}
			for _, k := range x.nodes[text[st:end]] {
				hits = append(hits, hit{k, st, end})
			}
		}
	}
	seen := map[int]bool{}
	var out []int
	for _, h := range hits {
		if seen[h.node] {
			continue
		}
		shadowed := false
		for _, o := range hits {
			if o.node != h.node && o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start {
				shadowed = true
				break
			}
		}
		if !shadowed {
			seen[h.node] = true
			out = append(out, h.node)
		}
	}
	slices.Sort(out)
	return out
}

// mentionSpan finds the first of names in span of d (ASCII case folded,
// whole words), else returns span.
func mentionSpan(d *spec.Document, span spec.Span, names []string) spec.Span {
	text := strings.ToLower(d.Slice(span))
	best := spec.Span{Start: -1}
	for _, n := range names {
		cands := []string{strings.ToLower(n), strings.Join(nameWords(n), " ")}
		for _, w := range nameForms(n) {
			cands = append(cands, w)
		}
		for _, c := range cands {
			if c == "" {
				continue
			}
			from := 0
			for {
				i := strings.Index(text[from:], c)
				if i < 0 {
					break
				}
				i += from
				end := i + len(c)
				if (i == 0 || !isWordByte(text[i-1])) && (end == len(text) || !isWordByte(text[end])) {
					if best.Start < 0 || i < best.Start-span.Start || i == best.Start-span.Start && span.Start+end > best.End {
						best = spec.Span{Start: span.Start + i, End: span.Start + end}
					}
					break
				}
				from = i + 1
			}
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

// checklistScore is the share of the required item's words the task has.
func checklistScore(req []string, task []string) float64 {
	if len(req) == 0 {
		return 0
	}
	have := map[string]bool{}
	for _, w := range task {
		have[stem(w)] = true
	}
	n := 0
	for _, w := range req {
		if have[stem(w)] {
			n++
		}
	}
	return float64(n) / float64(len(req))
}

func checkChecklist(c *Context, a *analysis) {
	if !c.Enabled(rules.ChecklistIncomplete) {
		return
	}
	d := a.doc
	items := c.Config.Options.Checklist
	if len(items) == 0 {
		items = arch.DefaultChecklist
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
	insert := sec.Own.End
	if len(tasks) > 0 {
		insert = lineOf(d.Text, tasks[len(tasks)-1].Span.Start).End
	}
	for _, item := range items {
		req := checklistWords(item)
		var best *spec.TaskItem
		bestScore := 0.0
		for _, t := range tasks {
			if used[t] {
				continue
			}
			if s := checklistScore(req, checklistWords(t.Text)); s > bestScore {
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
			c.Report(rules.ChecklistIncomplete, d, best.Span, Data{Section: sec, Target: item, Want: "[x]", Insert: best.Box.Start},
				"checklist item %q is not ticked; meet it in the design and tick it, or say why it does not apply", best.Text)
		}
	}
}

// hasSyntax finds a proto block's syntax or edition statement.
var hasSyntax = regexp.MustCompile(`(?m)^\s*(syntax|edition)\s*=`)

func checkProto(c *Context, a *analysis) {
	if !c.Enabled(rules.ProtoInvalid) {
		return
	}
	d := a.doc
	for _, b := range d.Code {
		if b.Lang != "proto" && b.Lang != "protobuf" && b.Lang != "proto3" {
			continue
		}
		src := d.Slice(b.Content)
		// A block without a syntax line is a proto3 fragment as specs write
		// them; prefix one on the same line so that offsets only shift.
		prefix := ""
		if !hasSyntax.MatchString(src) {
			prefix = `syntax = "proto3"; `
		}
		for _, e := range protoErrors(prefix + src) {
			s, en := e.start-len(prefix), e.end-len(prefix)
			if s < 0 {
				s, en = 0, 0
			}
			span := tokenSpan(d.Text, spec.Span{Start: b.Content.Start + s, End: b.Content.Start + en}, b.Content.End)
			c.Report(rules.ProtoInvalid, d, span, Data{Target: e.msg}, "the proto block does not compile: %s", e.msg)
		}
	}
}

type protoError struct {
	start, end int
	msg        string
}

// protoCache keeps the errors of recently seen proto blocks: between two
// keystrokes most blocks do not change, and protocompile is the costliest
// part of a check. Bounded; safe for concurrent checks.
var protoCache = struct {
	sync.Mutex
	m map[string][]protoError
}{m: map[string][]protoError{}}

// protoErrors parses a proto file and checks what can be checked without
// its imports (field numbers, labels, reserved ranges); at most 5 errors.
func protoErrors(src string) []protoError {
	protoCache.Lock()
	out, ok := protoCache.m[src]
	protoCache.Unlock()
	if ok {
		return out
	}
	out = compileProto(src)
	protoCache.Lock()
	if len(protoCache.m) >= 512 {
		clear(protoCache.m)
	}
	protoCache.m[src] = out
	protoCache.Unlock()
	return out
}

func compileProto(src string) []protoError {
	var out []protoError
	h := reporter.NewHandler(reporter.NewReporter(func(e reporter.ErrorWithPos) error {
		if len(out) < 5 {
			msg := e.Error()
			if u := errors.Unwrap(e); u != nil {
				msg = u.Error()
			}
			end := e.End().Offset + 1 // inclusive in protocompile
			if e.End().Offset <= e.Start().Offset {
				end = e.Start().Offset
			}
			out = append(out, protoError{e.Start().Offset, end, msg})
		}
		return nil
	}, func(reporter.ErrorWithPos) {}))
	ast, err := parser.Parse("spec.proto", strings.NewReader(src), h)
	if err == nil && ast != nil {
		_, _ = parser.ResultFromAST(ast, true, h)
	}
	return out
}

// tokenSpan widens an empty span to the token at its start (a word or one
// character), within limit.
func tokenSpan(src []byte, s spec.Span, limit int) spec.Span {
	if s.End > s.Start {
		return spec.Span{Start: s.Start, End: min(s.End, limit)}
	}
	i := s.Start
	for i < limit && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	if i >= limit {
		return trimmedLine(src, max(s.Start-1, 0))
	}
	e := i
	for e < limit && (isWordByte(src[e]) || src[e] >= 'A' && src[e] <= 'Z' || src[e] == '.') {
		e++
	}
	if e == i {
		e = i + 1
	}
	return spec.Span{Start: i, End: e}
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): `)

func checkYAML(c *Context, a *analysis) {
	if !c.Enabled(rules.YAMLInvalid) {
		return
	}
	d := a.doc
	for _, b := range d.Code {
		if b.Lang != "yaml" && b.Lang != "yml" {
			continue
		}
		src := d.Slice(b.Content)
		if strings.Contains(src, "{{") {
			continue // a Helm or Jinja template, not YAML until rendered
		}
		msg, line := c.Memo.yamlError(src)
		if msg == "" {
			continue
		}
		span := trimmedLine(d.Text, b.Span.Start)
		if off, ok := lineStart(src, line); ok {
			if sp := trimmedLine(d.Text, b.Content.Start+off); sp.Start < sp.End {
				span = sp
			}
		}
		c.Report(rules.YAMLInvalid, d, span, Data{Target: msg}, "the YAML block does not parse: %s", msg)
	}
}

// yamlError parses every document of src and returns the first error's
// message and its 1-based line (0 when unknown). yaml.v3 names the line
// where the enclosing mapping starts; the offending line is the last line
// of the shortest prefix that fails the same way, as YAML is read line by
// line (blocks of at most 400 lines are searched).
func yamlError(src string) (string, int) {
	msg, line := yamlDecode(src)
	if msg == "" {
		return "", 0
	}
	if n := strings.Count(src, "\n"); n <= 400 {
		off := 0
		for k := 1; k <= n+1; k++ {
			i := strings.IndexByte(src[off:], '\n')
			end := len(src)
			if i >= 0 {
				end = off + i + 1
			}
			if m, _ := yamlDecode(src[:end]); m == msg {
				return msg, k
			}
			if i < 0 {
				break
			}
			off = end
		}
	}
	return msg, line
}

func yamlDecode(src string) (string, int) {
	dec := yaml.NewDecoder(strings.NewReader(src))
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return "", 0
		}
		if err == nil {
			continue
		}
		msg := err.Error()
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return strings.TrimPrefix(msg, m[0]), n
		}
		return strings.TrimPrefix(msg, "yaml: "), 0
	}
}

// lineStart returns the offset of 1-based line n of src.
func lineStart(src string, n int) (int, bool) {
	if n < 1 {
		return 0, false
	}
	off := 0
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src[off:], '\n')
		if j < 0 {
			return 0, false
		}
		off += j + 1
	}
	return off, off <= len(src)
}
