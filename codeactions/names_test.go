package codeactions

import (
	"fmt"
	"strings"
	"testing"

	"github.com/specls/specls/internal/namepairs"
)

// TestNamePairsGenerators: the generators take an author's row for a
// service's, or a cell for a graph node, exactly when the shared table
// (internal/namepairs) says the names are the same, as the rules do; else
// completing a table would add a row the rules call a duplicate, or leave
// one out they ask for.
func TestNamePairsGenerators(t *testing.T) {
	for _, p := range namepairs.Pairs {
		for _, ab := range [][2]string{{p.A, p.B}, {p.B, p.A}} {
			in, d := techSpec(fmt.Sprintf("# Technical Specification: Pairs\n\n## Service Definitions\n\n### %s\n\n- Purpose: serves pairs.\n", ab[0]))
			f := newFixer(in, d)
			rows := f.ownershipRows(nil)
			if len(rows) != 1 {
				t.Fatalf("service %q: %d ownership rows", ab[0], len(rows))
			}
			if got := rows[0].is([]string{ab[1], "PostgreSQL", "Pairs"}); got != p.Same {
				t.Errorf("service %q, author's row %q: stands for it = %v, want %v", ab[0], ab[1], got, p.Same)
			}
		}
	}
	for _, p := range namepairs.NodePairs {
		in, d := techSpec("# Technical Specification: Pairs\n")
		f := newFixer(in, d)
		if got := f.named(p.Name, &gnode{ID: p.ID, Label: p.Label}); got != p.Same {
			t.Errorf("cell %q names node %s[%s] = %v, want %v", p.Name, p.ID, p.Label, got, p.Same)
		}
	}
}

// TestContainsFold holds containsFold to the plain form it replaces.
func TestContainsFold(t *testing.T) {
	for _, s := range []string{"", "s", "stream", "STREAM", "gRPC stream", "gRPC Stream", "gRPC", "streaM-ing", "strea", "xstreamx",
		"ſtream", "STRİEAM", "Ström stream", "Kafka (events)", "ストリーム stream", "STRÉAM"} {
		if got, want := containsFold(s, "stream"), strings.Contains(strings.ToLower(s), "stream"); got != want {
			t.Errorf("containsFold(%q) = %v, want %v", s, got, want)
		}
	}
}
