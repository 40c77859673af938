package codeactions

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// generator derives one template section from what the spec already says.
type generator struct {
	title string // the template section it writes
	from  string // what it derives the content from, for action titles
	// children is true when body writes the section's subsections too.
	children bool
	// body returns the content of a new section (no heading), "" when
	// nothing can be derived. ts is the template section, nil when the
	// template has none.
	body func(f *fixer, ts *spec.TemplateSection) string
	// fill returns the edits that complete an existing section, nil when
	// there is nothing to add.
	fill func(f *fixer, sec *spec.Section) []Edit
}

var (
	genGraph = &generator{title: "Service Dependency Graph", from: "from the service definitions",
		body: graphBody, fill: fillGraph}
	genMatrix = &generator{title: "Communication Matrix", from: "from the graph edges",
		body: func(f *fixer, _ *spec.TemplateSection) string { return tableText(matrixCols, f.matrixRows(nil)) },
		fill: func(f *fixer, sec *spec.Section) []Edit {
			return f.fillTable(sec, matrixCols, f.matrixRows, f.matrixKeys)
		}}
	genOwnership = &generator{title: "Data Ownership", from: "from the services",
		body: func(f *fixer, _ *spec.TemplateSection) string { return tableText(ownershipCols, f.ownershipRows(nil)) },
		fill: func(f *fixer, sec *spec.Section) []Edit {
			return f.fillTable(sec, ownershipCols, f.ownershipRows, f.ownershipKeys)
		}}
	genPhases = &generator{title: "Deployment Sequencing", from: "in dependency order",
		body: phasesBody, fill: fillPhases}
	genServices = &generator{title: "Service Definitions", from: "for the graph's services", children: true,
		body: servicesBody, fill: fillServices}
	genChecklist = &generator{title: "Python Production Checklist", from: "with every item",
		body: checklistBody, fill: fillChecklist}
	genProto = &generator{title: "Proto Definitions", from: "with a stub per service",
		body: protoBody, fill: fillProto}
)

// generators lists every deterministic generator.
var generators = []*generator{genGraph, genMatrix, genOwnership, genPhases, genServices, genChecklist, genProto}

// generatorFor returns the generator of a template section key, or nil.
func generatorFor(key string) *generator {
	for _, g := range generators {
		if spec.Normalize(g.title) == key {
			return g
		}
	}
	return nil
}

// --- Service dependency graph ----------------------------------------------

func graphBody(f *fixer, _ *spec.TemplateSection) string {
	a := f.artifacts()
	if a.fromMermaid || a.graph == nil || len(a.services) == 0 {
		return "" // the document has a graph already, or nothing to draw
	}
	var sb strings.Builder
	sb.WriteString("```mermaid\ngraph TD\n")
	for _, n := range a.graph.nodes {
		sb.WriteString("  " + oneLine(n.ID) + nodeShape(n) + "\n")
	}
	for _, e := range a.graph.edges {
		if e.label != "" {
			fmt.Fprintf(&sb, "  %s -->|%s| %s\n", oneLine(e.from.ID), mermaidText(e.label), oneLine(e.to.ID))
		} else {
			fmt.Fprintf(&sb, "  %s --> %s\n", oneLine(e.from.ID), oneLine(e.to.ID))
		}
	}
	sb.WriteString("```")
	return sb.String()
}

var plainLabel = regexp.MustCompile(`^[\p{L}\p{N} _.,/-]+$`)

// nodeShape writes a node's label: a rectangle, or a cylinder for a store.
func nodeShape(n *gnode) string {
	l := mermaidText(n.Label)
	if n.svc == nil && arch.NamesDataStore(n.Label) {
		return "[(" + l + ")]"
	}
	return "[" + l + "]"
}

