package diagnostics

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/config"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// refMatrix is matrix-mismatch's plain definition, as it was before the
// rule matched through numbered vertices and names (issue 16): every cell
// tested against every node in order, every row against every edge by
// its ends' IDs. It returns each finding as "offset message".
func refMatrix(a *analysis, g *mermaid.Graph) []string {
	var out []string
	report := func(s spec.Span, msg string) { out = append(out, fmt.Sprintf("%d %s", s.Start, msg)) }
	var edges []*mermaid.Edge
	for _, e := range g.Edges {
		if e.Arrow != "~~~" {
			edges = append(edges, e)
		}
	}
	named := func(cell string, n *mermaid.Node) bool { return arch.NamesNode(cell, n) }
	resolve := func(cell string) string {
		for _, n := range g.Nodes {
			if named(cell, n) {
				return n.ID
			}
		}
		for _, s := range g.Subgraphs {
			if strings.EqualFold(strings.TrimSpace(cell), s.ID) || strings.EqualFold(strings.TrimSpace(cell), s.Title) {
				return s.ID
			}
		}
		return ""
	}
	used := map[*mermaid.Edge]bool{}
	for _, r := range a.matrix {
		from, to := resolve(r.From.Text), resolve(r.To.Text)
		switch {
		case from == "" && to == "":
			report(r.Span, fmt.Sprintf("matrix row %s → %s names no node", r.From.Text, r.To.Text))
			continue
		case from == "":
			report(r.From.Span, fmt.Sprintf("matrix row names %q", r.From.Text))
			continue
		case to == "":
			report(r.To.Span, fmt.Sprintf("matrix row names %q", r.To.Text))
			continue
		}
		rp := ProtocolOf(r.Protocol.Text)
		var best *mermaid.Edge
		for _, e := range edges {
			if !(e.From == from && e.To == to || !e.Directed() && e.From == to && e.To == from) {
				continue
			}
			if best == nil || used[best] && !used[e] || rp != "" && ProtocolOf(e.Label) == rp && ProtocolOf(best.Label) != rp {
				best = e
			}
		}
		if best == nil {
			report(r.Span, fmt.Sprintf("matrix row %s → %s has no edge: %s", r.From.Text, r.To.Text, edgeText(g, from, to, r.Protocol.Text)))
			continue
		}
		used[best] = true
		if ep := ProtocolOf(best.Label); ep != "" && rp != "" && ep != rp {
			report(r.Protocol.Span, fit(fmt.Sprintf("the matrix says %s for %s → %s but the graph edge says %s", r.Protocol.Text, r.From.Text, r.To.Text, best.Label))+" "+best.Label)
		}
	}
	matrixName := func(id string) string {
		if n := g.Node(id); n != nil {
			for _, r := range a.matrix {
				for _, c := range []string{r.From.Text, r.To.Text} {
					if named(c, n) {
						return c
					}
				}
			}
		}
		return shortName(g, id)
	}
	for _, e := range edges {
		if used[e] || isDataStore(g.Node(e.To)) || isDataStore(g.Node(e.From)) {
			continue
		}
		from, to := matrixName(e.From), matrixName(e.To)
		report(a.graph.Span(e.Span), fmt.Sprintf("graph edge %s → %s has no row: %s", from, to, matrixRowText(e, from, to)))
	}
	return out
}

// gotMatrix is the check's matrix-mismatch findings in refMatrix's form.
func gotMatrix(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Code != "matrix-mismatch" {
			continue
		}
		msg := f.Text() // the message and its advice, as written
		switch {
		case strings.Contains(msg, "names no node"):
			msg = msg[:strings.Index(msg, " names no node")+len(" names no node")]
		case strings.HasPrefix(msg, "matrix row names "):
			msg = "matrix row names " + fmt.Sprintf("%q", f.Data.Target)
		case strings.Contains(msg, "has no edge"):
			msg = msg[:strings.Index(msg, " has no edge")+len(" has no edge")] + ": " + f.Data.Want
		case strings.HasPrefix(msg, "the matrix says"):
			msg = f.Message + " " + strings.TrimPrefix(f.Related[0].Message, "the graph edge says ")
		case strings.HasPrefix(msg, "graph edge"):
			msg = msg[:strings.Index(msg, " has no Communication")] + " has no row: " + f.Data.Want
		}
		out = append(out, fmt.Sprintf("%d %s", f.Span.Start, msg))
	}
	return out
}

