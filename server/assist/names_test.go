package assist

import (
	"fmt"
	"strings"
	"testing"

	"github.com/specls/specls/internal/namepairs"
	"github.com/specls/specls/spec"
)

// TestNamePairsDefinition: go-to-definition takes a name to a service
// exactly when the shared table (internal/namepairs) says it is that
// service, as the rules do: a name in a table cell, a graph node.
func TestNamePairsDefinition(t *testing.T) {
	def := func(src, at string) bool {
		t.Helper()
		d := spec.Parse("/w/tasks/prd-pairs/_techspec.md", []byte(src))
		f := &spec.Feature{Dir: "/w/tasks/prd-pairs"}
		f.Set(d)
		c := Context{Feature: f, Doc: d, Template: spec.BuiltinTemplate(spec.KindTechSpec)}
		i := strings.Index(src, at)
		if i < 0 {
			t.Fatalf("%q not in the spec", at)
		}
		locs, _ := Definition(c, i+len(at)-1) // on the last character of at
		return len(locs) == 1 && strings.Contains(locs[0].Span.Text(d.Text), "### ")
	}
	for _, p := range namepairs.Pairs {
		for _, ab := range [][2]string{{p.A, p.B}, {p.B, p.A}} {
			src := fmt.Sprintf("# Technical Specification: Pairs\n\n## Architecture Overview\n\n### Data Ownership\n\n| Service | Database | Data Domain |\n|---|---|---|\n| %s | PostgreSQL | Pairs |\n\n## Service Definitions\n\n### %s\n\n- Purpose: serves pairs.\n", ab[1], ab[0])
			if got := def(src, "| "+ab[1]); got != p.Same {
				t.Errorf("service %q, cell %q: definition found = %v, want %v", ab[0], ab[1], got, p.Same)
			}
		}
	}
	for _, p := range namepairs.NodePairs {
		src := fmt.Sprintf("# Technical Specification: Pairs\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n  %s[%s] --> X\n```\n\n## Service Definitions\n\n### %s\n\n- Purpose: serves pairs.\n", p.ID, p.Label, p.Name)
		if got := def(src, "  "+p.ID); got != p.Same {
			t.Errorf("service %q, node %s[%s]: definition found = %v, want %v", p.Name, p.ID, p.Label, got, p.Same)
		}
	}
}