// oneLine makes a name fit on one line of generated text: a heading may
// hold a lone CR (a line break to LSP, not to markdown) or other control
// characters.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// mermaidText quotes a label that holds characters mermaid reads as syntax.
func mermaidText(s string) string {
	s = oneLine(s)
	if plainLabel.MatchString(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"`
}

func fillGraph(f *fixer, sec *spec.Section) []Edit {
	for _, c := range f.doc.Code {
		if c.Lang == "mermaid" && c.Span.Start >= sec.Span.Start && c.Span.Start < sec.Span.End {
			return nil // the author's graph: never replaced
		}
	}
	return f.fillText(sec, graphBody(f, nil))
}

// --- Communication matrix --------------------------------------------------

var matrixCols = []string{"From", "To", "Protocol", "Pattern"}

// genRow is a generated table row and the test that tells whether an
// existing row (its cells in the generator's column order) stands for it.
type genRow struct {
	cells []string
	is    func(existing []string) bool
	// keys are the name keys an existing row must share to stand for it
	// (see rowKeys): fillTable tests is only on rows that do, so that
	// completing a table of thousands of rows stays linear.
	keys []string
}

// rowsFunc generates rows; existing holds the author's rows of the table
// being completed (nil for a new table), whose naming the rows follow.
type rowsFunc func(existing [][]string) []genRow

// matrixKeys are the keys of a matrix row: its From and To names' keys,
// paired (arch.PairKeys).
func (f *fixer) matrixKeys(r []string) []string {
	m := &f.model().Names
	return arch.PairKeys(m.NameKeys(r[0]), m.NameKeys(r[1]))
}

// ownershipKeys are the keys of a Data Ownership row: its service's.
func (f *fixer) ownershipKeys(r []string) []string { return f.model().Names.NameKeys(r[0]) }

// matrixRows gives one row per graph edge, the protocol from the edge
// label. Nodes are named by their labels, or by their IDs when the
// author's rows name them so.
func (f *fixer) matrixRows(existing [][]string) []genRow {
	g := f.artifacts().graph
	if g == nil {
		return nil
	}
	byID := false
	rowKeys := map[string]bool{}
	for _, r := range existing {
		rowKeys[nameKey(r[0])] = true
	}
	for _, n := range g.nodes {
		if k := nameKey(n.ID); rowKeys[k] && k != nameKey(n.Label) {
			byID = true
			break
		}
	}
	name := func(n *gnode) string {
		if byID {
			return n.ID
		}
		return n.Label
	}
	var rows []genRow
	for _, e := range g.edges {
		if (e.to.store && e.to.svc == nil) || (e.from.store && e.from.svc == nil) {
			continue // data access, not communication
		}
		// The protocol family the rules compare ("gRPC" for "gRPC stream").
		proto := arch.ProtocolOf(e.label)
		if proto == "" {
			proto = e.label
		}
		if proto == "" {
			proto = defaultProtocol(e.to)
		}
		if proto == "" {
			proto = "unspecified"
		}
		pat := pattern(proto)
		if e.streaming {
			pat = "Streaming"
		}
		rows = append(rows, genRow{
			cells: []string{name(e.from), name(e.to), proto, pat},
			is:    func(r []string) bool { return f.named(r[0], e.from) && f.named(r[1], e.to) },
			keys:  arch.PairKeys(f.model().Names.NodeKeys(e.from.node()), f.model().Names.NodeKeys(e.to.node())),
		})
	}
	return rows
}

// pattern names the interaction style of a protocol.
func pattern(proto string) string {
	switch {
	case strings.Contains(strings.ToLower(proto), "stream"):
		return "Streaming"
	case arch.MessagingPattern(proto):
		return "Pub-Sub"
	}
	return "Request-Reply"
}

// --- Data ownership --------------------------------------------------------

var ownershipCols = []string{"Service", "Database", "Data Domain"}

func (f *fixer) ownershipRows([][]string) []genRow {
	a := f.artifacts()
	var rows []genRow
	for _, s := range a.services {
		s := s
		var node *gnode
		if a.graph != nil {
			for _, n := range a.graph.nodes {
				if n.svc == s {
					node = n
				}
			}
		}
		db, domain := f.database(s), f.dataDomain(s)
		switch {
		case statelessRe.MatchString(domain):
			db = "none (stateless)" // its schema line says so
		case arch.IsInfrastructure(s.Name) && !f.statesData(s):
			db, domain = "none (stateless)", "none" // a gateway, a front end: owns no data
		}
		rows = append(rows, genRow{
			cells: []string{s.Name, db, domain},
			is: func(r []string) bool {
				return f.sameName(r[0], s.Name) || node != nil && f.named(r[0], node)
			},
			keys: f.ownershipRowKeys(s, node),
		})
	}
	return rows
}

// ownershipRowKeys are the keys of the rows that may stand for a
// service's: its name's and its graph node's.
func (f *fixer) ownershipRowKeys(s *service, node *gnode) []string {
	m := &f.model().Names
	keys := m.NameKeys(s.Name)
	if node != nil {
		keys = append(append([]string(nil), keys...), m.NodeKeys(node.node())...)
	}
	return keys
}

// statelessRe matches a schema line that says the service keeps no data.
var statelessRe = regexp.MustCompile(`(?i)^(none|n/?a|no database|nothing|stateless)\b`)

// statesData reports whether a service's section says anything about data
// it keeps: a database or schema line, an engine, a table.
func (f *fixer) statesData(s *service) bool {
	text := s.Section.Span.Text(f.doc.Text)
	if createTable.MatchString(text) || tableName.MatchString(text) {
		return true
	}
	if arch.DatabaseEngine(text) != "" {
		return true
	}
	for _, l := range strings.Split(text, "\n") {
		if schemaLine.MatchString(l) && !arch.IsDependencyLine(stripMarkup(strings.TrimLeft(l, " -*"))) {
			return true
		}
	}
	return false
}

var schemaLine = regexp.MustCompile(`(?i)database|schema|\bdb\b|stor(e|age)|tables?|persist`)

// database names the store a service's section describes: an engine named
// on a database or schema line, else anywhere in the section, else
// PostgreSQL, the convention's core stack (SQLAlchemy with asyncpg).
func (f *fixer) database(s *service) string {
	text := s.Section.Span.Text(f.doc.Text)
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if schemaLine.MatchString(l) && !arch.IsDependencyLine(stripMarkup(strings.TrimLeft(l, " -*"))) {
			lines = append(lines, l)
		}
	}
	for _, scope := range []string{strings.Join(lines, "\n"), text} {
		if best := arch.DatabaseEngine(scope); best != "" {
			return best
		}
	}
	return "PostgreSQL"
}

