package codeactions

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// artifacts is what a tech spec already says about its architecture: the
// services it defines, with their stated dependencies, and the service
// dependency graph (its mermaid graph, else one derived from the services).
type artifacts struct {
	services []*service
	// graph is nil when the document's mermaid graph does not parse: then
	// nothing is derived from it.
	graph *graph
	// fromMermaid is true when graph was read from the document.
	fromMermaid bool
}

type service struct {
	Name    string // the heading as written
	Section *spec.Section
	Deps    []dependency
}

// dependency is one entry of a service's "Dependencies" line.
type dependency struct {
	Name      string
	Protocol  string // "" when the spec does not say
	Streaming bool   // "gRPC streaming"
}

type graph struct {
	nodes []*gnode
	edges []*gedge
	byKey map[string]*gnode // nodes by nameKey of ID and label
}

type gnode struct {
	ID, Label string
	svc       *service // the service definition it stands for, or nil
	store     bool     // a data store: edges to it are data access
}

type gedge struct {
	from, to  *gnode
	label     string
	streaming bool
}

func (g *graph) node(k string) *gnode { return g.byKey[k] }

// addNode adds a node and indexes it by its keys (the first node keeps a key).
func (g *graph) addNode(n *gnode) {
	if g.byKey == nil {
		g.byKey = map[string]*gnode{}
	}
	g.nodes = append(g.nodes, n)
	for _, k := range []string{nameKey(n.ID), nameKey(n.Label)} {
		if _, ok := g.byKey[k]; !ok {
			g.byKey[k] = n
		}
	}
}

// deps returns the nodes n points at.
func (g *graph) deps(n *gnode) []*gnode {
	var out []*gnode
	for _, e := range g.edges {
		if e.from == n {
			out = append(out, e.to)
		}
	}
	return out
}

func (f *fixer) artifacts() *artifacts {
	if f.arts == nil {
		a := &artifacts{services: f.services()}
		a.graph, a.fromMermaid = f.readGraph(a.services)
		f.arts = a
	}
	return f.arts
}

// services returns the services of Service Definitions as the rules see
// them (diagnostics.Services), but for the template's own "[Service Name]"
// placeholder and template sections out of place there (the section-order
// fix moves them).
func (f *fixer) services() []*service {
	svcs, _ := diagnostics.Services(f.doc)
	var out []*service
	for _, s := range svcs {
		if bracketedTitle.MatchString(s.Name) || nameKey(s.Name) == "" || f.templateTitle(s.Name) {
			continue
		}
		out = append(out, &service{Name: s.Name, Section: s.Section, Deps: f.dependencies(s.Section)})
	}
	return out
}

// templateTitle reports whether a name is the title of a section of the
// template: never a service's.
func (f *fixer) templateTitle(name string) bool {
	return f.tmpl != nil && f.tmpl.Lookup(name) != nil
}

var bracketedTitle = regexp.MustCompile(`^\s*\[[^\]]+\]\s*$`)

// depLine matches a "Dependencies: ..." line; group 1 is what follows.
var depLine = regexp.MustCompile(`(?i)^[\s>*_-]*dependencies\b[^:\n]*:\s*(.*)$`)

// depHead matches a line or heading that introduces a list of dependencies.
var depHead = regexp.MustCompile(`(?i)^[\s>*_#-]*dependencies\b[^:\n]*:?\s*$`)

// dependencies reads a service section's stated dependencies: the text of
// a "Dependencies: a, b (gRPC)" line, or the items of the list under a
// "Dependencies" item or heading.
func (f *fixer) dependencies(s *spec.Section) []dependency {
	var out []dependency
	src := f.doc.Text
	items := f.doc.Items
	for i, it := range items {
		if it.Span.Start < s.Span.Start || it.Span.Start >= s.Span.End {
			continue
		}
		text := stripMarkup(it.Text)
		if m := depLine.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			out = append(out, parseDeps(m[1])...)
			continue
		}
		if depHead.MatchString(text) {
			for _, sub := range items[i+1:] {
				if sub.Depth <= it.Depth || sub.Span.Start >= s.Span.End {
					break
				}
				if sub.Depth == it.Depth+1 {
					out = append(out, parseDeps(stripMarkup(sub.Text))...)
				}
			}
		}
	}
	// A "#### Dependencies" subsection: the top-level items of its text.
	for _, c := range s.Children {
		if !depHead.MatchString(c.Title) {
			continue
		}
		minDepth := -1
		for _, it := range items {
			if it.Span.Start >= c.Own.Start && it.Span.Start < c.Own.End && (minDepth < 0 || it.Depth < minDepth) {
				minDepth = it.Depth
			}
		}
		for _, it := range items {
			if it.Span.Start >= c.Own.Start && it.Span.Start < c.Own.End && it.Depth == minDepth {
				out = append(out, parseDeps(stripMarkup(it.Text))...)
			}
		}
	}
	// Paragraph lines: "**Dependencies:** a, b".
	for _, p := range f.doc.Paragraphs {
		if p.Start < s.Own.Start || p.Start >= s.Span.End {
			continue
		}
		for _, line := range strings.Split(p.Text(src), "\n") {
			if m := depLine.FindStringSubmatch(stripMarkup(line)); m != nil && strings.TrimSpace(m[1]) != "" {
				out = append(out, parseDeps(m[1])...)
			}
		}
	}
	return out
}

