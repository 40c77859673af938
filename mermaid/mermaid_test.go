package mermaid

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/spec"
)

// show renders a graph with the text each span covers, so that a test
// reads like the diagram and pins every span exactly.
func show(src string, g *Graph) string {
	var sb strings.Builder
	cut := func(s spec.Span) string { return src[s.Start:s.End] }
	fmt.Fprintf(&sb, "dir %s\n", g.Direction)
	for _, n := range g.Nodes {
		fmt.Fprintf(&sb, "node %s %s %q «%s» label«%s» refs %d\n", n.ID, n.Shape, n.Label, cut(n.Span), cut(n.LabelSpan), len(n.Refs))
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&sb, "edge %s %s %s %q «%s» arrow«%s» label«%s»\n", e.From, e.Arrow, e.To, e.Label, cut(e.Span), cut(e.ArrowSpan), cut(e.LabelSpan))
	}
	for _, s := range g.Subgraphs {
		fmt.Fprintf(&sb, "subgraph %s %q %v «%s»\n", s.ID, s.Title, s.Nodes, strings.SplitN(cut(s.Span), "\n", 2)[0])
	}
	return sb.String()
}

func TestParse(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"seed example", `graph TD
  Gateway[API Gateway] -->|gRPC| Auth[Auth Service]
  Gateway -->|gRPC| Chat[Chat Service]
  Chat -->|gRPC| Agent[Agent Service]
  Chat -->|Kafka| Events[Event Stream]
`, `dir TD
node Gateway rect "API Gateway" «Gateway[API Gateway]» label«API Gateway» refs 2
node Auth rect "Auth Service" «Auth[Auth Service]» label«Auth Service» refs 1
node Chat rect "Chat Service" «Chat[Chat Service]» label«Chat Service» refs 3
node Agent rect "Agent Service" «Agent[Agent Service]» label«Agent Service» refs 1
node Events rect "Event Stream" «Events[Event Stream]» label«Event Stream» refs 1
edge Gateway --> Auth "gRPC" «Gateway[API Gateway] -->|gRPC| Auth[Auth Service]» arrow«-->|gRPC|» label«gRPC»
edge Gateway --> Chat "gRPC" «Gateway -->|gRPC| Chat[Chat Service]» arrow«-->|gRPC|» label«gRPC»
edge Chat --> Agent "gRPC" «Chat -->|gRPC| Agent[Agent Service]» arrow«-->|gRPC|» label«gRPC»
edge Chat --> Events "Kafka" «Chat -->|Kafka| Events[Event Stream]» arrow«-->|Kafka|» label«Kafka»
`},
		{"shapes", `flowchart LR
  A[Rect] --> B(Round)
  C{Decide} --> D[(Orders DB)]
  E((Hub)) --> F([Stadium])
  G[[Sub]] --> H{{Hex}}
  I>Flag] --> J[/Para/]
  K[/Trap\] --> L(((Double)))
  M["Quoted (with) [brackets]"] --> N@{ shape: cyl, label: "Ledger" }
`, `dir LR
node A rect "Rect" «A[Rect]» label«Rect» refs 1
node B round "Round" «B(Round)» label«Round» refs 1
node C diamond "Decide" «C{Decide}» label«Decide» refs 1
node D cylinder "Orders DB" «D[(Orders DB)]» label«Orders DB» refs 1
node E circle "Hub" «E((Hub))» label«Hub» refs 1
node F stadium "Stadium" «F([Stadium])» label«Stadium» refs 1
node G subroutine "Sub" «G[[Sub]]» label«Sub» refs 1
node H hexagon "Hex" «H{{Hex}}» label«Hex» refs 1
node I asymmetric "Flag" «I>Flag]» label«Flag» refs 1
node J parallelogram "Para" «J[/Para/]» label«Para» refs 1
node K trapezoid "Trap" «K[/Trap\]» label«Trap» refs 1
node L doublecircle "Double" «L(((Double)))» label«Double» refs 1
node M rect "Quoted (with) [brackets]" «M["Quoted (with) [brackets]"]» label«Quoted (with) [brackets]» refs 1
node N cylinder "Ledger" «N@{ shape: cyl, label: "Ledger" }» label«"Ledger"» refs 1
edge A --> B "" «A[Rect] --> B(Round)» arrow«-->» label«»
edge C --> D "" «C{Decide} --> D[(Orders DB)]» arrow«-->» label«»
edge E --> F "" «E((Hub)) --> F([Stadium])» arrow«-->» label«»
edge G --> H "" «G[[Sub]] --> H{{Hex}}» arrow«-->» label«»
edge I --> J "" «I>Flag] --> J[/Para/]» arrow«-->» label«»
edge K --> L "" «K[/Trap\] --> L(((Double)))» arrow«-->» label«»
edge M --> N "" «M["Quoted (with) [brackets]"] --> N@{ shape: cyl, label: "Ledger" }» arrow«-->» label«»
`},
		{"arrows and labels", `graph LR
A --- B
A -.-> C
A ==> D
A -- gRPC-web --> E
A -. async .-> F
A == hot path ==> G
A -->|REST| H
A --->|"Kafka: orders"| I
A <--> J
A --x K
A ~~~ L
A-->M
A -.- N
`, `dir LR
node A  "A" «A» label«A» refs 13
node B  "B" «B» label«B» refs 1
node C  "C" «C» label«C» refs 1
node D  "D" «D» label«D» refs 1
node E  "E" «E» label«E» refs 1
node F  "F" «F» label«F» refs 1
node G  "G" «G» label«G» refs 1
node H  "H" «H» label«H» refs 1
node I  "I" «I» label«I» refs 1
node J  "J" «J» label«J» refs 1
node K  "K" «K» label«K» refs 1
node L  "L" «L» label«L» refs 1
node M  "M" «M» label«M» refs 1
node N  "N" «N» label«N» refs 1
edge A --- B "" «A --- B» arrow«---» label«»
edge A -.-> C "" «A -.-> C» arrow«-.->» label«»
edge A ==> D "" «A ==> D» arrow«==>» label«»
edge A --> E "gRPC-web" «A -- gRPC-web --> E» arrow«-- gRPC-web -->» label«gRPC-web»
edge A -.-> F "async" «A -. async .-> F» arrow«-. async .->» label«async»
edge A ==> G "hot path" «A == hot path ==> G» arrow«== hot path ==>» label«hot path»
edge A --> H "REST" «A -->|REST| H» arrow«-->|REST|» label«REST»
edge A ---> I "Kafka: orders" «A --->|"Kafka: orders"| I» arrow«--->|"Kafka: orders"|» label«"Kafka: orders"»
edge A <--> J "" «A <--> J» arrow«<-->» label«»
edge A --x K "" «A --x K» arrow«--x» label«»
edge A ~~~ L "" «A ~~~ L» arrow«~~~» label«»
edge A --> M "" «A-->M» arrow«-->» label«»
edge A -.- N "" «A -.- N» arrow«-.-» label«»
`},
		{"chains, groups, subgraphs, comments, styling", `%%{init: {"theme": "dark"}}%%
flowchart TB
  %% the edge tier
  subgraph edge [Edge tier]
    gw[API Gateway]
  end
  subgraph "Core services"
    direction LR
    auth-service[Auth] & orders[Orders] --> pg[(PostgreSQL)]
  end
  gw --> auth-service --> orders -->|Kafka| bus[Event Bus]:::infra; bus --> edge
  classDef infra fill:#eee,stroke:#333
  class bus infra
  style gw fill:#f9f
  click gw "https://example.com" "Docs"
  linkStyle 0 stroke:#f00
`, `dir TB
node gw rect "API Gateway" «gw[API Gateway]» label«API Gateway» refs 2
node auth-service rect "Auth" «auth-service[Auth]» label«Auth» refs 2
node orders rect "Orders" «orders[Orders]» label«Orders» refs 2
node pg cylinder "PostgreSQL" «pg[(PostgreSQL)]» label«PostgreSQL» refs 1
node bus rect "Event Bus" «bus[Event Bus]:::infra» label«Event Bus» refs 2
edge auth-service --> pg "" «auth-service[Auth] & orders[Orders] --> pg[(PostgreSQL)]» arrow«-->» label«»
edge orders --> pg "" «orders[Orders] --> pg[(PostgreSQL)]» arrow«-->» label«»
edge gw --> auth-service "" «gw --> auth-service» arrow«-->» label«»
edge auth-service --> orders "" «auth-service --> orders» arrow«-->» label«»
edge orders --> bus "Kafka" «orders -->|Kafka| bus[Event Bus]:::infra» arrow«-->|Kafka|» label«Kafka»
edge bus --> edge "" «bus --> edge» arrow«-->» label«»
subgraph edge "Edge tier" [gw] «subgraph edge [Edge tier]»
subgraph Core services "Core services" [auth-service orders pg] «subgraph "Core services"»
`},
		{"semicolons, CRLF, no direction, unicode", "graph\r\nA[Zahlung 💳] --> B(支付);B-->C\r\n", `dir TB
node A rect "Zahlung 💳" «A[Zahlung 💳]» label«Zahlung 💳» refs 1
node B round "支付" «B(支付)» label«支付» refs 2
node C  "C" «C» label«C» refs 1
edge A --> B "" «A[Zahlung 💳] --> B(支付)» arrow«-->» label«»
edge B --> C "" «B-->C» arrow«-->» label«»
`},
		{"later declaration gives a bare node its shape", "graph TD\nA --> B\nB[Billing Service]\nB(Other)\n", `dir TD
node A  "A" «A» label«A» refs 1
node B rect "Billing Service" «B[Billing Service]» label«Billing Service» refs 3
edge A --> B "" «A --> B» arrow«-->» label«»
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v (at %v «%s»)", err, err.(*SyntaxError).Span, tc.src[err.(*SyntaxError).Span.Start:err.(*SyntaxError).Span.End])
			}
			if got := show(tc.src, g); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestSyntaxErrors pins the offending token of each error and the words of
// its message that tell the author what to write instead.
func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		src   string
		token string // the text the error span covers
		msg   string // a part of the message
	}{
		{"sequenceDiagram\nA->>B: hi\n", "sequenceDiagram", "not a flowchart"},
		{"grph TD\nA-->B\n", "grph", "unknown diagram type"},
		{"", "", "empty"},
		{"graph XY\nA-->B\n", "XY", "unknown direction"},
		{"graph TD\nA[Auth --> B\n", "[", "never closed"},
		{"graph TD\nA[Auth (v2)] --> B\n", "(", "must be quoted"},
		{"graph TD\nA -->\n", "-->", "no target"},
		{"graph TD\nA --> B C\n", "C", "expected a link"},
		{"graph TD\nA -- calls B\n", "--", "never closed"},
		{"graph TD\nA -->|gRPC B\n", "|", "never closed"},
		{"graph TD\nsubgraph core\nA --> B\n", "subgraph", "never closed"},
		{"graph TD\nA --> B\nend\n", "end", "without an open subgraph"},
		{"graph TD\n--> B\n", "-->", "needs a node before it"},
		{"graph TD\nA & --> B\n", "&", "needs a node after it"},
		{"graph TD\nA[\"unterminated] --> B\n", "\"", "quote"},
		{"graph TD\nA:::  --> B\n", ":::", "class name"},
		{"graph TD;\nA --> B\nsubgraph x [Title\nend\n", "[", "never closed"},
		{"graph TD\nA -- text -- B\n", "--", "does not close"},
	} {
		_, err := Parse([]byte(tc.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a *SyntaxError", tc.src, err)
			continue
		}
		if got := tc.src[se.Span.Start:se.Span.End]; got != tc.token || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = «%s» %q, want «%s» with %q", tc.src, got, se.Msg, tc.token, tc.msg)
		}
	}
}

func TestKind(t *testing.T) {
	for _, tc := range []struct{ src, kind string }{
		{"graph TD\nA-->B", "flowchart"},
		{"---\ntitle: Deps\n---\nflowchart LR\nA-->B", "flowchart"},
		{"%% c\nsequenceDiagram\n", "sequenceDiagram"},
		{"erDiagram\n", "erDiagram"},
		{"not a diagram", ""},
	} {
		if k, _ := Kind([]byte(tc.src)); k != tc.kind {
			t.Errorf("Kind(%q) = %q, want %q", tc.src, k, tc.kind)
		}
	}
}

func TestEdgeKinds(t *testing.T) {
	g, err := Parse([]byte("graph LR\nA --> B\nA --- C\nA -.-> D\nA ==> E\nA ~~~ F\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range g.Edges {
		got = append(got, fmt.Sprintf("%s:%v/%v", e.Arrow, e.Directed(), e.Dotted()))
	}
	want := "-->:true/false ---:false/false -.->:true/true ==>:true/false ~~~:false/false"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, " "), want)
	}
}

// FuzzParse: never panics; every span lies inside the source; an error
// span too. Run longer with: go test ./mermaid -run XXX -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"graph TD\n  Gateway[API Gateway] -->|gRPC| Auth[Auth Service]\n  Chat -->|Kafka| Events[Event Stream]\n",
		"flowchart LR\nA & B --> C --> D\nsubgraph x [T]\nE\nend\n%% c\nclassDef a fill:#fff\n",
		"graph TD\nA -- text --> B\nA -. t .-> C\nA == t ==> D\nA[(db)] --> E((c))\n",
		"graph TD\nA[\"q\"] --> B@{ shape: cyl }\n", "graph\r\nA-->B;B-->C", "graph TD\nA[x", "graph TD\nA --", "---\nt: 1\n---\ngraph",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		g, err := Parse([]byte(src))
		in := func(s spec.Span) bool { return s.Start >= 0 && s.Start <= s.End && s.End <= len(src) }
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || !in(se.Span) || se.Msg == "" {
				t.Fatalf("bad error %#v", err)
			}
		}
		if g == nil {
			t.Fatal("nil graph")
		}
		for _, n := range g.Nodes {
			if !in(n.Span) || !in(n.LabelSpan) || n.ID == "" || len(n.Refs) == 0 {
				t.Fatalf("bad node %+v", n)
			}
			for _, r := range n.Refs {
				if !in(r) || src[r.Start:r.End] != n.ID {
					t.Fatalf("ref %v of %s covers %q", r, n.ID, src[r.Start:r.End])
				}
			}
		}
		for _, e := range g.Edges {
			if !in(e.Span) || !in(e.ArrowSpan) || !in(e.LabelSpan) || e.Arrow == "" {
				t.Fatalf("bad edge %+v", e)
			}
			if g.Node(e.From) == nil && g.Subgraph(e.From) == nil || g.Node(e.To) == nil && g.Subgraph(e.To) == nil {
				t.Fatalf("edge %s->%s names an unknown node", e.From, e.To)
			}
		}
		for _, s := range g.Subgraphs {
			if !in(s.Span) {
				t.Fatalf("bad subgraph %+v", s)
			}
		}
	})
}

// TestConformance compares Parse with the real mermaid parser (v11.17) on
// the cases in testdata/conformance.jsonl: the verdicts were recorded with
// testdata/verdicts.mjs. A diagram mermaid renders must not be reported as
// invalid, and one it rejects should not pass.
func TestConformance(t *testing.T) {
	data, err := os.ReadFile("testdata/conformance.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c struct {
			OK  bool   `json:"ok"`
			Src string `json:"src"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		n++
		_, err := Parse([]byte(c.Src))
		if c.OK && err != nil {
			t.Errorf("mermaid accepts %q; Parse says: %v", c.Src, err)
		}
		if !c.OK && err == nil {
			t.Errorf("mermaid rejects %q; Parse accepts it", c.Src)
		}
	}
	if n < 500 {
		t.Fatalf("only %d conformance cases", n)
	}
}