var (
	createTable = regexp.MustCompile(`(?i)create\s+table\s+(?:if\s+not\s+exists\s+)?[` + "`" + `"']?(?:\w+\.)?(\w+)`)
	tableName   = regexp.MustCompile(`__tablename__\s*=\s*["'](\w+)["']`)
	schemaItem  = regexp.MustCompile(`(?i)^(database\s+)?schema[^:]*:\s*(.+)$`)
)

// dataDomain names the data a service owns: its tables, else what its
// "Database schema" line says, else the service's own name.
func (f *fixer) dataDomain(s *service) string {
	text := s.Section.Span.Text(f.doc.Text)
	var names []string
	seen := map[string]bool{}
	for _, re := range []*regexp.Regexp{createTable, tableName} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			n := humanize(m[1])
			if !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				names = append(names, n)
			}
		}
	}
	if len(names) > 0 {
		return strings.Join(names, ", ")
	}
	for _, it := range f.doc.Items {
		if it.Span.Start < s.Section.Span.Start || it.Span.Start >= s.Section.Span.End {
			continue
		}
		if m := schemaItem.FindStringSubmatch(stripMarkup(it.Text)); m != nil && !placeholder.MatchString(m[2]) {
			d := strings.TrimRight(strings.TrimSpace(m[2]), ".")
			d = arch.TrimEngineSuffix(d)
			if d != "" {
				return strings.ToUpper(d[:1]) + d[1:]
			}
		}
	}
	name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s.Name, " Service"), " service"))
	return name + " data"
}