func stripMarkup(s string) string {
	return strings.TrimSpace(strings.NewReplacer("**", "", "__", "", "`", "").Replace(s))
}

var (
	protoWord = regexp.MustCompile(`(?i)\b(grpc|rest|https?|graphql|websockets?|kafka|rabbitmq|amqp|nats|sqs|sns|pub/sub|redis|sql)\b`)
	paren     = regexp.MustCompile(`\([^)]*\)`)
	noneWord  = regexp.MustCompile(`(?i)^(none|n/?a|nothing|-+|—)\.?$`)
	viaPhrase = regexp.MustCompile(`(?i)\s+(via|over|using|through)\s+.*$`)
)

// parseDeps splits "Auth Service (gRPC), Kafka; Redis" into dependencies,
// keeping commas inside parentheses.
func parseDeps(s string) []dependency {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(0, depth-1)
		case ',', ';':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	var out []dependency
	for _, p := range parts {
		for _, q := range strings.Split(p, " and ") {
			q = strings.TrimSpace(q)
			if q == "" || noneWord.MatchString(q) {
				continue
			}
			d := dependency{}
			if m := protoWord.FindString(q); m != "" {
				d.Protocol = canonicalProtocol(m)
			}
			d.Streaming = strings.Contains(strings.ToLower(q), "stream") && d.Protocol != "Kafka"
			name := paren.ReplaceAllString(q, "")
			name = viaPhrase.ReplaceAllString(name, "")
			for _, sep := range []string{" — ", " – ", " - ", ": "} {
				if i := strings.Index(name, sep); i > 0 {
					name = name[:i]
				}
			}
			name = strings.Trim(strings.TrimSpace(name), ".*_`")
			if name == "" || placeholder.MatchString(name) {
				continue
			}
			d.Name = name
			out = append(out, d)
		}
	}
	return out
}

var protocolNames = map[string]string{
	"grpc": "gRPC", "rest": "REST", "http": "HTTP", "https": "HTTPS", "graphql": "GraphQL",
	"websocket": "WebSocket", "websockets": "WebSocket", "kafka": "Kafka", "rabbitmq": "RabbitMQ",
	"amqp": "AMQP", "nats": "NATS", "sqs": "SQS", "sns": "SNS", "pub/sub": "Pub/Sub", "redis": "Redis", "sql": "SQL",
}

func canonicalProtocol(s string) string {
	if c, ok := protocolNames[strings.ToLower(s)]; ok {
		return c
	}
	return s
}

// nameKey folds a name for matching services, node IDs and labels, as
// the rules do: "Auth Service", "AuthService" and "auth-service" all give
// "auth".
func nameKey(s string) string { return diagnostics.ServiceKey(s) }

// sameName reports whether two names stand for the same service or node,
// as the rules match a table cell or a graph node to a service (qualifiers
// such as "API" in "API Gateway" aside): their key variants meet.
// TestSameNameAgreesWithRules keeps it in step with diagnostics.NodeService,
// which it mirrors because that costs a name split per pair, and tables
// compare every row with every edge.
func sameName(a, b string) bool {
	va, vb := keyVariantsOf(a), keyVariantsOf(b)
	for _, x := range va {
		for _, y := range vb {
			if x == y && x != "" {
				return true
			}
		}
	}
	return false
}

// variantCache memoises keyVariantsOf; it is dropped when it grows large, so a
// long-running server does not keep every name it ever saw.
var variantCache = struct {
	sync.Mutex
	m map[string][]string
}{m: map[string][]string{}}

// keyVariantsOf is diagnostics.KeyVariants, memoised.
func keyVariantsOf(name string) []string {
	variantCache.Lock()
	v, ok := variantCache.m[name]
	variantCache.Unlock()
	if ok {
		return v
	}
	v = diagnostics.KeyVariants(name)
	variantCache.Lock()
	if len(variantCache.m) > 10000 {
		variantCache.m = map[string][]string{}
	}
	variantCache.m[name] = v
	variantCache.Unlock()
	return v
}

// identifier makes a mermaid node ID or proto name from a name:
// "Auth Service" -> "AuthService", "api-gateway" -> "ApiGateway".
func identifier(name string) string {
	var sb strings.Builder
	up := true
	for _, r := range name {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if up {
				r = unicode.ToUpper(r)
			}
			sb.WriteRune(r)
			up = false
		} else {
			up = true
		}
	}
	id := sb.String()
	if id == "" {
		return "Node"
	}
	if unicode.IsDigit(rune(id[0])) {
		id = "S" + id
	}
	return id
}

// storeWord names data stores: an edge to one is data access, which the
// Communication Matrix does not list (the rules skip it too).
var storeWord = regexp.MustCompile(`(?i)postgres|mysql|mariadb|mongo|database|\bdb\b|redis|\bcache\b|dynamodb|cassandra|sqlite|\bs3\b|bucket|storage|\bstore\b|datastore|elasticsearch|opensearch|warehouse|\blake\b|memcached|clickhouse|minio|\bblob\b`)

