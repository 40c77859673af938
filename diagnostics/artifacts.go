package diagnostics

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// This file reads the analysis artifacts of a tech spec that Gates A, B, C,
// D and F check: the services of Service Definitions, the mermaid service
// dependency graph, the Communication Matrix, the Data Ownership table and
// the libraries. The exported functions are pure functions of a document
// and are what the code-action generators reuse; the engine parses each
// artifact once per Check (Context.artifacts).

// Service is one "### <Service>" heading under "## Service Definitions".
type Service struct {
	Name    string        // the heading text
	Key     string        // ServiceKey(Name): "auth" for "Auth Service"
	Section *spec.Section // the service's section
	// variants are keyVariants(Name), kept because graph matching asks for
	// them for every node.
	variants []string
}

// Services returns the services a tech spec defines: the headings one level
// below the "Service Definitions" section, in order, and that section (nil
// when the document has none). Headings that introduce shared material
// ("Overview", "Shared Concerns") are not services.
func Services(d *spec.Document) ([]*Service, *spec.Section) {
	sec := findSection(d, "service definitions", "services")
	if sec == nil {
		return nil, nil
	}
	var out []*Service
	for _, h := range sec.Children {
		if genericHeading(h.Title) {
			continue
		}
		out = append(out, &Service{Name: h.Title, Key: ServiceKey(h.Title), Section: h, variants: keyVariants(h.Title)})
	}
	return out, sec
}

// genericHeading reports headings under Service Definitions that are not
// services.
func genericHeading(title string) bool {
	n := normalize(title)
	if mentions(n, []string{"service", "services", "svc", "worker", "api", "gateway"}) {
		return false
	}
	return mentions(n, []string{"overview", "summary", "shared", "common", "cross cutting", "conventions", "notes", "template", "patterns", "libraries", "glossary"})
}

// normalize is spec.Normalize, named here for brevity.
func normalize(s string) string { return spec.Normalize(s) }

// ServiceKey folds a service or node name for matching: camelCase split,
// parenthesised asides dropped, lower-cased, a trailing "service"/"svc"
// dropped, the words joined. "Auth Service", "auth-service", "AuthService"
// and "auth_svc" all give "auth".
func ServiceKey(name string) string {
	words := trimServiceWord(nameWords(name))
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	return strings.Join(words, "")
}

// nameWords splits a name into lower-case words: camelCase and digits
// apart, parentheses and their content dropped, punctuation as spaces.
func nameWords(name string) []string {
	// One buffer, lower-cased as it is written, split on the spaces put in
	// it: the rules split every name of the graph, matrix, ownership and
	// phases, on every keystroke.
	buf := make([]byte, 0, len(name)+8)
	depth := 0
	var prev rune
	for _, r := range name {
		switch {
		case r == '(' || r == '[':
			depth++
			buf = append(buf, ' ')
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			buf = append(buf, ' ')
		case depth > 0:
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			buf = append(buf, byte(r))
		case 'A' <= r && r <= 'Z':
			if 'a' <= prev && prev <= 'z' || prev >= utf8.RuneSelf && unicode.IsLower(prev) {
				buf = append(buf, ' ')
			}
			buf = append(buf, byte(r)+'a'-'A')
		case r < utf8.RuneSelf:
			buf = append(buf, ' ')
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			buf = append(buf, ' ')
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			buf = append(buf, ' ')
		}
		prev = r
	}
	var words []string
	all := string(buf)
	for i := 0; i < len(all); {
		for i < len(all) && all[i] == ' ' {
			i++
		}
		j := i
		for j < len(all) && all[j] != ' ' {
			j++
		}
		if j > i {
			words = append(words, all[i:j])
		}
		i = j
	}
	if len(words) == 0 && depth == 0 {
		// A name that is all parenthesis: keep its words.
		return strings.Fields(normalize(name))
	}
	return words
}

// nameForms returns the normalised phrases by which text may mention a
// named thing: "auth service" and "auth" for "Auth Service".
func nameForms(names ...string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, n := range names {
		words := nameWords(n)
		add(strings.Join(words, " "))
		add(normalize(n))
		for len(words) > 1 {
			switch words[len(words)-1] {
			case "service", "services", "svc", "microservice":
				words = words[:len(words)-1]
				add(strings.Join(words, " "))
				continue
			}
			break
		}
		if k := ServiceKey(n); k != "" {
			add(k)
		}
	}
	return out
}

// mentions reports whether normalised text holds one of the normalised
// phrases as whole words.
func mentions(text string, forms []string) bool {
	return mentionAt(text, forms) >= 0
}

