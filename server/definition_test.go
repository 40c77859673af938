package server_test

import (
	"testing"
)

func TestDefinition(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	locs := ed.Definition(techspec, ed.Pos(techspec, "FR-2"))
	if len(locs) != 1 || locs[0].URI != ed.URI(prd) {
		t.Fatalf("FR-2: %v, want the PRD", locs)
	}
	if got := ed.Slice(prd, locs[0].Range); got != "2. FR-2: A reset link works once and expires after 15 minutes." {
		t.Errorf("FR-2 goes to %q", got)
	}
	// A service named in the Communication Matrix goes to its definition.
	locs = ed.Definition(techspec, ed.PosAfter(techspec, "| Gateway | Id"))
	if len(locs) != 1 || ed.Slice(techspec, locs[0].Range) != "### Identity" {
		t.Fatalf("Identity in the matrix: %v", locs)
	}
	// And in the mermaid graph.
	locs = ed.Definition(techspec, ed.PosAfter(techspec, "-->|Kafka| Mai"))
	if len(locs) != 1 || ed.Slice(techspec, locs[0].Range) != "### Mailer" {
		t.Fatalf("Mailer in the graph: %v", locs)
	}
	if locs := ed.Definition(techspec, ed.Pos(techspec, "redeems")); len(locs) != 0 {
		t.Errorf("plain word: %v", locs)
	}
}