// humanize turns "user_sessions" into "User Sessions".
func humanize(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

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

var phaseItem = regexp.MustCompile(`(?i)\bphase\s*\d+`)

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

// --- Python production checklist -------------------------------------------

// checklistItems returns the checklist the rules check: the configured
// one, else the seed's.
func (f *fixer) checklistItems() []string {
	if f.in.Config != nil && len(f.in.Config.Options.Checklist) > 0 {
		return f.in.Config.Options.Checklist
	}
	return arch.DefaultChecklist
}

func checklistBody(f *fixer, _ *spec.TemplateSection) string {
	items := f.checklistItems()
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = "- [ ] " + it
	}
	return strings.Join(lines, "\n")
}

// fillChecklist adds the items the checklist-incomplete rule finds
// missing (it matches items loosely, so that a reworded item counts),
// after the section's last item, or as the section's list.
func fillChecklist(f *fixer, sec *spec.Section) []Edit {
	var tasks []*spec.TaskItem
	have := map[string]bool{}
	for _, t := range f.doc.Tasks {
		if t.Span.Start >= sec.Span.Start && t.Span.Start < sec.Span.End {
			tasks = append(tasks, t)
			have[spec.Normalize(t.Text)] = true
		}
	}
	var missing []string
	if fs := f.findingsOf(rules.ChecklistIncomplete); len(fs) > 0 || diagnostics.Enabled(f.in, rules.ChecklistIncomplete) {
		for _, fd := range fs {
			if strings.HasPrefix(fd.Data.Want, "- [ ]") && fd.Data.Target != "" {
				missing = append(missing, fd.Data.Target)
			}
		}
	} else {
		for _, it := range f.checklistItems() {
			if !have[spec.Normalize(it)] {
				missing = append(missing, it)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if len(tasks) == 0 {
		lines := make([]string, len(missing))
		for i, it := range missing {
			lines[i] = "- [ ] " + it
		}
		return f.fillText(sec, strings.Join(lines, "\n"))
	}
	last := tasks[len(tasks)-1]
	line := last.Span.Text(f.doc.Text)
	marker := line[:strings.Index(line, "[")] // "- " with its indentation
	lines := make([]string, len(missing))
	for i, it := range missing {
		lines[i] = marker + "[ ] " + it
	}
	return []Edit{f.t.insertLinesAfter(f.doc.Path, f.listEnd(last.Span.End, sec.Span.End), lines)}
}

// listEnd returns the end of the list item whose first line ends at off:
// the end of its last continuation line (indented, not blank), before limit
// (the end of its section: a heading nested in the item ends it too).
func (f *fixer) listEnd(off, limit int) int {
	end := f.t.lineEnd(off)
	for next := f.t.nextLine(end); next < min(len(f.t.src), limit); next = f.t.nextLine(next) {
		le := f.t.lineEnd(next)
		l := f.t.src[next:le]
		if len(strings.TrimSpace(string(l))) == 0 || (l[0] != ' ' && l[0] != '\t') {
			break
		}
		end = le
	}
	return end
}

// insertLinesAfter inserts whole lines after the line that ends at
// lineEnd (before its line break).
func (t text) insertLinesAfter(path string, lineEnd int, lines []string) Edit {
	joined := strings.Join(lines, t.nl)
	if lineEnd == len(t.src) {
		return Edit{Path: path, Span: spec.Span{Start: lineEnd, End: lineEnd}, NewText: t.nl + joined}
	}
	at := t.nextLine(lineEnd)
	if at == len(t.src) && !t.endsWithNewline() {
		return Edit{Path: path, Span: spec.Span{Start: at, End: at}, NewText: t.nl + joined}
	}
	return Edit{Path: path, Span: spec.Span{Start: at, End: at}, NewText: joined + t.nl}
}

// --- Proto definitions -----------------------------------------------------

var protoService = regexp.MustCompile(`(?m)^\s*service\s+(\w+)`)

// protoServices returns the services (or the graph's service nodes, when
// none is defined yet) that no proto block declares.
func (f *fixer) protoMissing() []string {
	declared := map[string]bool{}
	for _, c := range f.doc.Code {
		if c.Lang == "proto" || c.Lang == "protobuf" {
			for _, m := range protoService.FindAllStringSubmatch(c.Content.Text(f.doc.Text), -1) {
				declared[nameKey(m[1])] = true
			}
		}
	}
	var names []string
	for _, s := range f.artifacts().services {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		for _, n := range f.undefinedServices() {
			names = append(names, n.Label)
		}
	}
	var out []string
	for _, n := range names {
		if !declared[nameKey(n)] {
			out = append(out, n)
			declared[nameKey(n)] = true
		}
	}
	return out
}

func protoBody(f *fixer, _ *spec.TemplateSection) string {
	names := f.protoMissing()
	if len(names) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("```proto\nsyntax = \"proto3\";\n\npackage " + protoPackage(f.in.Feature.Slug) + ";\n")
	for _, n := range names {
		id := identifier(n)
		if !strings.HasSuffix(id, "Service") {
			id += "Service"
		}
		fmt.Fprintf(&sb, "\n// %s\nservice %s {}\n", oneLine(n), id)
	}
	sb.WriteString("```")
	return sb.String()
}

// protoPackage makes a versioned proto package from a slug: "ai-chat" ->
// "ai_chat.v1".
func protoPackage(slug string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(slug) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
		case sb.Len() > 0 && !strings.HasSuffix(sb.String(), "_"):
			sb.WriteByte('_')
		}
	}
	p := strings.Trim(sb.String(), "_")
	switch {
	case p == "":
		p = "feature"
	case p[0] >= '0' && p[0] <= '9':
		p = "feature_" + p
	}
	return p + ".v1"
}

func fillProto(f *fixer, sec *spec.Section) []Edit {
	return f.fillText(sec, protoBody(f, nil))
}

// --- Tables and text -------------------------------------------------------

// tableText renders a markdown table, "" when there are no rows.
func tableText(cols []string, rows []genRow) string {
	if len(rows) == 0 {
		return ""
	}
	lines := []string{tableRow(cols), "|" + strings.Join(dashes(cols), "|") + "|"}
	for _, r := range rows {
		lines = append(lines, tableRow(r.cells))
	}
	return strings.Join(lines, "\n")
}

func dashes(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = strings.Repeat("-", max(3, len(c)+2))
	}
	return out
}

