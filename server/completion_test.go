package server_test

import (
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

func item(items []protocol.CompletionItem, label string) (protocol.CompletionItem, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
	}
	return protocol.CompletionItem{}, false
}

func TestCompleteHeadings(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	ed.Replace(techspec, "## Testing Strategy\n\npytest unit tests, gRPC contract tests, 200 resets/s load target.\n\n", "## Tes\n\n")
	items := ed.Completion(techspec, ed.PosAfter(techspec, "## Tes"))
	it, ok := item(items, "Testing Strategy")
	if !ok {
		t.Fatalf("no Testing Strategy among %v", lsptest.Labels(items))
	}
	present, ok := item(items, "Data Models")
	if !ok {
		t.Fatalf("no Data Models among %v", lsptest.Labels(items))
	}
	sortOf := func(it protocol.CompletionItem) string { s, _ := it.SortText.Get(); return s }
	if sortOf(it) >= sortOf(present) {
		t.Errorf("a missing section (%s) must sort before a present one (%s)", sortOf(it), sortOf(present))
	}
	if d, _ := present.Detail.Get(); !strings.Contains(d, "already present") {
		t.Errorf("present section detail %q", d)
	}
	ed.Accept(techspec, it)
	if text := ed.Text(techspec); !strings.Contains(text, "\n## Testing Strategy\n") || strings.Contains(text, "## Tes\n") {
		t.Errorf("accepting the heading gave:\n%s", text)
	}
}

func TestCompleteTables(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	row := "| Identity | Mailer | Kafka | Pub-Sub |\n"
	ed.Insert(techspec, row, "|  | Identity |  |  |\n")
	// The From cell of the new row: services.
	from := ed.PosAfter(techspec, row+"| ")
	if got := lsptest.Labels(ed.Completion(techspec, from)); !slices.Contains(got, "Identity") || !slices.Contains(got, "Mailer") {
		t.Errorf("From column: %v, want the services", got)
	}
	// The Protocol cell: protocols; the Pattern cell: patterns.
	proto := ed.PosAfter(techspec, row+"|  | Identity | ")
	items := ed.Completion(techspec, proto)
	if got := lsptest.Labels(items); !slices.Contains(got, "gRPC") || !slices.Contains(got, "Kafka") {
		t.Errorf("Protocol column: %v", got)
	}
	grpc, _ := item(items, "gRPC")
	ed.Accept(techspec, grpc)
	pattern := ed.PosAfter(techspec, "| Identity | gRPC | ")
	if got := lsptest.Labels(ed.Completion(techspec, pattern)); !slices.Contains(got, "Request-Reply") || !slices.Contains(got, "Streaming") {
		t.Errorf("Pattern column: %v", got)
	}
	if !strings.Contains(ed.Text(techspec), "|  | Identity | gRPC |  |\n") {
		t.Errorf("accepting gRPC did not fill the cell:\n%s", ed.Text(techspec))
	}
	// Ownership's Service column.
	own := ed.PosAfter(techspec, "| Service | Database | Data Domain |\n|---------|----------|-------------|\n| ")
	if got := lsptest.Labels(ed.Completion(techspec, own)); !slices.Contains(got, "Mailer") {
		t.Errorf("ownership Service column: %v", got)
	}
}

func TestCompleteMermaidAndRequirements(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	ed.Insert(techspec, "  Identity -->|Kafka| Mailer\n", "  Mailer --> \n")
	at := ed.PosAfter(techspec, "  Mailer --> ")
	if got := lsptest.Labels(ed.Completion(techspec, at)); !slices.Contains(got, "Identity") {
		t.Errorf("mermaid block: %v, want services", got)
	}
	ed.Insert(techspec, "Sends reset emails.", " Covers FR-")
	items := ed.Completion(techspec, ed.PosAfter(techspec, "Covers FR-"))
	if got := lsptest.Labels(items); !slices.Equal(got, []string{"FR-1", "FR-2"}) {
		t.Fatalf("requirement IDs: %v, want FR-1 and FR-2", got)
	}
	if d, _ := items[1].Detail.Get(); !strings.Contains(d, "expires after 15 minutes") {
		t.Errorf("FR-2 detail %q lacks the PRD text", d)
	}
	ed.Accept(techspec, items[1])
	if !strings.Contains(ed.Text(techspec), "Sends reset emails. Covers FR-2") {
		t.Errorf("accepting FR-2 gave %q", ed.Text(techspec))
	}
	// Plain prose offers nothing.
	if got := ed.Completion(techspec, ed.PosAfter(techspec, "Sends reset")); len(got) != 0 {
		t.Errorf("prose: %v, want nothing", lsptest.Labels(got))
	}
}