// BenchmarkParseChain parses a flowchart of N chained edges, each node
// declared twice with its label, as corpus.Chain writes the dependency
// graph of issue 16 (docs/performance.md).
func BenchmarkParseChain(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("edges=%d", n), func(b *testing.B) {
			var sb strings.Builder
			sb.WriteString("graph TD\n")
			for i := range n {
				fmt.Fprintf(&sb, "  S%d[Step %d] -->|gRPC| S%d[Step %d]\n", i, i, i+1, i+1)
			}
			src := sb.String()
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseString(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestIndexAndEnds: a parsed graph's nodes know their place and its edges
// their end nodes, as Node would look them up; a subgraph end has none,
// and a graph built by hand falls back on the lookup.
func TestIndexAndEnds(t *testing.T) {
	src := "graph TD\n  A --> B[Bee] & G\n  subgraph G[Group]\n    C((See))\n  end\n  C <--> A\n  G --- D\n  B --> B\n"
	g, err := ParseString(src)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, n := range g.Nodes {
		ids = append(ids, n.ID)
		if j, ok := g.Index(n); !ok || j != i {
			t.Errorf("Index(%s) = %d, %v, want %d", n.ID, j, ok, i)
		}
	}
	if want := []string{"A", "B", "C", "D"}; !slices.Equal(ids, want) {
		t.Fatalf("nodes %v, want %v", ids, want)
	}
	for _, e := range g.Edges {
		from, to := g.Ends(e)
		if from != g.Node(e.From) || to != g.Node(e.To) {
			t.Errorf("Ends(%s %s %s) = %v, %v", e.From, e.Arrow, e.To, from, to)
		}
		if r := e.Reversed(); r.From != e.To || r.To != e.From {
			t.Errorf("Reversed(%s → %s) is %s → %s", e.From, e.To, r.From, r.To)
		} else if rf, rt := g.Ends(r); rf != to || rt != from {
			t.Errorf("Ends(Reversed(%s → %s)) = %v, %v", e.From, e.To, rf, rt)
		}
	}
	if from, to := g.Ends(g.Edges[1]); from == nil || from.ID != "A" || to != nil {
		t.Errorf("A --> G: ends %v, %v, want A and no node", from, to)
	}
	if _, ok := g.Index(&Node{ID: "A"}); ok {
		t.Error("a node of no graph has an index")
	}
	other, _ := ParseString("graph TD\n  A --> B\n")
	if _, ok := g.Index(other.Nodes[0]); ok {
		t.Error("another graph's node has an index in this one")
	}
	hand := &Graph{Nodes: []*Node{{ID: "X"}, {ID: "Y"}}, Edges: []*Edge{{From: "Y", To: "X", Arrow: "-->"}}}
	if from, to := hand.Ends(hand.Edges[0]); from != hand.Nodes[1] || to != hand.Nodes[0] {
		t.Errorf("a graph by hand: ends %v, %v", from, to)
	}
	if _, ok := hand.Index(hand.Nodes[1]); ok {
		t.Error("a graph by hand has indexes")
	}
}
