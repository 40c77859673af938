package codeactions

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// failing is a tech spec with problems of every Gate E kind.
func failing(t *testing.T) (diagnostics.Input, *spec.Document) {
	t.Helper()
	a := readArchive(t, "testdata/fixall/derived-graph.txtar")
	in, d := techSpec(a.files["_techspec.md"])
	return in, d
}

func kinds(as []Action) map[string]int {
	out := map[string]int{}
	for _, a := range as {
		out[a.Kind]++
	}
	return out
}

func TestForQuickFixAtFinding(t *testing.T) {
	in, d := failing(t)
	findings := diagnostics.Check(in)
	var renamed diagnostics.Finding
	for _, fd := range findings {
		if fd.Code == "section-renamed" {
			renamed = fd
		}
	}
	if renamed.Code == "" {
		t.Fatal("the fixture has no section-renamed finding")
	}
	// A cursor at the end of the diagnostic's range still gets its fix.
	as := For(Request{Input: in, Findings: findings, Doc: d, Span: spec.Span{Start: renamed.Span.End, End: renamed.Span.End}, Only: []string{KindQuickFix}})
	if len(as) == 0 {
		t.Fatal("no quick fix")
	}
	var found bool
	for _, a := range as {
		if a.Kind != KindQuickFix {
			t.Errorf("Only quickfix, got kind %s", a.Kind)
		}
		if a.Title == `Rename "Data Model" to "Data Models"` {
			found = true
			if !a.Preferred || !a.Safe || len(a.Fixes) != 1 || a.Fixes[0].Code != "section-renamed" {
				t.Errorf("rename action %+v", a)
			}
		}
	}
	if !found {
		t.Errorf("no rename among %v", titles(as))
	}
}

func titles(as []Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Kind+": "+a.Title)
	}
	return out
}

func TestForOnly(t *testing.T) {
	in, d := failing(t)
	findings := diagnostics.Check(in)
	all := d.Find("Communication Matrix")[0].Span // holds template rows
	tests := []struct {
		only []string
		want map[string]bool // kinds allowed
	}{
		{[]string{"source"}, map[string]bool{KindSource: true, KindFixAll: true}},
		{[]string{"source.fixAll"}, map[string]bool{KindFixAll: true}},
		{[]string{"quickfix"}, map[string]bool{KindQuickFix: true}},
		{[]string{"refactor"}, map[string]bool{KindRewrite: true}},
	}
	for _, tc := range tests {
		as := For(Request{Input: in, Findings: findings, Doc: d, Span: all, Only: tc.only})
		if len(as) == 0 {
			t.Errorf("Only %v: no actions", tc.only)
		}
		for k := range kinds(as) {
			if !tc.want[k] {
				t.Errorf("Only %v: got kind %s", tc.only, k)
			}
		}
	}
}

