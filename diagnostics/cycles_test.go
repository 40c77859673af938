package diagnostics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// refCycles is graph-cycle's plain definition, the search from every node
// of the whole graph that issue 16 replaced: for each node in order not yet
// on a reported cycle, the first cycle back to it a depth-first search in
// edge order meets. It returns each cycle's names, as the finding's target.
func refCycles(a *analysis, g *mermaid.Graph) []string {
	out := map[string][]*mermaid.Edge{}
	for _, e := range g.Edges {
		if syncEdge(a, g, e) {
			out[e.From] = append(out[e.From], e)
			if strings.HasPrefix(e.Arrow, "<") {
				r := *e
				r.From, r.To = e.To, e.From
				out[r.From] = append(out[r.From], &r)
			}
		}
	}
	var cycles []string
	reported := map[string]bool{}
	for _, n := range g.Nodes {
		if reported[n.ID] {
			continue
		}
		var path []*mermaid.Edge
		seen := map[string]bool{n.ID: true}
		var dfs func(id string) bool
		dfs = func(id string) bool {
			for _, e := range out[id] {
				path = append(path, e)
				if e.To == n.ID {
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
		if !dfs(n.ID) {
			continue
		}
		names := []string{shortName(g, path[0].From)}
		for _, e := range path {
			reported[e.From] = true
			names = append(names, shortName(g, e.To))
		}
		cycles = append(cycles, strings.Join(names, " → "))
	}
	return cycles
}

// randomGraphSpec is a tech spec whose graph has random calls among a few
// services: both-way arrows, messaging and open links, data stores,
// self-calls and edges to a subgraph.
func randomGraphSpec(r *rand.Rand) string {
	var sb strings.Builder
	sb.WriteString("# Technical Specification: Cycles\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n")
	n := 2 + r.IntN(9)
	for i := range n {
		if r.IntN(6) == 0 {
			fmt.Fprintf(&sb, "  N%d[(Store %d DB)]\n", i, i)
		} else {
			fmt.Fprintf(&sb, "  N%d[Svc %d]\n", i, i)
		}
	}
	sb.WriteString("  subgraph G[Group]\n    N0\n  end\n")
	arrows := []string{"-->", "-->", "-->", "<-->", "-.->", "---"}
	labels := []string{"|gRPC|", "|REST|", "|Kafka|", ""}
	for range r.IntN(3 * n) {
		from, to := fmt.Sprintf("N%d", r.IntN(n)), fmt.Sprintf("N%d", r.IntN(n))
		if r.IntN(12) == 0 {
			to = "G"
		}
		if r.IntN(12) == 0 {
			from = "G"
		}
		fmt.Fprintf(&sb, "  %s %s%s %s\n", from, arrows[r.IntN(len(arrows))], labels[r.IntN(len(labels))], to)
	}
	sb.WriteString("```\n")
	return sb.String()
}

// TestCyclesAsSearchFromEveryNode: the strongly-connected-components search
// reports the cycles, in the order, of the plain search from every node.
func TestCyclesAsSearchFromEveryNode(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	withCycles := 0
	for i := range 2000 {
		src := randomGraphSpec(r)
		f := &spec.Feature{Dir: "tasks/prd-cycles"}
		f.Set(spec.Parse("tasks/prd-cycles/_techspec.md", []byte(src)))
		in := Input{Feature: f, Config: config.Default()}
		var got []string
		for _, fd := range Check(in) {
			if fd.Code == "graph-cycle" {
				got = append(got, fd.Data.Target)
			}
		}
		c := &Context{Input: in, scope: in.Scope()}
		c.Feature = f
		a := c.artifacts()
		g := a.graphOK()
		if g == nil {
			t.Fatalf("graph %d does not parse:\n%s", i, src)
		}
		want := refCycles(a, g)
		// Findings are sorted by position; the search reports in node order.
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("graph %d: cycles %q, want %q\n%s", i, got, want, src)
		}
		if len(want) > 0 {
			withCycles++
		}
	}
	if withCycles < 500 {
		t.Errorf("only %d of the graphs have a cycle: the test exercises too little", withCycles)
	}
}