// randomMatrixSpec is a tech spec with a random graph (subgraphs as edge
// ends, both-way and open links, invisible links, duplicate edges, data
// stores, labels and IDs that name the same service) and a random
// Communication Matrix naming its nodes every way the matching allows,
// subgraphs by ID and title, and names of nothing.
func randomMatrixSpec(r *rand.Rand) string {
	var sb strings.Builder
	sb.WriteString("# Technical Specification: Matrix\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n")
	n := 2 + r.IntN(12)
	for i := range n {
		switch r.IntN(5) {
		case 0:
			fmt.Fprintf(&sb, "  N%d[(Store %d DB)]\n", i, i)
		case 1:
			fmt.Fprintf(&sb, "  N%d[Part %d API]\n", i, i%4) // labels shared by several nodes
		default:
			fmt.Fprintf(&sb, "  N%d[Part %d Service]\n", i, i)
		}
	}
	sb.WriteString("  subgraph G[Group Box]\n    N0\n  end\n")
	arrows := []string{"-->", "-->", "-->", "<-->", "-.->", "---", "~~~"}
	labels := []string{"|gRPC|", "|REST|", "|Kafka|", "|gRPC stream|", ""}
	end := func() string {
		if r.IntN(10) == 0 {
			return "G"
		}
		return fmt.Sprintf("N%d", r.IntN(n))
	}
	for range r.IntN(3 * n) {
		fmt.Fprintf(&sb, "  %s %s%s %s\n", end(), arrows[r.IntN(len(arrows))], labels[r.IntN(len(labels))], end())
	}
	sb.WriteString("```\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|---|---|---|---|\n")
	name := func() string {
		i := r.IntN(n)
		switch r.IntN(9) {
		case 0:
			return fmt.Sprintf("N%d", i)
		case 1:
			return fmt.Sprintf("n%d", i)
		case 2:
			return fmt.Sprintf("Part %d", i)
		case 3:
			return fmt.Sprintf("part-%d-service", i)
		case 4:
			return fmt.Sprintf("Part %d API", i%4)
		case 5:
			return []string{"G", "Group Box", "group box"}[r.IntN(3)]
		case 6:
			return fmt.Sprintf("Nowhere %d", i)
		case 7:
			return fmt.Sprintf("The Part %d Service", i)
		}
		return fmt.Sprintf("Store %d DB", i)
	}
	protocols := []string{"gRPC", "REST", "Kafka", "", "SOAP"}
	for range r.IntN(3 * n) {
		fmt.Fprintf(&sb, "| %s | %s | %s | Request-Reply |\n", name(), name(), protocols[r.IntN(len(protocols))])
	}
	return sb.String()
}

// TestMatrixAsPlainScan: the matrix rule, with its indexes forced on for
// every size, reports what the plain scan of every cell, node and edge
// reports, on random graphs and matrices.
func TestMatrixAsPlainScan(t *testing.T) {
	defer func(n int) { smallScan = n }(smallScan)
	r := rand.New(rand.NewPCG(7, 8))
	kinds := map[string]int{}
	for i := range 1500 {
		src := randomMatrixSpec(r)
		for _, scan := range []int{0, 1 << 30} {
			smallScan = scan
			f := &spec.Feature{Dir: "tasks/prd-matrix"}
			f.Set(spec.Parse("tasks/prd-matrix/_techspec.md", []byte(src)))
			in := Input{Feature: f, Config: config.Default()}
			got := gotMatrix(Check(in))
			c := &Context{Input: in, scope: in.Scope()}
			c.Feature = f
			a := c.artifacts()
			g := a.graphOK()
			if g == nil {
				t.Fatalf("spec %d: the graph does not parse:\n%s", i, src)
			}
			want := refMatrix(a, g)
			// Findings are sorted by position; the reference is in rule order.
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("spec %d (smallScan %d): findings\n%s\nwant\n%s\n%s", i, scan, strings.Join(got, "\n"), strings.Join(want, "\n"), src)
			}
			for _, w := range want {
				for _, k := range []string{"names no node", "matrix row names", "has no edge", "the matrix says", "graph edge"} {
					if strings.Contains(w, k) {
						kinds[k]++
					}
				}
			}
		}
	}
	for _, k := range []string{"names no node", "matrix row names", "has no edge", "the matrix says", "graph edge"} {
		if kinds[k] < 100 {
			t.Errorf("only %d findings of the kind %q: the test exercises too little", kinds[k], k)
		}
	}
}