// mentionAt returns the byte offset in normalised text of the first whole
// word match of any phrase, or -1.
func mentionAt(text string, forms []string) int {
	best := -1
	for _, f := range forms {
		wordMatches(text, f, func(i, _ int) bool {
			if best < 0 || i < best {
				best = i
			}
			return false
		})
	}
	return best
}

// wordMatches calls fn with the start and end of each whole-word match of
// phrase f in normalised text (words are separated by single spaces),
// until fn returns false.
func wordMatches(text, f string, fn func(start, end int) bool) {
	if f == "" {
		return
	}
	for from := 0; ; {
		i := strings.Index(text[from:], f)
		if i < 0 {
			return
		}
		i += from
		end := i + len(f)
		if (i == 0 || text[i-1] == ' ') && (end == len(text) || text[end] == ' ') && !fn(i, end) {
			return
		}
		from = i + 1
	}
}

// findSection returns the first heading whose normalised title equals one
// of names, else the first that contains one as whole words.
func findSection(d *spec.Document, names ...string) *spec.Section {
	for _, n := range names {
		for _, h := range d.Headings {
			if h.Key == n {
				return h
			}
		}
	}
	for _, n := range names {
		for _, h := range d.Headings {
			if mentions(h.Key, []string{n}) {
				return h
			}
		}
	}
	return nil
}

// findSectionContaining returns the first heading whose normalised title
// holds one of the words as a whole word.
func findSectionContaining(d *spec.Document, words ...string) *spec.Section {
	for _, h := range d.Headings {
		if mentions(h.Key, words) {
			return h
		}
	}
	return nil
}

// DepGraph is the mermaid service dependency graph of a tech spec.
type DepGraph struct {
	Block *spec.CodeBlock
	// Graph holds what parsed (all of it when Err is nil). Its spans are
	// relative to the block's content: use Span to map them.
	Graph *mermaid.Graph
	Err   *mermaid.SyntaxError
	// Kind is the diagram type the block declares ("flowchart" for a graph).
	Kind string
}

// Span maps a span of the graph into the document.
func (g *DepGraph) Span(s spec.Span) spec.Span {
	o := g.Block.Content.Start
	return spec.Span{Start: o + s.Start, End: o + s.End}
}

// Flowcharts returns every ```mermaid block of d that declares a flowchart,
// parsed.
func Flowcharts(d *spec.Document) []*DepGraph {
	var out []*DepGraph
	for _, b := range d.Code {
		if b.Lang != "mermaid" {
			continue
		}
		src := []byte(d.Slice(b.Content))
		kind, _ := mermaid.Kind(src)
		if kind != "flowchart" {
			continue
		}
		out = append(out, parseGraph(b, src, kind))
	}
	return out
}

func parseGraph(b *spec.CodeBlock, src []byte, kind string) *DepGraph {
	g, err := mermaid.Parse(src)
	dg := &DepGraph{Block: b, Graph: g, Kind: kind}
	if se, ok := err.(*mermaid.SyntaxError); ok {
		dg.Err = se
	}
	return dg
}

// DependencyGraph returns the service dependency graph of a tech spec: the
// first ```mermaid block under a heading such as "Service Dependency Graph"
// (whatever diagram it declares), else the document's first mermaid
// flowchart; nil when there is none.
func DependencyGraph(d *spec.Document) *DepGraph {
	return pickGraph(d, Flowcharts(d))
}

// pickGraph chooses the dependency graph among a document's flowcharts.
func pickGraph(d *spec.Document, flowcharts []*DepGraph) *DepGraph {
	for _, b := range d.Code {
		if b.Lang != "mermaid" || b.Section == nil || !isGraphHeading(b.Section.Title) {
			continue
		}
		for _, g := range flowcharts {
			if g.Block == b {
				return g
			}
		}
		src := []byte(d.Slice(b.Content))
		kind, _ := mermaid.Kind(src)
		return parseGraph(b, src, kind)
	}
	if len(flowcharts) > 0 {
		return flowcharts[0]
	}
	return nil
}

func isGraphHeading(title string) bool {
	n := normalize(title)
	return mentions(n, []string{"dependency graph", "dependencies graph", "service graph", "service topology", "topology", "architecture diagram", "service map"})
}

// MatrixRow is one row of the Communication Matrix.
type MatrixRow struct {
	From, To, Protocol, Pattern spec.Cell
	Span                        spec.Span // the row's line, trimmed
}

