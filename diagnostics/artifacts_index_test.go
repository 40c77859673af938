package diagnostics

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

// indexedSpec has more services, nodes, edges and rows than smallScan, named
// every way the name matching allows, some of them wrong.
func indexedSpec(n int) string {
	var sb strings.Builder
	sb.WriteString("# Technical Specification: Many\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "  S%d[Part %d Service] -->|gRPC| S%d[Part %d Service]\n", i, i, i+1, i+1)
		if i%7 == 0 {
			fmt.Fprintf(&sb, "  S%d --- S%d\n  S%d --> S%d\n", i+1, i, i+1, i) // undirected, and a cycle
		}
	}
	sb.WriteString("```\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|---|---|---|---|\n")
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, "| S%d | s%d | REST | Request-Reply |\n", i, i+1)
		case 1:
			fmt.Fprintf(&sb, "| Part %d | part-%d-service | gRPC | Request-Reply |\n", i, i+1)
		case 2:
			fmt.Fprintf(&sb, "| Part %d API | Nowhere %d | gRPC | Request-Reply |\n", i, i)
		}
	}
	sb.WriteString("\n### Data Ownership\n\n| Service | Database | Data Domain |\n|---|---|---|\n")
	for i := 0; i < n; i += 2 {
		fmt.Fprintf(&sb, "| The Part %d Service, Part %d | PostgreSQL part%d | Parts |\n", i, i+1, i%5)
	}
	sb.WriteString("\n## Service Definitions\n\n")
	for i := 0; i <= n+3; i++ {
		fmt.Fprintf(&sb, "### Part %d Service\n\n- Purpose: part %d.\n\n", i, i)
	}
	sb.WriteString("## Deployment Architecture\n\n### Deployment Sequencing\n\n")
	for i := 0; i <= n; i += 3 {
		fmt.Fprintf(&sb, "- **Phase %d**: Part %d Service, S%d\n", i/3+1, i, i+4)
	}
	return sb.String()
}

// TestIndexesChangeNothing: past smallScan the rules match names through
// indexes; they must report exactly what a plain scan reports.
func TestIndexesChangeNothing(t *testing.T) {
	src := indexedSpec(120)
	check := func() []Finding {
		f := &spec.Feature{Dir: "tasks/prd-many"}
		f.Set(spec.Parse("tasks/prd-many/_techspec.md", []byte(src)))
		return Check(Input{Feature: f, Config: config.Default()})
	}
	indexed := check()
	defer func(n int) { smallScan = n }(smallScan)
	smallScan = 1 << 30
	scanned := check()
	if !reflect.DeepEqual(indexed, scanned) {
		t.Fatalf("indexed and scanned findings differ: %d vs %d findings", len(indexed), len(scanned))
	}
	codes := map[string]int{}
	for _, f := range indexed {
		codes[f.Code]++
	}
	for _, c := range []string{"matrix-mismatch", "graph-cycle", "shared-database", "deployment-order", "ownership-service-missing"} {
		if codes[c] == 0 {
			t.Errorf("the spec gives no %s finding: the test does not exercise it (%v)", c, codes)
		}
	}
}