func tableRow(cells []string) string {
	esc := make([]string, len(cells))
	for i, c := range cells {
		esc[i] = strings.ReplaceAll(oneLine(c), "|", `\|`)
	}
	return "| " + strings.Join(esc, " | ") + " |"
}

// fillTable completes the section's table with the given columns (the
// first two, or the first alone, must be there): generated rows that no
// row stands for are appended, rows that hold only placeholders are
// dropped, and every other row stays as written. Without such a table, the
// section gets one.
func (f *fixer) fillTable(sec *spec.Section, cols []string, gen rowsFunc, rowKeys func([]string) []string) []Edit {
	var t *spec.Table
	var idx []int
	for _, tb := range f.doc.Tables {
		if tb.Span.Start < sec.Own.Start || tb.Span.Start >= sec.Own.End {
			continue
		}
		idx = make([]int, len(cols))
		for i, c := range cols {
			idx[i] = tb.Column(c)
		}
		if idx[0] >= 0 {
			t = tb
			break
		}
	}
	if t == nil {
		return f.fillText(sec, tableText(cols, gen(nil)))
	}
	var existing [][]string
	var drop []spec.Span // the lines of placeholder rows
	lastRow := -1        // the start of the table's last line
	for _, r := range t.Rows {
		if len(r) == 0 {
			continue
		}
		ls := f.t.lineStart(r[0].Span.Start)
		lastRow = max(lastRow, ls)
		// The whole line must be placeholders: goldmark drops cells past
		// the header's count, and text there is the author's.
		if line := spec.LineAt(f.doc.Text, ls); placeholderRow(r) && placeholderOnly(strings.ReplaceAll(line.Text(f.doc.Text), "|", " ")) {
			drop = append(drop, spec.Span{Start: ls, End: f.t.nextLine(ls)})
			continue
		}
		cells := make([]string, len(cols))
		for j, c := range idx {
			if c >= 0 && c < len(r) {
				cells[j] = r[c].Text
			}
		}
		existing = append(existing, cells)
	}
	rows := gen(existing)
	if len(rows) == 0 {
		return nil // nothing derivable: the template rows stay for the author
	}
	var ix arch.NameIndex
	for i, r := range existing {
		ix.Add(i, rowKeys(r))
	}
	var add [][]string
	for _, g := range rows {
		found := false
		for _, i := range ix.Candidates(g.keys) {
			if g.is(existing[i]) {
				found = true
				break
			}
		}
		// The row as this table can hold it: cells of columns it lacks
		// are lost. If the next round would not recognise that row, adding
		// it would repeat on every run; leave the table to the author.
		written := make([]string, len(cols))
		for i, c := range idx {
			if c >= 0 {
				written[i] = g.cells[i]
			}
		}
		if !found && g.is(written) {
			add = append(add, g.cells)
			ix.Add(len(existing), rowKeys(g.cells))
			existing = append(existing, g.cells)
		}
	}
	if len(add) == 0 && len(drop) == 0 {
		return nil
	}
	// Rows are found by their cells' offsets, never by counting lines: the
	// table's span may start on a line that is not its header.
	header := f.t.lineStart(t.Header[0].Span.Start)
	if lastRow < 0 {
		lastRow = f.t.nextLine(header) // the delimiter row
	}
	line := f.t.src[header:f.t.lineEnd(header)]
	indent := string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
	var edits []Edit
	for _, d := range drop {
		edits = append(edits, f.t.deleteLines(f.doc.Path, d.Start, d.End))
	}
	if len(add) > 0 {
		lines := make([]string, len(add))
		for k, r := range add {
			cells := make([]string, len(t.Header))
			for i, c := range idx {
				if c >= 0 && c < len(cells) {
					cells[c] = r[i]
				}
			}
			lines[k] = indent + tableRow(cells)
		}
		edits = append(edits, f.t.insertLinesAfter(f.doc.Path, f.t.lineEnd(lastRow), lines))
	}
	return edits
}

