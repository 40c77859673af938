// Package rules is the registry of specls's rule codes: one value per rule,
// declaring its code, gate, default severity, summary and quick fix. Checks
// report with these values (rules.GraphCycle), so a misspelled code does not
// compile; docs/rules.md, the SARIF rule list and the editors' settings are
// verified against this registry by tests.
package rules

import (
	"slices"

	"github.com/specls/specls/config"
)

// Rule is one diagnostic rule. Codes are a contract: once released a code
// never changes meaning.
type Rule struct {
	Code     string
	Gate     string // "A".."F", or "" for rules outside the gates (PRD rules, gate status)
	Severity config.Severity
	Summary  string // one line: what the rule reports
	// Fix says what the rule's quick fix does, or "" when it has none. The
	// codeactions package registers a fix for exactly the rules that say so
	// (a test holds them together).
	Fix string
	// Needs says what the rule needs to run: the profile it belongs to and
	// what a workspace's own template must ask for (see Need). The zero
	// value is a generic rule, which runs everywhere.
	Needs Need

	index int // position in the registry
}

// Need is what a rule requires of the template in force. A generic rule
// (the zero Need) always runs. A rule of a profile runs when that profile is
// in force (the built-in template, or profile: in .specls.yaml), or when the
// workspace's own template asks for what it checks: its text names one of
// Cues (lower case, matched as substrings of the lower-cased template).
type Need struct {
	Profile string
	Cues    []string
}

// python marks a rule of the seed's Python microservices stack.
func python(cues ...string) Need { return Need{Profile: config.ProfilePython, Cues: cues} }

// DocsURL is where docs/rules.md is published; a rule's entry is its anchor.
const DocsURL = "https://github.com/specls/specls/blob/main/docs/rules.md"

// Href returns the address of the rule's entry in docs/rules.md.
func (r *Rule) Href() string { return DocsURL + "#" + r.Code }

func (r *Rule) String() string { return r.Code }

// Index is the rule's position in the registry: a dense key for tables
// indexed by rule.
func (r *Rule) Index() int { return r.index }

var (
	all    []*Rule
	byCode = map[string]*Rule{}
)

func add(r Rule) *Rule {
	if byCode[r.Code] != nil {
		panic("rules: duplicate code " + r.Code)
	}
	p := &r
	p.index = len(all)
	all = append(all, p)
	byCode[r.Code] = p
	return p
}

// All returns every rule, sorted by gate (A..F, then the rules outside the
// gates), in registry order within a gate.
func All() []*Rule {
	out := slices.Clone(all)
	slices.SortStableFunc(out, func(a, b *Rule) int { return cmpGate(a.Gate, b.Gate) })
	return out
}

