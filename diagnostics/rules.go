// Package diagnostics holds the rules and the gate engine: pure functions
// from a feature's documents to findings. The command-line checker and the
// language server run the same engine.
package diagnostics

import (
	"sort"

	"github.com/specls/specls/config"
)

// Rule describes one diagnostic code. Codes are a contract: once released a
// code never changes meaning.
type Rule struct {
	Code     string
	Gate     string // "A".."F", or "" for rules outside the gates (PRD rules)
	Severity config.Severity
	Summary  string // one line: what the rule reports
	Fix      string // the quick fix a user can expect, or ""
}

// Gates are the quality gates, in order, with what each requires.
var Gates = []struct{ ID, Title, Requires string }{
	{"A", "PRD analyzed, service boundaries identified", "A PRD next to the tech spec, every numbered PRD requirement traced, and one `### <Service>` per service under Service Definitions with purpose, gRPC definition, REST endpoints, database schema and dependencies."},
	{"B", "Architecture analysis with dependency graph", "A mermaid service dependency graph that parses and names every service, a Communication Matrix agreeing with its edges, a Data Ownership table, a consistency model per service and a failure impact analysis."},
	{"C", "Libraries selected, UV compatibility verified", "A libraries assessment with pinned versions at or above the approved core-stack minimums, allowed licenses, Python 3.11+ and uv as the package manager."},
	{"D", "Technical questions answered, patterns chosen", "Every question answered, no TODO/TBD markers, and a decision for service discovery, database per service, caching, async messaging, API gateway, deployment strategy, secrets and configuration."},
	{"E", "Tech spec follows its template", "Every template section present, in order, at the right level, once, with content of its own rather than template text."},
	{"F", "Architecture review passed, no anti-patterns", "No synchronous dependency cycle, no shared database, resilience and observability specified, deployment phases in dependency order, the Python Production Checklist complete, and proto and YAML blocks that parse."},
}

