package corpus

import (
	"fmt"
	"strings"
)

// Chain returns a tech spec whose service dependency graph is a chain of
// edges synchronous calls (Step 0 --> Step 1 --> ...), with a Communication
// Matrix that lists every other edge: the input on which graph and matrix
// checks, and the matrix fix, must stay linear (issue 16). The other
// sections are present and short.
func Chain(edges int) []byte {
	var sb strings.Builder
	sb.Grow(edges * 80)
	sb.WriteString("# Technical Specification: Chain\n\n## Architecture Overview\n\nA pipeline of steps, each calling the next over gRPC.\n\n")
	sb.WriteString("### Service Dependency Graph\n\n```mermaid\ngraph TD\n")
	for i := 0; i < edges; i++ {
		fmt.Fprintf(&sb, "  S%d[Step %d] -->|gRPC| S%d[Step %d]\n", i, i, i+1, i+1)
	}
	sb.WriteString("```\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|------|----|----------|---------|\n")
	for i := 0; i < edges; i += 2 {
		fmt.Fprintf(&sb, "| Step %d | Step %d | gRPC | Request-Reply |\n", i, i+1)
	}
	sb.WriteString("\n### Data Ownership\n\n| Service | Database | Data Domain |\n|---------|----------|-------------|\n| Gateway | none (stateless) | none |\n\n")
	sb.WriteString("## Service Definitions\n\n### Gateway\n\n- Purpose: the entry point.\n- Dependencies: Step 0 (gRPC)\n\n")
	sb.WriteString("## Architecture Review\n\nEvery call has a 2 s deadline, 3 retries with backoff and a circuit breaker. Prometheus metrics, OpenTelemetry traces, structured JSON logs.\n")
	return []byte(sb.String())
}