// Matrix returns the rows of the Communication Matrix: every table whose
// header has From and To columns (or Source/Target, Caller/Callee). It
// returns the tables found too (nil when none).
func Matrix(d *spec.Document) ([]MatrixRow, []*spec.Table) {
	var rows []MatrixRow
	var tables []*spec.Table
	for _, t := range d.Tables {
		hk := headerKeys(t)
		from := column(hk, "from", "source", "caller", "producer", "client")
		to := column(hk, "to", "target", "callee", "consumer", "server")
		if from < 0 || to < 0 {
			continue
		}
		tables = append(tables, t)
		proto := column(hk, "protocol", "transport", "protocol transport", "via")
		pattern := column(hk, "pattern", "style", "interaction", "communication pattern")
		for _, r := range t.Rows {
			mr := MatrixRow{From: cellAt(r, from), To: cellAt(r, to), Protocol: cellAt(r, proto), Pattern: cellAt(r, pattern), Span: rowSpan(d, r)}
			if mr.From.Text == "" && mr.To.Text == "" {
				continue
			}
			rows = append(rows, mr)
		}
	}
	return rows, tables
}

// OwnershipRow is one row of the Data Ownership table. A row may name
// several services ("Auth, Profile"): they share its database.
type OwnershipRow struct {
	Service, Database, Domain spec.Cell
	Services                  []string // the names in the Service cell
	Span                      spec.Span
}

// Ownership returns the rows of the Data Ownership tables: tables with a
// Service column and a Database (or Data Store) column.
func Ownership(d *spec.Document) ([]OwnershipRow, []*spec.Table) {
	var rows []OwnershipRow
	var tables []*spec.Table
	for _, t := range d.Tables {
		hk := headerKeys(t)
		svc := column(hk, "service", "owner", "owning service", "owner service")
		db := column(hk, "database", "data store", "datastore", "store", "db", "storage")
		if svc < 0 || db < 0 {
			continue
		}
		tables = append(tables, t)
		dom := column(hk, "data domain", "domain", "data", "owns", "entities")
		for _, r := range t.Rows {
			or := OwnershipRow{Service: cellAt(r, svc), Database: cellAt(r, db), Domain: cellAt(r, dom), Span: rowSpan(d, r)}
			if or.Service.Text == "" {
				continue
			}
			or.Services = splitNames(or.Service.Text)
			rows = append(rows, or)
		}
	}
	return rows, tables
}

var nameSeparators = strings.NewReplacer(" and ", ",", "&", ",", "/", ",", ";", ",", "+", ",")

// splitNames splits "Auth, Profile & Billing" into names.
func splitNames(s string) []string {
	s = nameSeparators.Replace(s)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func cellAt(r []spec.Cell, i int) spec.Cell {
	if i < 0 || i >= len(r) {
		return spec.Cell{}
	}
	return r[i]
}

// rowSpan returns a table row's line without indentation or line break.
func rowSpan(d *spec.Document, r []spec.Cell) spec.Span {
	if len(r) == 0 {
		return spec.Span{}
	}
	return trimmedLine(d.Text, r[0].Span.Start)
}

// lineOf returns the line holding off, without its line break.
func lineOf(src []byte, off int) spec.Span { return spec.LineAt(src, off) }

// trimmedLine is lineOf without leading and trailing blanks (a BOM too).
func trimmedLine(src []byte, off int) spec.Span {
	l := lineOf(src, off)
	if l.Start == 0 && len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.Start = 3
	}
	for l.Start < l.End && (src[l.Start] == ' ' || src[l.Start] == '\t') {
		l.Start++
	}
	for l.End > l.Start && (src[l.End-1] == ' ' || src[l.End-1] == '\t') {
		l.End--
	}
	return l
}

// Protocol families, for comparing an edge label with a matrix cell.
const (
	protoGRPC  = "gRPC"
	protoREST  = "REST"
	protoKafka = "Kafka"
)

// ProtocolOf names the protocol family a label or cell states ("gRPC",
// "REST", "Kafka", "AMQP", ...), or "" when it names none.
func ProtocolOf(s string) string {
	n := " " + normalize(s) + " "
	for _, p := range protocolWords {
		for _, w := range p.words {
			if strings.Contains(n, " "+w+" ") {
				return p.name
			}
		}
	}
	return ""
}

var protocolWords = []struct {
	name  string
	words []string
}{
	{protoGRPC, []string{"grpc", "grpc web", "protobuf"}},
	{protoKafka, []string{"kafka", "kafka topic", "aiokafka"}},
	{"AMQP", []string{"amqp", "rabbitmq", "rabbit"}},
	{"NATS", []string{"nats", "jetstream"}},
	{"SQS", []string{"sqs", "sns"}},
	{"GraphQL", []string{"graphql"}},
	{"WebSocket", []string{"websocket", "websockets", "ws", "wss"}},
	{protoREST, []string{"rest", "http", "https", "openapi", "json http", "webhook", "webhooks"}},
	{"SQL", []string{"sql", "asyncpg", "postgres", "postgresql", "tcp"}},
	{"Redis", []string{"redis", "resp"}},
}