// serviceWord marks a node the rules take for a service when nothing
// defines it (graph-service-undefined).
var serviceWord = regexp.MustCompile(`(?i)(\b|[a-z])(service|services|svc|microservice|worker|consumer|processor|daemon)\b`)

// serviceLike reports whether an undefined node is named like a service, as
// the rules see it: a service word, and not infrastructure.
func serviceLike(n *gnode) bool {
	return !diagnostics.IsInfrastructure(n.Label, n.ID) && (serviceWord.MatchString(n.Label) || serviceWord.MatchString(n.ID))
}

// isInfra reports whether a node without a service definition names
// infrastructure, a client or an external system, as the rules see it.
func isInfra(n *gnode) bool {
	return n.svc == nil && diagnostics.IsInfrastructure(n.Label, n.ID)
}

// findService returns the service a name refers to, or nil.
func findService(svcs []*service, name string) *service {
	for _, s := range svcs {
		if sameName(name, s.Name) {
			return s
		}
	}
	return nil
}

// readGraph reads the service dependency graph the rules read
// (diagnostics.DependencyGraph); without one, it derives the graph from
// the services' stated dependencies. A graph that does not parse, or a
// diagram that is no flowchart, gives none: nothing is derived from it.
func (f *fixer) readGraph(svcs []*service) (*graph, bool) {
	dg := diagnostics.DependencyGraph(f.doc)
	if dg == nil {
		return deriveGraph(svcs), false
	}
	if dg.Err != nil || dg.Kind != "flowchart" || dg.Graph == nil {
		return nil, true
	}
	return fromMermaid(dg.Graph, svcs), true
}

func fromMermaid(mg *mermaid.Graph, svcs []*service) *graph {
	g := &graph{}
	byID := map[string]*gnode{}
	for _, n := range mg.Nodes {
		label := n.Label
		store := n.Shape == "cylinder" || storeWord.MatchString(n.Label) || storeWord.MatchString(n.ID)
		if label == "" {
			label = n.ID
		}
		gn := &gnode{ID: n.ID, Label: label, store: store}
		for _, s := range svcs {
			if diagnostics.NodeService(n, []*diagnostics.Service{{Name: s.Name, Key: nameKey(s.Name)}}) != nil {
				gn.svc = s
				break
			}
		}
		byID[n.ID] = gn
		g.addNode(gn)
	}
	for _, e := range mg.Edges {
		from, to := byID[e.From], byID[e.To]
		if from == nil || to == nil {
			continue
		}
		label := strings.TrimSpace(e.Label)
		g.edges = append(g.edges, &gedge{from: from, to: to, label: label, streaming: strings.Contains(strings.ToLower(label), "stream")})
	}
	return g
}

// deriveGraph makes the graph the services' dependencies describe: a node
// per service and per external dependency, an edge per dependency.
func deriveGraph(svcs []*service) *graph {
	g := &graph{}
	ids := map[string]bool{}
	add := func(label string, svc *service) *gnode {
		if n := g.node(nameKey(label)); n != nil {
			return n
		}
		id := identifier(label)
		for i := 2; ids[id]; i++ {
			id = identifier(label) + strconv.Itoa(i)
		}
		ids[id] = true
		n := &gnode{ID: id, Label: label, svc: svc}
		if svc == nil {
			n.store = storeWord.MatchString(label)
		}
		g.addNode(n)
		return n
	}
	for _, s := range svcs {
		add(s.Name, s)
	}
	for _, s := range svcs {
		from := g.node(nameKey(s.Name))
		for _, d := range s.Deps {
			target := findService(svcs, d.Name)
			var to *gnode
			if target != nil {
				to = g.node(nameKey(target.Name))
			} else {
				to = add(d.Name, nil)
			}
			if to == from {
				continue
			}
			label := d.Protocol
			if label == "" {
				label = defaultProtocol(to)
			}
			dup := false
			for _, e := range g.edges {
				if e.from == from && e.to == to {
					dup = true
				}
			}
			if !dup {
				g.edges = append(g.edges, &gedge{from: from, to: to, label: label, streaming: d.Streaming})
			}
		}
	}
	return g
}

// defaultProtocol is the protocol of a dependency the spec leaves unsaid:
// gRPC between services (the convention's internal protocol), the store's
// own protocol for known infrastructure, else none.
func defaultProtocol(to *gnode) string {
	if to.svc != nil {
		return "gRPC"
	}
	l := strings.ToLower(to.Label)
	switch {
	case strings.Contains(l, "kafka"):
		return "Kafka"
	case strings.Contains(l, "rabbit"):
		return "AMQP"
	case strings.Contains(l, "nats"):
		return "NATS"
	case strings.Contains(l, "redis"):
		return "Redis"
	case strings.Contains(l, "postgres"), strings.Contains(l, "mysql"), strings.Contains(l, "sql"):
		return "SQL"
	case strings.Contains(l, "mongo"):
		return "MongoDB"
	}
	return ""
}
