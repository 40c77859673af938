package arch

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// DepGraph is a mermaid diagram of a tech spec, parsed.
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

// OK returns the graph when it parsed completely, else nil.
func (g *DepGraph) OK() *mermaid.Graph {
	if g == nil || g.Err != nil {
		return nil
	}
	return g.Graph
}

// Flowcharts returns every ```mermaid block of d that declares a flowchart,
// parsed.
func Flowcharts(d *spec.Document) []*DepGraph {
	var out []*DepGraph
	for _, b := range d.Code {
		if b.Lang != "mermaid" {
			continue
		}
		src := d.Slice(b.Content)
		kind, _ := mermaid.KindString(src)
		if kind != "flowchart" {
			continue
		}
		out = append(out, parseGraph(b, src, kind))
	}
	return out
}

func parseGraph(b *spec.CodeBlock, src string, kind string) *DepGraph {
	g, se := parsed(src)
	return &DepGraph{Block: b, Graph: g, Kind: kind, Err: se}
}

// recentGraphs are the last graphs parsed, by their source: a check, the
// fixes' generators and the next round of fix-all read the same diagram,
// and a graph of 100,000 edges takes a while to parse (issue 16). Graphs
// are never changed once parsed, so they may be shared; their spans are
// relative to the source, so any block with that text can use them.
var recentGraphs struct {
	sync.Mutex
	entries [2]recentGraph
	next    int
}

type recentGraph struct {
	src   string
	g     *mermaid.Graph
	err   *mermaid.SyntaxError
	names *lazyNames // the graph's names (UseGraph), built on first use
}

// minCached is the source size from which a parsed graph is kept: tiny
// diagrams parse about as fast as they are compared. A 78-line graph took
// 175 µs to parse, 8 % of a language server's check on each keystroke,
// against a compare that is free when the lengths differ.
const minCached = 1 << 10

func parsed(src string) (*mermaid.Graph, *mermaid.SyntaxError) {
	if len(src) >= minCached {
		recentGraphs.Lock()
		for _, e := range recentGraphs.entries {
			if e.g != nil && e.src == src {
				recentGraphs.Unlock()
				return e.g, e.err
			}
		}
		recentGraphs.Unlock()
	}
	g, err := mermaid.ParseString(src)
	se, _ := err.(*mermaid.SyntaxError)
	if len(src) >= minCached {
		recentGraphs.Lock()
		recentGraphs.entries[recentGraphs.next] = recentGraph{src, g, se, &lazyNames{}}
		recentGraphs.next = (recentGraphs.next + 1) % len(recentGraphs.entries)
		recentGraphs.Unlock()
	}
	return g, se
}

// DependencyGraph returns the service dependency graph of a tech spec: the
// first ```mermaid block under a heading such as "Service Dependency Graph"
// (whatever diagram it declares), else the document's first mermaid
// flowchart; nil when there is none.
func DependencyGraph(d *spec.Document) *DepGraph {
	return PickGraph(d, Flowcharts(d))
}

// PickGraph chooses the dependency graph among a document's flowcharts.
func PickGraph(d *spec.Document, flowcharts []*DepGraph) *DepGraph {
	for _, b := range d.Code {
		if b.Lang != "mermaid" || b.Section == nil || !IsGraphHeading(b.Section.Title) {
			continue
		}
		for _, g := range flowcharts {
			if g.Block == b {
				return g
			}
		}
		src := d.Slice(b.Content)
		kind, _ := mermaid.KindString(src)
		return parseGraph(b, src, kind)
	}
	if len(flowcharts) > 0 {
		return flowcharts[0]
	}
	return nil
}

// IsGraphHeading reports whether a heading names the dependency graph's
// section ("Service Dependency Graph", "Topology").
func IsGraphHeading(title string) bool {
	return Mentions(spec.Normalize(title), graphHeadingWords)
}

// IsInfrastructure reports whether a name (a node label or ID) names
// infrastructure, a client or an external system.
func IsInfrastructure(names ...string) bool {
	for _, n := range names {
		if mentionsWords(n, infraTable()) {
			return true
		}
	}
	return false
}

// IsDataStore reports whether a graph node is a data store: a cylinder, or
// named like one.
func IsDataStore(n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	if n.Shape == "cylinder" {
		return true
	}
	return NamesDataStore(n.Label) || NamesDataStore(n.ID)
}

