package arch

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/specls/specls/spec"
)

// TestRecentGraphsShared: a large diagram parsed for one document is
// reused for another with the same diagram elsewhere in its text, and
// each document's spans still map into its own text; concurrent checks
// may share it (run with -race).
func TestRecentGraphsShared(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("graph TD\n")
	for i := 0; sb.Len() < 2*minCached; i++ {
		fmt.Fprintf(&sb, "  S%d[Step %d] -->|gRPC| S%d[Step %d]\n", i, i, i+1, i+1)
	}
	diagram := sb.String()
	doc := func(intro string) *spec.Document {
		src := "# Technical Specification: X\n\n" + intro + "\n\n## Service Dependency Graph\n\n```mermaid\n" + diagram + "```\n"
		return spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
	}
	a, b := doc("Short."), doc("A much longer introduction, so that the diagram starts further down.")
	ga, gb := DependencyGraph(a), DependencyGraph(b)
	if ga == nil || gb == nil || ga.Err != nil || gb.Err != nil {
		t.Fatal("the diagram does not parse")
	}
	if ga.Graph != gb.Graph {
		t.Error("the second document parsed the same diagram again")
	}
	for _, c := range []struct {
		d *spec.Document
		g *DepGraph
	}{{a, ga}, {b, gb}} {
		n := c.g.Graph.Nodes[7]
		if got := c.d.Slice(c.g.Span(n.LabelSpan)); got != "Step 7" {
			t.Errorf("node 7's label maps to %q in its document, want %q", got, "Step 7")
		}
	}
	var wg sync.WaitGroup
	for k := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := doc(strings.Repeat("x", k))
			if g := DependencyGraph(d); g == nil || len(g.Graph.Edges) != len(ga.Graph.Edges) {
				t.Error("a concurrent parse lost edges")
			}
		}()
	}
	wg.Wait()
}
