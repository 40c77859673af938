package diagnostics

import (
	"fmt"
	"os"
	"testing"

	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// TestMain makes an analyzer that reports a rule it does not declare fail
// every test of the package, goldens and fuzz seeds included.
func TestMain(m *testing.M) {
	undeclared = func(a *Analyzer, r *rules.Rule) {
		panic(fmt.Sprintf("analyzer %s reported %s, which it does not declare", a.Name, r.Code))
	}
	os.Exit(m.Run())
}

// TestRegistry holds the analyzers and the rule registry together: every
// rule is reported by exactly one analyzer, and no analyzer declares a rule
// twice.
func TestRegistry(t *testing.T) {
	owner := map[*rules.Rule]string{}
	for _, a := range analyzers {
		if a.Name == "" || a.Run == nil || len(a.Rules) == 0 {
			t.Errorf("analyzer %q lacks a name, a check or rules", a.Name)
		}
		for _, r := range a.Rules {
			if rules.Lookup(r.Code) != r {
				t.Errorf("analyzer %s declares %s, which is not in the registry", a.Name, r.Code)
			}
			if o, ok := owner[r]; ok {
				t.Errorf("%s is declared by both %s and %s", r.Code, o, a.Name)
			}
			owner[r] = a.Name
		}
	}
	for _, r := range rules.All() {
		if _, ok := owner[r]; !ok {
			t.Errorf("no analyzer reports %s", r.Code)
		}
		if AnalyzerOf(r) == nil {
			t.Errorf("AnalyzerOf(%s) = nil", r.Code)
		}
	}
	if rules.Count() != len(owner) {
		t.Errorf("registry has %d rules, analyzers declare %d", rules.Count(), len(owner))
	}
}

// TestUndeclaredRuleIsCaught proves the guard works: a check reporting a
// rule outside its analyzer's list reaches undeclared.
func TestUndeclaredRuleIsCaught(t *testing.T) {
	var got string
	old := undeclared
	undeclared = func(a *Analyzer, r *rules.Rule) { got = a.Name + " " + r.Code }
	defer func() { undeclared = old }()
	c := &Context{current: &Analyzer{Name: "probe", Rules: []*rules.Rule{rules.GraphCycle}}}
	doc := spec.Parse("tasks/prd-x/_techspec.md", []byte("# Technical Specification: X\n"))
	c.Report(rules.SharedDatabase, doc, spec.Span{End: 5}, Data{}, "x")
	if got != "probe shared-database" {
		t.Errorf("undeclared report not caught: %q", got)
	}
}

// TestServicesTable: a | Service | Responsibility | ... | table defines the
// services as well as "### <Service>" headings do; without it, the empty
// Service Definitions is reported.
func TestServicesTable(t *testing.T) {
	base := "# Technical Specification: Shop\n\n## Service Definitions\n\n"
	table := "| Service | Responsibility | Datastore |\n|---|---|---|\n| Orders | Takes orders | PostgreSQL |\n| Catalog | Lists products | MongoDB |\n"
	for _, c := range []struct {
		src  string
		want bool
	}{{base + table, false}, {base + "To be written.\n", true}} {
		d := spec.Parse("tasks/prd-shop/_techspec.md", []byte(c.src))
		in := Input{Feature: &spec.Feature{Dir: "tasks/prd-shop", Slug: "shop", TechSpec: d}}
		got := false
		for _, f := range Check(in) {
			got = got || f.Code == "services-missing"
		}
		if got != c.want {
			t.Errorf("services-missing = %v, want %v, for:\n%s", got, c.want, c.src)
		}
	}
}

// AnalyzerOf returns, for the tests, the analyzer that reports r.
func AnalyzerOf(r *rules.Rule) *Analyzer {
	for _, a := range analyzers {
		for _, ar := range a.Rules {
			if ar == r {
				return a
			}
		}
	}
	return nil
}
