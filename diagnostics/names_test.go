package diagnostics

import (
	"fmt"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/namepairs"
	"github.com/specls/specls/spec"
)

// namePairSpec is a tech spec defining service a, with a Data Ownership
// row for b and a graph holding node id[label].
func namePairSpec(a, b, id, label string) string {
	return fmt.Sprintf("# Technical Specification: Pairs\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n  %s[%s]\n```\n\n"+
		"### Data Ownership\n\n| Service | Database | Data Domain |\n|---|---|---|\n| %s | PostgreSQL pairs | Pairs |\n\n"+
		"## Service Definitions\n\n### %s\n\n- Purpose: serves pairs.\n", id, label, b, a)
}

func codesFor(t *testing.T, src, code string) []Finding {
	t.Helper()
	f := &spec.Feature{Dir: "tasks/prd-pairs"}
	f.Set(spec.Parse("tasks/prd-pairs/_techspec.md", []byte(src)))
	var out []Finding
	for _, fd := range Check(Input{Feature: f, Config: config.Default()}) {
		if fd.Code == code {
			out = append(out, fd)
		}
	}
	return out
}

// TestNamePairsRules: the rules take two names for one service exactly
// when the shared table says so (internal/namepairs): a Data Ownership row
// names a defined service, a graph node stands for it.
func TestNamePairsRules(t *testing.T) {
	for _, p := range namepairs.Pairs {
		for _, ab := range [][2]string{{p.A, p.B}, {p.B, p.A}} {
			missing := codesFor(t, namePairSpec(ab[0], ab[1], "Other", "Other"), "ownership-service-missing")
			if got := len(missing) == 0; got != p.Same {
				t.Errorf("service %q, ownership row %q: the row names it = %v, want %v (%v)", ab[0], ab[1], got, p.Same, missing)
			}
		}
	}
	for _, p := range namepairs.NodePairs {
		missing := codesFor(t, namePairSpec(p.Name, p.Name, p.ID, p.Label), "graph-service-missing")
		if got := len(missing) == 0; got != p.Same {
			t.Errorf("service %q, node %s[%s]: the node stands for it = %v, want %v (%v)", p.Name, p.ID, p.Label, got, p.Same, missing)
		}
	}
}