// placeholderRow reports whether every cell of a row is empty or a
// placeholder.
func placeholderRow(r []spec.Cell) bool {
	any := false
	for _, c := range r {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		if !placeholderOnly(c.Text) {
			return false
		}
		any = true
	}
	return any
}

// delimiterRow matches a table's delimiter row: "|---|:--:|".
var delimiterRow = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

var markerWord = regexp.MustCompile(`\b(TODO|TBD|TKTK|FIXME)\b`)

// placeholderOnly reports whether s is made of placeholders, markers and
// markdown punctuation only, with at least one placeholder or marker.
func placeholderOnly(s string) bool {
	if !placeholder.MatchString(s) && !markerWord.MatchString(s) {
		return false
	}
	rest := placeholder.ReplaceAllString(s, "")
	rest = markerWord.ReplaceAllString(rest, "")
	rest = strings.NewReplacer("e.g.", "", "|", "", "-", "", "*", "", "+", "", ":", "", ">", "", "#", "", "`", "", "_", "").Replace(rest)
	return strings.TrimSpace(rest) == ""
}

// lineSet returns the trimmed, space-collapsed lines of a template body,
// outside code fences.
func lineSet(body string) map[string]bool {
	out := map[string]bool{}
	fence := false
	for _, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if !fence && t != "" {
			out[strings.Join(strings.Fields(t), " ")] = true
		}
	}
	return out
}

// templateLines returns the lines of the template section a document
// section matches.
func (f *fixer) templateLines(s *spec.Section) map[string]bool {
	if ts := f.m.Of[s]; ts != nil {
		return lineSet(ts.Body)
	}
	return nil
}

// isTemplateLine reports whether a line is left-over template text: one of
// the template's own lines, or placeholders alone.
func isTemplateLine(l string, tl map[string]bool) bool {
	t := strings.Join(strings.Fields(l), " ")
	if t == "" {
		return false
	}
	return tl[t] || placeholderOnly(t)
}