// syncProtocol reports whether a protocol family is a synchronous call.
func syncProtocol(p string) bool { return p == protoGRPC || p == protoREST || p == "GraphQL" }

// asyncProtocol reports whether a protocol family is messaging.
func asyncProtocol(p string) bool {
	return p == protoKafka || p == "AMQP" || p == "NATS" || p == "SQS"
}

// infraWords mark a node or name as infrastructure, a client or an external
// system rather than a service of the spec.
var infraWords = []string{
	"kafka", "redis", "postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "cassandra", "dynamodb",
	"elasticsearch", "opensearch", "rabbitmq", "nats", "sqs", "sns", "s3", "minio", "gcs", "blob", "memcached", "clickhouse",
	"bigquery", "snowflake", "db", "database", "databases", "cache", "queue", "queues", "topic", "topics", "bus", "stream", "streams",
	"broker", "storage", "bucket", "vault", "etcd", "consul", "zookeeper", "gateway", "ingress", "load balancer", "lb", "cdn",
	"kong", "traefik", "envoy", "nginx", "istio", "linkerd", "external", "third party", "3rd party", "stripe", "twilio",
	"sendgrid", "firebase", "apns", "fcm", "openai", "llm", "client", "clients", "browser", "mobile", "web app", "frontend",
	"spa", "ui", "prometheus", "grafana", "jaeger", "tempo", "loki", "otel", "collector", "sentry",
	"idp", "identity provider", "auth0", "okta", "keycloak", "smtp", "provider", "psp", "warehouse", "data lake", "lake",
	"cron", "scheduler", "k8s", "kubernetes", "registry", "schema registry", "event store", "event stream", "event bus",
	"webhook", "partner", "bank",
}

// outsideWords mark a node as a system outside the feature, even in
// parentheses: "Order Service (existing)".
var outsideWords = []string{"existing", "legacy", "external", "upstream", "third party", "3rd party", "outside", "partner"}

// passiveWords mark a node that never calls anything: a data store or a
// broker. An edge out of one ("Events --> Billing") is data flowing to a
// consumer, which depends on it, not the other way round.
var passiveWords = []string{"kafka", "rabbitmq", "nats", "sqs", "sns", "topic", "topics", "queue", "queues", "bus", "stream",
	"streams", "broker", "events", "event stream", "event bus", "event store", "pubsub", "pub sub"}

// dataStoreWords mark a node as a data store: edges to it are data access,
// not communication the matrix must list.
var dataStoreWords = []string{"postgres", "postgresql", "pg", "mysql", "mariadb", "mongo", "mongodb", "cassandra", "dynamodb",
	"elasticsearch", "opensearch", "s3", "minio", "gcs", "blob", "memcached", "clickhouse", "bigquery", "snowflake", "db",
	"database", "databases", "cache", "redis", "storage", "bucket", "warehouse", "lake", "data lake", "store", "datastore"}

// IsInfrastructure reports whether a name (a node label or ID) names
// infrastructure, a client or an external system.
func IsInfrastructure(names ...string) bool {
	for _, n := range names {
		if mentions(strings.Join(nameWords(n), " "), infraWords) {
			return true
		}
	}
	return false
}

// isDataStore reports whether a graph node is a data store.
func isDataStore(n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	if n.Shape == "cylinder" {
		return true
	}
	return mentions(strings.Join(nameWords(n.Label), " "), dataStoreWords) || mentions(strings.Join(nameWords(n.ID), " "), dataStoreWords)
}

// isPassive reports whether a node is a data store or a broker.
func isPassive(n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	return isDataStore(n) || mentions(strings.Join(nameWords(n.Label), " "), passiveWords) || mentions(strings.Join(nameWords(n.ID), " "), passiveWords)
}

// serviceLike reports whether a node is named like a service: its label or
// ID has the word "service" (or svc, microservice, worker, consumer) and
// it is not infrastructure.
func serviceLike(n *mermaid.Node) bool {
	if IsInfrastructure(n.Label, n.ID) || mentions(normalize(n.Label), outsideWords) {
		return false
	}
	for _, s := range []string{n.Label, n.ID} {
		if mentions(strings.Join(nameWords(s), " "), []string{"service", "services", "svc", "microservice", "worker", "consumer", "processor", "daemon"}) {
			return true
		}
	}
	return false
}