// catalog is the one table of rule codes; docs/rules.md and the SARIF rule
// list are checked against it.
var catalog = []Rule{
	// Gate E
	{"section-missing", "E", config.Error, "A required template section is absent.", "Insert the section skeleton at its template position, or generate it."},
	{"section-renamed", "E", config.Warning, "A heading is a near miss of a template heading.", "Rename the heading to the template's."},
	{"section-level", "E", config.Warning, "A heading's level differs from the template's.", "Change the heading level."},
	{"section-order", "E", config.Warning, "A section stands out of template order.", "Move the section to its template position."},
	{"section-duplicate", "E", config.Warning, "The same template section appears twice.", ""},
	{"section-empty", "E", config.Warning, "A section has no content of its own.", ""},
	{"section-placeholder", "E", config.Warning, "A section still holds template text, a [bracketed placeholder], TODO/TBD/TKTK, [NEEDS CLARIFICATION: ...] or an Example: row.", "Generate the section."},
	{"title-placeholder", "E", config.Warning, "The title still says \"Template\" or holds a bracketed placeholder.", ""},
	// Gate A
	{"prd-missing", "A", config.Error, "A _techspec.md whose folder has no _prd.md.", "Create _prd.md from the PRD template."},
	{"prd-failing", "A", config.Warning, "The sibling PRD has errors of its own.", ""},
	{"feature-folder", "A", config.Warning, "The file is not in tasks/prd-<kebab-case-slug>/.", ""},
	{"services-missing", "A", config.Error, "Service Definitions defines no ### <Service>.", ""},
	{"service-incomplete", "A", config.Warning, "A service lacks purpose, gRPC definition, REST endpoints, database schema or dependencies.", ""},
	{"requirement-untraced", "A", config.Warning, "A numbered PRD requirement is never referenced by the tech spec.", ""},
	// Gate B
	{"graph-missing", "B", config.Error, "No mermaid service dependency graph.", "Generate it from the service definitions."},
	{"graph-invalid", "B", config.Error, "The mermaid flowchart does not parse.", ""},
	{"graph-service-missing", "B", config.Warning, "A defined service is not a node of the graph.", ""},
	{"graph-service-undefined", "B", config.Warning, "A graph node named like a service has no definition.", ""},
	{"matrix-missing", "B", config.Error, "No Communication Matrix (From/To/Protocol/Pattern).", "Generate it from the graph edges."},
	{"matrix-mismatch", "B", config.Warning, "A graph edge without a matrix row, a row without an edge, or a protocol that differs.", ""},
	{"ownership-missing", "B", config.Error, "No Data Ownership table (Service/Database/Data Domain).", "Generate rows for the services."},
	{"ownership-service-missing", "B", config.Warning, "A service without an ownership row.", ""},
	{"analysis-missing", "B", config.Warning, "A step-2 deliverable is absent: consistency model per service, failure impact analysis.", ""},
	// Gate C
	{"libraries-missing", "C", config.Error, "No libraries assessment.", ""},
	{"library-below-minimum", "C", config.Error, "A core-stack library constrained below its approved minimum.", "Raise it to the minimum."},
	{"library-unpinned", "C", config.Warning, "A library with no version constraint.", ""},
	{"library-license", "C", config.Warning, "A license outside the allowed list.", ""},
	{"python-version", "C", config.Error, "Python below 3.11 is named as the target.", ""},
	{"uv-missing", "C", config.Warning, "No sign of uv as the package manager.", ""},
	// Gate D
	{"question-unanswered", "D", config.Warning, "A question with no answer, or a TODO/TBD/NEEDS CLARIFICATION marker outside code.", ""},
	{"decision-missing", "D", config.Warning, "A design-question topic is never decided.", ""},
	{"open-questions-missing", "D", config.Info, "No Open Questions section.", ""},
	// Gate F
	{"graph-cycle", "F", config.Error, "A cycle of synchronous (gRPC/REST) dependencies.", ""},
	{"shared-database", "F", config.Warning, "Two services own the same database.", ""},
	{"resilience-missing", "F", config.Warning, "Synchronous calls exist but no timeouts/retries/circuit breakers are specified.", ""},
	{"observability-missing", "F", config.Warning, "No metrics, tracing or structured logging specified.", ""},
	{"deployment-order", "F", config.Warning, "A deployment phase starts a service before one it depends on.", "Reorder the phases in dependency order."},
	{"checklist-incomplete", "F", config.Warning, "A Python Production Checklist item is missing or unchecked.", ""},
	{"proto-invalid", "F", config.Error, "A proto block does not parse.", ""},
	{"yaml-invalid", "F", config.Error, "A yaml block does not parse.", ""},
	// PRD rules
	{"prd-implementation-leak", "", config.Warning, "The PRD names implementation technology outside code.", ""},
	{"requirements-unnumbered", "", config.Warning, "Functional requirements are not numbered.", ""},
	{"metric-unmeasurable", "", config.Warning, "A success metric has no number, unit or target.", ""},
	{"risk-without-mitigation", "", config.Warning, "A risk with no mitigation.", ""},
	// Gate status
	{"gate-claim-false", "", config.Error, "The document ticks a gate as passed while it fails.", "Untick the claim."},
}

var byCode = func() map[string]*Rule {
	m := make(map[string]*Rule, len(catalog))
	for i := range catalog {
		m[catalog[i].Code] = &catalog[i]
	}
	return m
}()

// Rules returns the catalog, sorted by gate then code.
func Rules() []Rule {
	out := append([]Rule(nil), catalog...)
	sort.SliceStable(out, func(i, j int) bool { return gateOrder(out[i].Gate) < gateOrder(out[j].Gate) })
	return out
}

func gateOrder(g string) string {
	if g == "" {
		return "Z"
	}
	return g
}

// Lookup returns the rule with the code, or nil.
func Lookup(code string) *Rule { return byCode[code] }

// KnownRule reports whether code is a rule code.
func KnownRule(code string) bool { return byCode[code] != nil }