func nlText(s, nl string) string {
	if nl == "\n" {
		return s
	}
	return strings.ReplaceAll(s, "\n", nl)
}

// fillText puts generated content into a section: its template lines
// (and tables made only of template rows) give way to the content, which
// takes the place of the first of them, else follows the section's own
// text. Every other line stays as written.
func (f *fixer) fillText(sec *spec.Section, body string) []Edit {
	if body == "" {
		return nil
	}
	own := sec.Own
	tl := f.templateLines(sec)
	raw := strings.ReplaceAll(own.Text(f.doc.Text), "\r\n", "\n")
	lines := strings.Split(raw, "\n")
	if strings.HasSuffix(raw, "\n") {
		lines = lines[:len(lines)-1]
	}
	del := make([]bool, len(lines))
	// Offsets of the lines, to skip code blocks and find tables.
	offs := make([]int, len(lines))
	o := own.Start
	for i := range lines {
		offs[i] = o
		o = f.t.nextLine(o)
	}
	for i, l := range lines {
		if !f.doc.InCode(offs[i]) && !inTable(f.doc, offs[i]) && isTemplateLine(l, tl) {
			del[i] = true
		}
	}
	for _, t := range f.doc.Tables {
		if t.Span.Start < own.Start || t.Span.Start >= own.End {
			continue
		}
		all := len(t.Rows) > 0
		for _, r := range t.Rows {
			all = all && placeholderRow(r)
		}
		// A table of template rows goes as a whole, but only when every one
		// of its lines is template text: its span can start on the author's
		// line (a table inside a list item).
		var in []int
		for i := range lines {
			if offs[i] >= f.t.lineStart(t.Span.Start) && offs[i] < t.Span.End {
				in = append(in, i)
				if !isTemplateLine(lines[i], tl) && !delimiterRow.MatchString(lines[i]) {
					all = false
				}
			}
		}
		if all {
			for _, i := range in {
				del[i] = true
			}
		}
	}
	var before, after []string
	first := -1
	for i, l := range lines {
		if del[i] {
			if first < 0 {
				first = i
			}
			continue
		}
		// A blank line right after removed lines, following a blank one, goes too.
		if strings.TrimSpace(l) == "" && i > 0 && del[i-1] {
			prev := before
			if first >= 0 {
				prev = after
			}
			if len(prev) == 0 || strings.TrimSpace(prev[len(prev)-1]) == "" {
				continue
			}
		}
		if first < 0 {
			before = append(before, l)
		} else {
			after = append(after, l)
		}
	}
	at := own.End // where the body goes: the first template line, else the end
	if first >= 0 {
		at = offs[first]
	}
	if f.inCode(at) || first < 0 && own.End == len(f.t.src) && f.inCode(len(f.t.src)) {
		return nil
	}
	var pieces []string
	if b := trimBlankLines(before); b != "" {
		pieces = append(pieces, b)
	}
	pieces = append(pieces, body)
	if a := trimBlankLines(after); a != "" {
		pieces = append(pieces, a)
	}
	lead := "\n"
	if own.Start == len(f.t.src) && !f.t.endsWithNewline() {
		lead = "\n\n"
	}
	tail := "\n\n"
	if own.End == len(f.t.src) {
		tail = ""
		if f.t.endsWithNewline() {
			tail = "\n"
		}
	}
	newText := lead + strings.Join(pieces, "\n\n") + tail
	return f.t.regionEdits(f.doc.Path, own, nlText(newText, f.t.nl))
}

func inTable(d *spec.Document, off int) bool {
	for _, t := range d.Tables {
		if t.Span.Start <= off && off < t.Span.End {
			return true
		}
	}
	return false
}

// trimBlankLines joins lines without the blank ones at either end.
func trimBlankLines(ls []string) string {
	for len(ls) > 0 && strings.TrimSpace(ls[0]) == "" {
		ls = ls[1:]
	}
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return strings.Join(ls, "\n")
}