// NodeService returns the service a graph node stands for, or nil: by
// ServiceKey of the node's ID or label.
func NodeService(n *mermaid.Node, services []*Service) *Service {
	if n == nil {
		return nil
	}
	ik, lk := keyVariants(n.ID), keyVariants(n.Label)
	for _, s := range services {
		vs := s.variants
		if vs == nil {
			vs = keyVariants(s.Name)
		}
		for _, v := range vs {
			if contains(ik, v) || contains(lk, v) {
				return s
			}
		}
	}
	return nil
}

// qualifierWords may lead or end a service name without changing which
// service it is: "API Gateway" ~ "Gateway", "Orders API" ~ "Orders".
var qualifierWords = map[string]bool{"api": true, "core": true, "backend": true, "internal": true, "grpc": true, "http": true, "rest": true, "main": true, "app": true, "server": true}

// KeyVariants returns ServiceKey(name) and the keys with qualifier words
// ("api", "core", ...) dropped from either end: two names stand for the same
// service when their variants meet. The fix generators match with it.
func KeyVariants(name string) []string { return keyVariants(name) }

// keyVariants returns ServiceKey(name) and the keys with qualifier words
// dropped from either end.
func keyVariants(name string) []string {
	words := trimServiceWord(nameWords(name))
	out := []string{strings.Join(words, "")}
	w := words
	for len(w) > 1 && qualifierWords[w[0]] {
		w = w[1:]
		out = append(out, strings.Join(w, ""))
	}
	w = words
	for len(w) > 1 && qualifierWords[w[len(w)-1]] {
		w = w[:len(w)-1]
		out = append(out, strings.Join(w, ""))
	}
	return out
}

// trimServiceWord drops trailing words that only say "service".
func trimServiceWord(words []string) []string {
	for len(words) > 1 {
		switch words[len(words)-1] {
		case "service", "services", "svc", "microservice", "ms":
			words = words[:len(words)-1]
			continue
		}
		break
	}
	return words
}

// isPassive is the package's isPassive, memoised for one Check: the rules
// of Gate F ask it for both ends of every edge.
func (a *analysis) isPassive(n *mermaid.Node) bool {
	if v, ok := a.passiveMemo[n]; ok {
		return v
	}
	v := isPassive(n)
	if a.passiveMemo == nil {
		a.passiveMemo = map[*mermaid.Node]bool{}
	}
	a.passiveMemo[n] = v
	return v
}

// keyVariants is the package's keyVariants, memoised for one Check: table
// rows are matched against every graph node.
func (a *analysis) keyVariants(name string) []string {
	if v, ok := a.variantMemo[name]; ok {
		return v
	}
	v := keyVariants(name)
	if a.variantMemo == nil {
		a.variantMemo = map[string][]string{}
	}
	a.variantMemo[name] = v
	return v
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x && x != "" {
			return true
		}
	}
	return false
}

// nodeMatches reports whether a matrix or ownership cell names node n.
func (a *analysis) nodeMatches(cell string, n *mermaid.Node) bool {
	if strings.EqualFold(strings.TrimSpace(cell), n.ID) {
		return true
	}
	ik, lk := a.keyVariants(n.ID), a.keyVariants(n.Label)
	for _, v := range a.keyVariants(cell) {
		if contains(ik, v) || contains(lk, v) {
			return true
		}
	}
	return false
}

// sectionText returns the normalised text of a section (subsections
// included), code blocks left out.
func sectionText(d *spec.Document, s *spec.Section) string {
	if s == nil {
		return ""
	}
	return normalize(textOutsideCode(d, s.Body()))
}

// textOutsideCode returns the text of span with fenced code blocks blanked.
func textOutsideCode(d *spec.Document, span spec.Span) string {
	b := []byte(d.Slice(span))
	for _, c := range d.Code {
		if c.Span.End <= span.Start || c.Span.Start >= span.End {
			continue
		}
		s, e := max(c.Span.Start, span.Start)-span.Start, min(c.Span.End, span.End)-span.Start
		for i := s; i < e; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// minSeverity reports whether code is reported at warning or above.

// headerKeys returns the normalised header texts of a table.
func headerKeys(t *spec.Table) []string {
	out := make([]string, len(t.Header))
	for i, h := range t.Header {
		out[i] = normalize(h.Text)
	}
	return out
}

// column returns the index of the first header equal to one of names
// (already normalised), or -1.
func column(keys []string, names ...string) int {
	for i, k := range keys {
		for _, n := range names {
			if k == n {
				return i
			}
		}
	}
	return -1
}
