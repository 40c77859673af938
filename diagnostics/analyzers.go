package diagnostics

import (
	"log/slog"
	"sync"

	"github.com/specls/specls/rules"
)

// An Analyzer is one check over a feature and the rules it may report, in
// the manner of staticcheck's analyzers: every rule belongs to exactly one
// analyzer (TestRegistry), so a rule's check is found from its code, and a
// check that reports a rule it does not declare is a bug the tests catch.
type Analyzer struct {
	Name  string
	Rules []*rules.Rule
	Run   func(*Context)
	// Apart marks a check that may run on a goroutine of its own, beside
	// the analyzers after it, on a fork of the tech spec's analysis
	// (Context.apart): one that costs as much as the rest together on a
	// large graph and writes nothing the others read.
	Apart bool
	// Last marks a check that reads the findings of all the others.
	Last bool
}

// analyzers run in this order for every feature; the order decides nothing
// but the order of findings at the same position.
var analyzers = []*Analyzer{
	// Gate E and the PRD rules read one document at a time, through the memo.
	{Name: "documents", Run: checkDocuments, Rules: []*rules.Rule{
		rules.SectionMissing, rules.SectionRenamed, rules.SectionLevel, rules.SectionOrder,
		rules.SectionDuplicate, rules.SectionEmpty, rules.SectionPlaceholder, rules.TitlePlaceholder,
		rules.PRDImplementationLeak, rules.RequirementsUnnumbered, rules.MetricUnmeasurable, rules.RiskWithoutMitigation,
	}},
	// Files that are not checked at all: one finding each.
	{Name: "files", Run: checkRefused, Rules: []*rules.Rule{
		rules.FileNotRegular, rules.PathOutsideWorkspace, rules.FileTooLarge, rules.FileNotText, rules.NestingTooDeep}},
	// Gate A
	{Name: "feature-folder", Run: checkFeatureFolder, Rules: []*rules.Rule{rules.FeatureFolder}},
	{Name: "prd-missing", Run: onTechSpec(checkPRDMissing), Rules: []*rules.Rule{rules.PRDMissing}},
	{Name: "services", Run: onTechSpec(checkServices), Rules: []*rules.Rule{rules.ServicesMissing, rules.ServiceIncomplete}},
	{Name: "traceability", Run: onTechSpec(checkTraceability), Rules: []*rules.Rule{rules.RequirementUntraced}},
	// Gate B
	{Name: "graph", Run: onTechSpec(checkGraph), Rules: []*rules.Rule{
		rules.GraphMissing, rules.GraphInvalid, rules.GraphServiceMissing, rules.GraphServiceUndefined}},
	{Name: "matrix", Run: onTechSpec(checkMatrix), Rules: []*rules.Rule{rules.MatrixMissing, rules.MatrixMismatch}, Apart: true},
	{Name: "ownership", Run: onTechSpec(checkOwnership), Rules: []*rules.Rule{rules.OwnershipMissing, rules.OwnershipServiceMissing}},
	{Name: "analysis", Run: onTechSpec(checkAnalysis), Rules: []*rules.Rule{rules.AnalysisMissing}},
	// Gate C
	{Name: "libraries", Run: onTechSpec(checkLibraries), Rules: []*rules.Rule{
		rules.LibrariesMissing, rules.LibraryBelowMinimum, rules.LibraryUnpinned, rules.LibraryLicense,
		rules.PythonVersion, rules.UVMissing}},
	// Gate D
	{Name: "questions", Run: onTechSpec(checkQuestions), Rules: []*rules.Rule{
		rules.QuestionUnanswered, rules.DecisionMissing, rules.OpenQuestionsMissing}},
	// Gate F
	{Name: "cycles", Run: onTechSpec(checkCycles), Rules: []*rules.Rule{rules.GraphCycle}},
	{Name: "shared-database", Run: onTechSpec(checkSharedDatabase), Rules: []*rules.Rule{rules.SharedDatabase}},
	{Name: "resilience", Run: onTechSpec(checkResilience), Rules: []*rules.Rule{rules.ResilienceMissing}},
	{Name: "observability", Run: onTechSpec(checkObservability), Rules: []*rules.Rule{rules.ObservabilityMissing}},
	{Name: "deployment-order", Run: onTechSpec(checkDeploymentOrder), Rules: []*rules.Rule{rules.DeploymentOrder}},
	{Name: "checklist", Run: onTechSpec(checkChecklist), Rules: []*rules.Rule{rules.ChecklistIncomplete}},
	{Name: "proto", Run: onTechSpec(checkProto), Rules: []*rules.Rule{rules.ProtoInvalid}},
	{Name: "yaml", Run: onTechSpec(checkYAML), Rules: []*rules.Rule{rules.YAMLInvalid}},
	// Last: they read the findings of the others.
	{Name: "prd-failing", Run: checkPRDFailing, Rules: []*rules.Rule{rules.PRDFailing}, Last: true},
	{Name: "gate-claims", Run: checkGateClaims, Rules: []*rules.Rule{rules.GateClaimFalse}, Last: true},
}

// onTechSpec runs a check that reads the tech spec's artifacts, when the
// feature has a tech spec.
func onTechSpec(check func(*Context, *analysis)) func(*Context) {
	return func(c *Context) {
		if a := c.artifacts(); a != nil {
			check(c, a)
		}
	}
}

// anyEnabled reports whether any rule of a will be reported: an analyzer
// whose rules are all off does not run.
func (c *Context) anyEnabled(a *Analyzer) bool {
	for _, r := range a.Rules {
		if c.Enabled(r) {
			return true
		}
	}
	return false
}

// undeclared is called when an analyzer reports a rule it does not
// declare. The finding is still reported; the tests make it fatal.
var undeclared = func(a *Analyzer, r *rules.Rule) {
	undeclaredOnce.Do(func() { slog.Error("analyzer reported an undeclared rule", "analyzer", a.Name, "rule", r.Code) })
}

var undeclaredOnce sync.Once