func TestForFixAllMatchesFixAll(t *testing.T) {
	in, d := failing(t)
	findings := diagnostics.Check(in)
	as := For(Request{Input: in, Findings: findings, Doc: d, Only: []string{KindFixAll}})
	if len(as) != 1 {
		t.Fatalf("want one fix-all action, got %v", titles(as))
	}
	a := as[0]
	got, err := Apply(d.Text, a.Edits)
	if err != nil {
		t.Fatal(err)
	}
	res, err := FixAll(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := string(res.Files[d.Path]); string(got) != want {
		t.Errorf("the fix-all action's edits give\n%s\nFixAll gives\n%s", got, want)
	}
	if len(a.Fixes) == 0 {
		t.Error("the fix-all action names no findings")
	}
	for _, fd := range a.Fixes {
		if fd.Code == "section-placeholder" && fd.Data.Section != nil && fd.Data.Section.Title == "Libraries Assessment" {
			t.Errorf("fix-all claims to fix a finding it leaves: %s", fd.Message)
		}
	}
	// Edits are ordered and do not overlap, as a WorkspaceEdit needs.
	for i := 1; i < len(a.Edits); i++ {
		if a.Edits[i].Span.Start < a.Edits[i-1].Span.End {
			t.Errorf("edits %v and %v overlap or are out of order", a.Edits[i-1].Span, a.Edits[i].Span)
		}
	}
}

// TestForFixAllSettles: once fix-all is applied, no fix-all is offered.
func TestForFixAllSettles(t *testing.T) {
	in, d := failing(t)
	res, err := FixAll(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	in2, d2 := techSpec(string(res.Files[d.Path]))
	for _, p := range res.Changed() {
		if p != d.Path {
			in2.Feature.Set(spec.Parse(p, res.Files[p]))
		}
	}
	if as := For(Request{Input: in2, Findings: diagnostics.Check(in2), Doc: d2, Only: []string{KindFixAll}}); len(as) != 0 {
		t.Errorf("after fix-all, still offered: %v (%+v)", titles(as), as[0].Edits)
	}
}

func TestInsertAllMissingSections(t *testing.T) {
	in, d := failing(t)
	findings := diagnostics.Check(in)
	var insertAll *Action
	for _, a := range For(Request{Input: in, Findings: findings, Doc: d, Only: []string{KindSource}}) {
		if a.Title == "Insert all missing sections" {
			insertAll = &a
		}
	}
	if insertAll == nil {
		t.Fatal("no Insert all missing sections")
	}
	got, err := Apply(d.Text, mergeInserts(insertAll.Edits))
	if err != nil {
		t.Fatal(err)
	}
	in2, _ := techSpec(string(got))
	for _, fd := range diagnostics.Check(in2) {
		if fd.Code == "section-missing" || fd.Code == "section-duplicate" || fd.Code == "libraries-missing" || fd.Code == "ownership-missing" {
			t.Errorf("after inserting every missing section: %s: %s", fd.Code, fd.Message)
		}
	}
	if !strings.Contains(string(got), "\n## Libraries Assessment\n") {
		t.Error("Libraries Assessment (reported by libraries-missing) was not inserted")
	}
}

func TestCreateTechSpecForPRD(t *testing.T) {
	prdPath := filepath.Join(featureDir, "_prd.md")
	prd := spec.Parse(prdPath, []byte("# Product Requirements Document: AI Chat\n\n## Overview\n\nChat.\n"))
	in := diagnostics.Input{Feature: &spec.Feature{Dir: featureDir, Slug: "ai-chat", PRD: prd}}
	var create *Action
	for _, a := range For(Request{Input: in, Findings: diagnostics.Check(in), Doc: prd, Only: []string{KindSource}}) {
		if a.Title == "Create the tech spec for this PRD" {
			create = &a
		}
	}
	if create == nil || len(create.Creates) != 1 {
		t.Fatal("no Create the tech spec action")
	}
	c := create.Creates[0]
	if c.Path != filepath.Join(featureDir, "_techspec.md") {
		t.Errorf("path %s", c.Path)
	}
	if !strings.HasPrefix(c.Content, "# Technical Specification: AI Chat\n\n## Architecture Overview\n") {
		t.Errorf("content starts %q", c.Content[:60])
	}
	if !strings.Contains(c.Content, "- [ ] Error handling with Sentry integration") {
		t.Error("the checklist is not filled")
	}
	feat := *in.Feature
	feat.TechSpec = spec.Parse(c.Path, []byte(c.Content))
	for _, fd := range diagnostics.Check(diagnostics.Input{Feature: &feat}) {
		if fd.Path == c.Path && (fd.Code == "section-missing" || fd.Code == "section-order" || fd.Code == "title-placeholder" || fd.Code == "section-level") {
			t.Errorf("the created tech spec has %s: %s", fd.Code, fd.Message)
		}
	}
	// Once the tech spec exists, the action is no longer offered.
	for _, a := range For(Request{Input: diagnostics.Input{Feature: &feat}, Doc: prd, Only: []string{KindSource}}) {
		if a.Title == "Create the tech spec for this PRD" {
			t.Error("offered while the tech spec exists")
		}
	}
}

func TestGenerateRewriteOnTemplateSection(t *testing.T) {
	a := readArchive(t, "testdata/fixes/generate-proto.txtar")
	in, d := techSpec(a.files["_techspec.md"])
	findings := diagnostics.Check(in)
	sec := d.Find("Proto Definitions")[0]
	// A cursor on the heading, away from the placeholder finding.
	cursor := spec.Span{Start: sec.Heading.Start, End: sec.Heading.Start}
	as := For(Request{Input: in, Findings: findings, Doc: d, Span: cursor})
	var gen []Action
	for _, x := range as {
		if strings.HasPrefix(x.Title, "Generate \"Proto Definitions\"") {
			gen = append(gen, x)
		}
	}
	if len(gen) != 1 || gen[0].Kind != KindRewrite {
		t.Fatalf("want one rewrite Generate action, got %v", titles(as))
	}
	got, _ := Apply(d.Text, gen[0].Edits)
	if want := a.files["want/_techspec.md"]; string(got) != want {
		t.Errorf("the rewrite differs from the quick fix's golden")
	}
	// On the finding itself it is offered once, as a quick fix.
	var ph diagnostics.Finding
	for _, fd := range findings {
		if fd.Code == "section-placeholder" && fd.Data.Section == sec {
			ph = fd
		}
	}
	n := 0
	for _, x := range For(Request{Input: in, Findings: findings, Doc: d, Span: ph.Span}) {
		if strings.HasPrefix(x.Title, "Generate \"Proto Definitions\"") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Generate offered %d times on its finding", n)
	}
}

// TestUntickGateClaim: a false "- [x] Gate B" claim can be unticked, as a
// quick fix the user picks; fix-all never changes the author's claim.
func TestUntickGateClaim(t *testing.T) {
	a := readArchive(t, "testdata/fixall/derived-graph.txtar")
	for _, box := range []string{"[x]", "[X]"} {
		in, d := techSpec(a.files["_techspec.md"] + "\n## Gates\n\n- " + box + " Gate E: the template is followed\n")
		var claim diagnostics.Finding
		for _, fd := range diagnostics.Check(in) {
			if fd.Code == "gate-claim-false" {
				claim = fd
			}
		}
		if claim.Code == "" {
			t.Fatalf("%s: no gate-claim-false finding", box)
		}
		as := For(Request{Input: in, Findings: diagnostics.Check(in), Doc: d, Span: claim.Span, Only: []string{KindQuickFix}})
		var untick *Action
		for i := range as {
			if strings.HasPrefix(as[i].Title, "Untick the Gate E claim") {
				untick = &as[i]
			}
		}
		if untick == nil || untick.Safe || untick.Preferred {
			t.Fatalf("%s: want an unsafe, not preferred untick action, got %v", box, titles(as))
		}
		got, _ := Apply(d.Text, untick.Edits)
		if !strings.HasSuffix(string(got), "- [ ] Gate E: the template is followed\n") {
			t.Errorf("%s: got %q", box, string(got)[len(got)-60:])
		}
		res, _ := FixAll(in, nil)
		if !strings.Contains(string(res.Files[d.Path]), "- "+box+" Gate E") {
			t.Errorf("%s: fix-all unticked the claim", box)
		}
	}
}

// TestFixesMatchRegistry holds the quick fixes and the registry together:
// a rule has a registered fix exactly when its registry entry names one
// (which docs/rules.md and SARIF then promise).
func TestFixesMatchRegistry(t *testing.T) {
	for _, r := range rules.All() {
		has := fixes[r] != nil
		if has != (r.Fix != "") {
			t.Errorf("%s: registry Fix %q, but a fix is registered: %v", r.Code, r.Fix, has)
		}
	}
	for r := range fixes {
		if rules.Lookup(r.Code) != r {
			t.Errorf("a fix is registered for %s, which is not in the registry", r.Code)
		}
	}
}

// TestMarkExisting: a graph node that looks like a service but has no
// definition (an existing system) gets "mark as existing", whose edit
// parses and silences the finding; fix-all invents no "### Payments
// Service" stub for it, and the message shows the syntax.
func TestMarkExisting(t *testing.T) {
	src := "# Technical Specification: AI Chat\n\n## Architecture Overview\n\n```mermaid\ngraph TD\n  Chat[Chat Service] -->|gRPC| Pay[Payments Service]\n```\n\n## Service Definitions\n\n### Chat Service\n\nAnswers users.\n"
	doc := spec.Parse(filepath.Join(featureDir, "_techspec.md"), []byte(src))
	in := input(&spec.Feature{Dir: featureDir, Slug: "ai-chat", TechSpec: doc})
	var fd *diagnostics.Finding
	for _, f := range diagnostics.Check(in) {
		if f.Code == "graph-service-undefined" {
			fd = &f
		}
	}
	if fd == nil {
		t.Fatal("no graph-service-undefined finding")
	}
	if !strings.Contains(fd.Advice, `Pay["Payments Service (existing)"]`) {
		t.Errorf("advice does not show the syntax: %q", fd.Advice)
	}
	var mark *Action
	for _, a := range newFixer(in, doc).actionsFor(*fd) {
		if strings.HasPrefix(a.Title, "Mark ") {
			mark = &a
		}
		if a.Safe || a.Preferred {
			t.Errorf("%q is safe or preferred: the author must choose", a.Title)
		}
	}
	if mark == nil {
		t.Fatal("no mark-as-existing action")
	}
	got, err := Apply(doc.Text, mark.Edits)
	if err != nil {
		t.Fatal(err)
	}
	in2 := input(&spec.Feature{Dir: featureDir, Slug: "ai-chat", TechSpec: spec.Parse(doc.Path, got)})
	for _, f := range diagnostics.Check(in2) {
		if f.Code == "graph-service-undefined" || f.Code == "graph-invalid" {
			t.Errorf("after marking: %s: %s", f.Code, f.Message)
		}
	}
	res, err := FixAll(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Files[doc.Path]), "### Payments Service") {
		t.Error("fix-all invented a Payments Service definition")
	}
}