// NamesDataStore reports whether a name names a data store ("Orders DB").
func NamesDataStore(name string) bool { return mentionsWords(name, dataStoreTable()) }

// IsPassive reports whether a node is a data store or a broker: it never
// calls anything.
func IsPassive(n *mermaid.Node) bool {
	if n == nil {
		return false
	}
	return IsDataStore(n) || mentionsWords(n.Label, passiveTable()) || mentionsWords(n.ID, passiveTable())
}

// ServiceLike reports whether a node is named like a service: its label or
// ID has a service word (service, svc, worker, consumer, ...), it is not
// infrastructure, and it is not marked as outside the feature.
func ServiceLike(n *mermaid.Node) bool {
	// Each name split once for both tables: the rules ask this of every
	// node of the graph.
	label, id := mentionsTables(n.Label, infraTable(), serviceTable()), mentionsTables(n.ID, infraTable(), serviceTable())
	if label&1 != 0 || id&1 != 0 || Mentions(spec.Normalize(n.Label), outsideWords) {
		return false
	}
	return label&2 != 0 || id&2 != 0
}

// NodeService returns the service a graph node stands for (NamesNode), or
// nil.
func NodeService(n *mermaid.Node, services []*Service) *Service {
	if n == nil {
		return nil
	}
	ik, lk := KeyVariants(n.ID), KeyVariants(n.Label)
	for _, s := range services {
		if strings.EqualFold(strings.TrimSpace(s.Name), n.ID) {
			return s
		}
		vs := s.Variants()
		if variantsMeet(vs, ik) || variantsMeet(vs, lk) {
			return s
		}
	}
	return nil
}

// ProtocolOf names the protocol family a label or cell states ("gRPC",
// "REST", "Kafka", "AMQP", ...), or "" when it names none.
func ProtocolOf(s string) string {
	// Whole-word matches in the normalised text, without padding copies:
	// the rules ask this for every edge label and matrix cell.
	n := spec.Normalize(s)
	for _, p := range protocolWords {
		for _, w := range p.words {
			found := false
			WordMatches(n, w, func(int, int) bool { found = true; return false })
			if found {
				return p.name
			}
		}
	}
	return ""
}

// SyncProtocol reports whether a protocol family is a synchronous call.
func SyncProtocol(p string) bool { return syncFamilies[p] }

// AsyncProtocol reports whether a protocol family is messaging.
func AsyncProtocol(p string) bool { return asyncFamilies[p] }

// MessagingPattern reports whether a protocol label is publish/subscribe
// messaging ("Kafka", "events", "SQS queue").
func MessagingPattern(label string) bool {
	// The generators ask this of every edge: an ASCII label is searched
	// for the regexp's words directly (TestMessagingPatternFast).
	var arr [64]byte
	if len(label) > len(arr) {
		return messagingPattern.MatchString(label)
	}
	b := arr[:len(label)]
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c >= utf8.RuneSelf {
			return messagingPattern.MatchString(label) // (?i) folds K and ſ too
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	for _, w := range messagingWords {
		if bytes.Contains(b, w) {
			return true
		}
	}
	// pub.?sub: "." is any character but a line break.
	for i := 0; i+6 <= len(b); i++ {
		if string(b[i:i+3]) != "pub" {
			continue
		}
		if string(b[i+3:i+6]) == "sub" || i+7 <= len(b) && b[i+3] != '\n' && string(b[i+4:i+7]) == "sub" {
			return true
		}
	}
	return false
}

// messagingWords are messagingPattern's plain words.
var messagingWords = [][]byte{[]byte("kafka"), []byte("rabbit"), []byte("amqp"), []byte("nats"), []byte("sqs"), []byte("sns"), []byte("event"), []byte("async"), []byte("queue"), []byte("topic")}

// InfraProtocol is the protocol of an edge to infrastructure the spec
// leaves unsaid, from the target's label ("Kafka", "SQL"), or "".
func InfraProtocol(label string) string {
	l := strings.ToLower(label)
	for _, p := range infraProtocols {
		if strings.Contains(l, p.sub) {
			return p.protocol
		}
	}
	return ""
}