func cmpGate(a, b string) int {
	if a == "" {
		a = "Z"
	}
	if b == "" {
		b = "Z"
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Count is the number of rules (the bound of Index).
func Count() int { return len(all) }

// Lookup returns the rule with the code, or nil.
func Lookup(code string) *Rule { return byCode[code] }

// Known reports whether code is a rule code.
func Known(code string) bool { return byCode[code] != nil }

// InGate returns the rules of gate g.
func InGate(g string) []*Rule {
	var out []*Rule
	for _, r := range all {
		if r.Gate == g {
			out = append(out, r)
		}
	}
	return out
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

// The registry. Keep this order: it is the order of docs/rules.md within a gate.
var (
	// Gate E
	SectionMissing = add(Rule{Code: "section-missing", Gate: "E", Severity: config.Error,
		Summary: "A required template section is absent.",
		Fix:     "Insert the section skeleton at its template position; or generate it."})
	SectionRenamed = add(Rule{Code: "section-renamed", Gate: "E", Severity: config.Warning,
		Summary: "A heading is a near miss of a template heading.",
		Fix:     "Rename the heading to the template's."})
	SectionLevel = add(Rule{Code: "section-level", Gate: "E", Severity: config.Warning,
		Summary: "A heading's level differs from the template's.",
		Fix:     "Change the heading level."})
	SectionOrder = add(Rule{Code: "section-order", Gate: "E", Severity: config.Warning,
		Summary: "A section stands out of template order.",
		Fix:     "Move the section to its template position."})
	SectionDuplicate = add(Rule{Code: "section-duplicate", Gate: "E", Severity: config.Warning,
		Summary: "The same template section appears twice."})
	SectionEmpty = add(Rule{Code: "section-empty", Gate: "E", Severity: config.Warning,
		Summary: "A section has no content of its own.",
		Fix:     "Generate the section."})
	SectionPlaceholder = add(Rule{Code: "section-placeholder", Gate: "E", Severity: config.Warning,
		Summary: "A section still holds template text, a [bracketed placeholder], TODO/TBD/TKTK, [NEEDS CLARIFICATION: ...] or an Example: row.",
		Fix:     "Generate the section."})
	TitlePlaceholder = add(Rule{Code: "title-placeholder", Gate: "E", Severity: config.Warning,
		Summary: "The title still says \"Template\" or holds a bracketed placeholder.",
		Fix:     "Name the title after the feature."})

	// Gate A
	PRDMissing = add(Rule{Code: "prd-missing", Gate: "A", Severity: config.Error,
		Summary: "A _techspec.md whose folder has no _prd.md.",
		Fix:     "Create `_prd.md` from the PRD template."})
	PRDFailing = add(Rule{Code: "prd-failing", Gate: "A", Severity: config.Warning,
		Summary: "The sibling PRD has errors of its own."})
	FeatureFolder = add(Rule{Code: "feature-folder", Gate: "A", Severity: config.Warning,
		Summary: "The file is not in tasks/prd-<kebab-case-slug>/."})
	ServicesMissing = add(Rule{Code: "services-missing", Gate: "A", Severity: config.Error,
		Summary: "Service Definitions defines no ### <Service>.",
		Fix:     "Add a service skeleton for each graph node.",
		Needs:   python("service definitions", "[service name]")})
	ServiceIncomplete = add(Rule{Code: "service-incomplete", Gate: "A", Severity: config.Warning,
		Summary: "A service lacks purpose, gRPC definition, REST endpoints, database schema or dependencies.",
		Needs:   python("grpc service definition")})
	RequirementUntraced = add(Rule{Code: "requirement-untraced", Gate: "A", Severity: config.Warning,
		Summary: "A numbered PRD requirement is never referenced by the tech spec."})

	// Gate B
	GraphMissing = add(Rule{Code: "graph-missing", Gate: "B", Severity: config.Error,
		Summary: "No mermaid service dependency graph.",
		Fix:     "Generate the graph from the service definitions.",
		Needs:   python("dependency graph")})
	GraphInvalid = add(Rule{Code: "graph-invalid", Gate: "B", Severity: config.Error,
		Summary: "The mermaid flowchart does not parse.",
		Needs:   python("mermaid", "dependency graph", "flowchart")})
	GraphServiceMissing = add(Rule{Code: "graph-service-missing", Gate: "B", Severity: config.Warning,
		Summary: "A defined service is not a node of the graph.",
		Needs:   python("dependency graph")})
	GraphServiceUndefined = add(Rule{Code: "graph-service-undefined", Gate: "B", Severity: config.Warning,
		Summary: "A graph node named like a service has no definition.",
		Fix:     "Mark the node as existing, or add a service skeleton.",
		Needs:   python("dependency graph")})
	MatrixMissing = add(Rule{Code: "matrix-missing", Gate: "B", Severity: config.Error,
		Summary: "No Communication Matrix (From/To/Protocol/Pattern).",
		Fix:     "Generate it from the graph edges.",
		Needs:   python("communication matrix")})
	MatrixMismatch = add(Rule{Code: "matrix-mismatch", Gate: "B", Severity: config.Warning,
		Summary: "A graph edge without a matrix row, a row without an edge, or a protocol that differs.",
		Fix:     "Add the missing rows.",
		Needs:   python("communication matrix")})
	OwnershipMissing = add(Rule{Code: "ownership-missing", Gate: "B", Severity: config.Error,
		Summary: "No Data Ownership table (Service/Database/Data Domain).",
		Fix:     "Generate rows for the services.",
		Needs:   python("data ownership")})
	OwnershipServiceMissing = add(Rule{Code: "ownership-service-missing", Gate: "B", Severity: config.Warning,
		Summary: "A service without an ownership row.",
		Fix:     "Add a row.",
		Needs:   python("data ownership")})
	AnalysisMissing = add(Rule{Code: "analysis-missing", Gate: "B", Severity: config.Warning,
		Summary: "A step-2 deliverable is absent: consistency model per service, failure impact analysis.",
		Fix:     "Insert the template's section for it, when the template has one.",
		Needs:   python("consistency model", "failure impact", "failure modes", "failure analysis")})

	// Gate C
	LibrariesMissing = add(Rule{Code: "libraries-missing", Gate: "C", Severity: config.Error,
		Summary: "No libraries assessment.",
		Fix:     "Insert the template's section for it, when the template has one.",
		Needs:   python("libraries assessment", "library assessment", "library selection", "library choices", "| library |")})
	LibraryBelowMinimum = add(Rule{Code: "library-below-minimum", Gate: "C", Severity: config.Error,
		Summary: "A core-stack library constrained below its approved minimum.",
		Fix:     "Raise it to the minimum.",
		Needs:   python("python", "pypi")})
	LibraryUnpinned = add(Rule{Code: "library-unpinned", Gate: "C", Severity: config.Warning,
		Summary: "A library with no version constraint.",
		Needs:   python("libraries assessment", "library assessment", "version constraint")})
	LibraryLicense = add(Rule{Code: "library-license", Gate: "C", Severity: config.Warning,
		Summary: "A license outside the allowed list.",
		Needs:   python("license", "licence")})
	PythonVersion = add(Rule{Code: "python-version", Gate: "C", Severity: config.Error,
		Summary: "Python below 3.11 is named as the target.",
		Needs:   python("python")})
	UVMissing = add(Rule{Code: "uv-missing", Gate: "C", Severity: config.Warning,
		Summary: "No sign of uv as the package manager.",
		Needs:   python("uv ", "uv.", "uv,", "uv)", "(uv")})

	// Gate D
	QuestionUnanswered = add(Rule{Code: "question-unanswered", Gate: "D", Severity: config.Warning,
		Summary: "A question with no answer, or a TODO/TBD/NEEDS CLARIFICATION marker outside code."})
	DecisionMissing = add(Rule{Code: "decision-missing", Gate: "D", Severity: config.Warning,
		Summary: "A design-question topic is never decided.",
		Needs:   python("service discovery", "database per service")})
	OpenQuestionsMissing = add(Rule{Code: "open-questions-missing", Gate: "D", Severity: config.Info,
		Summary: "No Open Questions section.",
		Fix:     "Insert the template's section for it, when the template has one.",
		Needs:   python("open questions")})

	// Gate F
	GraphCycle = add(Rule{Code: "graph-cycle", Gate: "F", Severity: config.Error,
		Summary: "A cycle of synchronous (gRPC/REST) dependencies.",
		Needs:   python("dependency graph")})
	SharedDatabase = add(Rule{Code: "shared-database", Gate: "F", Severity: config.Warning,
		Summary: "Two services own the same database.",
		Needs:   python("data ownership", "database per service")})
	ResilienceMissing = add(Rule{Code: "resilience-missing", Gate: "F", Severity: config.Warning,
		Summary: "Synchronous calls exist but no timeouts/retries/circuit breakers are specified.",
		Needs:   python("circuit breaker", "retries", "resilience", "failure modes")})
	ObservabilityMissing = add(Rule{Code: "observability-missing", Gate: "F", Severity: config.Warning,
		Summary: "No metrics, tracing or structured logging specified.",
		Needs:   python("observability", "tracing")})
	DeploymentOrder = add(Rule{Code: "deployment-order", Gate: "F", Severity: config.Warning,
		Summary: "A deployment phase starts a service before one it depends on.",
		Fix:     "Reorder the phases in dependency order.",
		Needs:   python("deployment sequencing", "deployment phases")})
	ChecklistIncomplete = add(Rule{Code: "checklist-incomplete", Gate: "F", Severity: config.Warning,
		Summary: "A Python Production Checklist item is missing or unchecked.",
		Fix:     "Add the missing items.",
		Needs:   python("production checklist")})
	ProtoInvalid = add(Rule{Code: "proto-invalid", Gate: "F", Severity: config.Error,
		Summary: "A proto block does not parse.",
		Needs:   python("protobuf", "proto definitions", ".proto", "grpc")})
	YAMLInvalid = add(Rule{Code: "yaml-invalid", Gate: "F", Severity: config.Error,
		Summary: "A yaml block does not parse."})

	// PRD rules
	PRDImplementationLeak = add(Rule{Code: "prd-implementation-leak", Gate: "", Severity: config.Warning,
		Summary: "The PRD names implementation technology outside code."})
	RequirementsUnnumbered = add(Rule{Code: "requirements-unnumbered", Gate: "", Severity: config.Warning,
		Summary: "Functional requirements are not numbered."})
	MetricUnmeasurable = add(Rule{Code: "metric-unmeasurable", Gate: "", Severity: config.Warning,
		Summary: "A success metric has no number, unit or target."})
	RiskWithoutMitigation = add(Rule{Code: "risk-without-mitigation", Gate: "", Severity: config.Warning,
		Summary: "A risk with no mitigation."})

	// Files that are not checked at all (spec/screen.go, internal/safefile):
	// one finding each, and no fix touches them.
	FileNotRegular = add(Rule{Code: "file-not-regular", Gate: "", Severity: config.Error,
		Summary: "A spec file is a device, FIFO, socket, folder or dangling symlink; it is not read."})
	PathOutsideWorkspace = add(Rule{Code: "path-outside-workspace", Gate: "", Severity: config.Error,
		Summary: "A spec file resolves (through a symlink) outside the workspace root; it is not read."})
	FileTooLarge = add(Rule{Code: "file-too-large", Gate: "", Severity: config.Error,
		Summary: "A spec file is larger than limits.max-file-size (10 MB); it is not checked."})
	FileNotText = add(Rule{Code: "file-not-text", Gate: "", Severity: config.Error,
		Summary: "A spec file holds a NUL byte, invalid UTF-8 or lone CR line endings; it is not checked and no fix touches it."})
	NestingTooDeep = add(Rule{Code: "nesting-too-deep", Gate: "", Severity: config.Error,
		Summary: "Lists or quotes nest deeper than limits.max-nesting (100); the file is not checked."})

	// Gate status
	GateClaimFalse = add(Rule{Code: "gate-claim-false", Gate: "", Severity: config.Error,
		Summary: "The document ticks a gate as passed while it fails.",
		Fix:     "Untick the claim."})
)
