package assist

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

const tech = `# Technical Specification: Orders

## Architecture Overview

Gate B is where the graph lives.

### Service Dependency Graph

` + "```mermaid" + `
graph TD
  Gateway -->|gRPC| Orders[Order Service]
` + "```" + `

### Communication Matrix

| From | To | Protocol | Pattern |
|------|----|----------|---------|
| Gateway | Orders | gRPC | Request-Reply |
| Gate\|way | ` + "`a|b`" + ` |  |  |

## Service Definitions

### Order Service

Takes orders (FR-1).

### Gateway

Routes requests; see ` + "`_prd.md`" + ` and [tasks](_tasks.md).
`

const prdText = `# PRD: Orders

## Core Features

1. FR-1: A customer places an order.
2. FR-2: A customer cancels an order.
`

func feature() (*spec.Feature, *spec.Document) {
	f := &spec.Feature{Dir: "/w/tasks/prd-orders", Slug: "orders"}
	d := spec.Parse("/w/tasks/prd-orders/_techspec.md", []byte(tech))
	f.Set(d)
	f.Set(spec.Parse("/w/tasks/prd-orders/_prd.md", []byte(prdText)))
	return f, d
}

func ctx() Context {
	f, d := feature()
	return Context{Feature: f, Doc: d, Template: spec.BuiltinTemplate(spec.KindTechSpec)}
}

func at(s, needle string) int {
	i := strings.Index(s, needle)
	if i < 0 {
		panic(needle)
	}
	return i
}

func TestServices(t *testing.T) {
	c := ctx()
	var names []string
	for _, s := range Services(c.Doc, c.Template) {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"Order Service", "Gateway"}) {
		t.Fatalf("services %v", names)
	}
}

func TestCellAt(t *testing.T) {
	_, d := feature()
	tests := []struct {
		needle      string // the cursor goes after it
		row, column int
		content     string
	}{
		{"| From", -1, 0, "From"},
		{"|------|-", -2, 1, "----"},
		{"| Gateway | Ord", 0, 1, "Orders"},
		{"| Gateway | Orders | gRPC | ", 0, 3, "Request-Reply"},
		{"| Gate\\|way | ", 1, 1, "`a|b`"},      // escaped and code-span pipes do not split
		{"| Gate\\|way | `a|b` | ", 1, 2, ""},   // an empty cell
		{"| Gate\\|way | `a|b` |  |", 1, 3, ""}, // at the start of the last cell's padding
	}
	for _, tt := range tests {
		off := at(tech, tt.needle) + len(tt.needle)
		c, ok := cellAt(d, off)
		if !ok {
			t.Errorf("after %q: no cell", tt.needle)
			continue
		}
		if c.Row != tt.row || c.Column != tt.column || c.Content.Text(d.Text) != tt.content || !c.Content.Contains(off) {
			t.Errorf("after %q: row %d column %d content %q %v, want row %d column %d %q holding the cursor", tt.needle, c.Row, c.Column, c.Content.Text(d.Text), c.Content, tt.row, tt.column, tt.content)
		}
	}
	if _, ok := cellAt(d, at(tech, "Takes orders")); ok {
		t.Errorf("prose is not a table cell")
	}
}

func TestComplete(t *testing.T) {
	c := ctx()
	tests := []struct {
		name   string
		text   string // replaces the document; the cursor is at "‸"
		labels []string
		insert string // the first item's insert text
	}{
		{"requirement IDs", "See FR‸", []string{"FR-1", "FR-2"}, "FR-1"},
		{"requirement ID narrowed", "See FR-2‸", []string{"FR-2"}, "FR-2"},
		{"protocol column", "| From | To | Protocol | Pattern |\n|--|--|--|--|\n| a | b | ‸ |  |\n", Protocols, "gRPC"},
		{"pattern column", "| From | To | Protocol | Pattern |\n|--|--|--|--|\n| a | b | gRPC | Req‸ |\n", Patterns, "Request-Reply"},
		{"header row offers nothing", "| From | To‸ | Protocol | Pattern |\n|--|--|--|--|\n", nil, ""},
		{"code block offers nothing", "```go\nFR‸\n```\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := strings.Index(tt.text, "‸")
			src := strings.Replace(tt.text, "‸", "", 1)
			c.Doc = spec.Parse(c.Doc.Path, []byte(src))
			items := Complete(c, off)
			var labels []string
			for _, it := range items {
				labels = append(labels, it.Label)
				if it.Replace.Start > off || it.Replace.End < off {
					t.Errorf("item %q replaces %v, which does not hold the cursor %d", it.Label, it.Replace, off)
				}
			}
			if !slices.Equal(labels, tt.labels) {
				t.Fatalf("labels %v, want %v", labels, tt.labels)
			}
			if len(items) > 0 && items[0].Insert != tt.insert {
				t.Errorf("insert %q, want %q", items[0].Insert, tt.insert)
			}
		})
	}
}

func TestCompleteHeadingReplacesLine(t *testing.T) {
	c := ctx()
	src := "# Technical Specification: X\n\n## Arch\n"
	c.Doc = spec.Parse(c.Doc.Path, []byte(src))
	off := strings.Index(src, "## Arch") + len("## Arch")
	items := Complete(c, off)
	if len(items) == 0 {
		t.Fatal("no heading items")
	}
	first := items[0]
	for _, it := range items {
		if it.Sort < first.Sort {
			first = it
		}
	}
	if first.Label != "Architecture Overview" || first.Insert != "## Architecture Overview" || first.Replace.Text(c.Doc.Text) != "## Arch" {
		t.Errorf("first item %+v", first)
	}
}

func TestHover(t *testing.T) {
	c := ctx()
	c.Findings = []diagnostics.Finding{{Code: "graph-missing", Gate: "B", Severity: config.Error, Path: c.Doc.Path, Span: spec.Span{Start: at(tech, "### Service Dependency"), End: at(tech, "### Service Dependency") + 3}, Message: "no graph"}}
	c.Gates = diagnostics.Status(c.Findings, config.Default(), nil)
	text, sp, ok := Hover(c, at(tech, "Gate B")+2)
	if !ok || sp.Text(c.Doc.Text) != "Gate B" {
		t.Fatalf("hover on Gate B: %v %q", ok, sp.Text(c.Doc.Text))
	}
	for _, want := range []string{"Gate B — Architecture analysis", "✗ failing — 1 check", "`graph-missing` [_techspec.md:7](file:///w/tasks/prd-orders/_techspec.md#L7) — no graph"} {
		if !strings.Contains(text, want) {
			t.Errorf("gate hover lacks %q:\n%s", want, text)
		}
	}
	text, _, _ = Hover(c, at(tech, "Service Dependency Graph"))
	for _, want := range []string{"the built-in template suggests", "mermaid flowchart", "Gate B (", "Findings (1)", "graph-missing"} {
		if !strings.Contains(text, want) {
			t.Errorf("section hover lacks %q:\n%s", want, text)
		}
	}
	text, _, _ = Hover(c, at(tech, "FR-1"))
	if !strings.Contains(text, "A customer places an order.") {
		t.Errorf("requirement hover:\n%s", text)
	}
	if _, _, ok := Hover(c, at(tech, "Takes")); ok {
		t.Errorf("hover on prose")
	}
	// A heading still being typed has nothing to say yet.
	// A gate that fails more often than it keeps findings still says how
	// many more there are.
	c.Findings = nil
	for i := range 25 {
		c.Findings = append(c.Findings, diagnostics.Finding{Code: "matrix-mismatch", Gate: "B", Severity: config.Error, Path: c.Doc.Path, Span: spec.Span{Start: i, End: i + 1}, Message: fmt.Sprintf("row %d", i)})
	}
	c.Gates = diagnostics.Status(c.Findings, config.Default(), nil)
	text, _, _ = Hover(c, at(tech, "Gate B")+2)
	if !strings.Contains(text, "✗ failing — 25 check(s)") || !strings.Contains(text, "— row 9\n- … and 15 more\n") || strings.Contains(text, "row 10") {
		t.Errorf("gate hover with 25 failing:\n%s", text)
	}
	for _, typing := range []string{"## ", "##", "### \t"} {
		c.Doc = spec.Parse(c.Doc.Path, []byte(tech+"\n"+typing+"\n"))
		if text, _, ok := Hover(c, len(tech)+2); ok {
			t.Errorf("hover on %q: %q, want none", typing, text)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ md, want string }{
		{"**Gate B — Architecture analysis**", "Gate B — Architecture analysis"},
		{"- ✗ `graph-missing` [_techspec.md:7](file:///w/t/_techspec.md#L7) — no graph", "- ✗ graph-missing _techspec.md:7 — no graph"},
		{"**FR-2** — [_prd.md:12](file:///w/_prd.md#L12) (Functional)", "FR-2 — _prd.md:12 (Functional)"},
		{"Subsections: `Purpose`, `API`.", "Subsections: Purpose, API."},
		{"a * b and [x] alone", "a * b and [x] alone"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.md); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.md, got, tt.want)
		}
	}
}

func TestSymbolsAndFolds(t *testing.T) {
	c := ctx()
	syms := Symbols(c.Doc, Services(c.Doc, c.Template))
	if len(syms) != 1 || syms[0].Kind != SymbolTitle || len(syms[0].Children) != 2 {
		t.Fatalf("symbols %+v", syms)
	}
	defs := syms[0].Children[1]
	if defs.Name != "Service Definitions" || len(defs.Children) != 2 || defs.Children[0].Kind != SymbolService {
		t.Fatalf("service definitions %+v", defs)
	}
	if got := defs.Span.Text(c.Doc.Text); strings.HasSuffix(got, "\n") {
		t.Errorf("section span ends with blank lines: %q", got)
	}
	kinds := map[FoldKind]int{}
	for _, f := range Folds(c.Doc) {
		kinds[f.Kind]++
		if f.End < f.Start {
			t.Errorf("fold %+v ends before it starts", f)
		}
	}
	if kinds[FoldCode] != 1 || kinds[FoldTable] != 1 || kinds[FoldSection] != len(c.Doc.Headings) {
		t.Errorf("folds by kind %v", kinds)
	}
}

func TestLinksAndDefinition(t *testing.T) {
	c := ctx()
	exists := func(p string) bool { return p == "/w/tasks/prd-orders/_prd.md" }
	links := Links(c.Doc, exists)
	if len(links) != 1 || links[0].Target != "/w/tasks/prd-orders/_prd.md" || links[0].Span.Text(c.Doc.Text) != "_prd.md" {
		t.Fatalf("links %+v", links)
	}
	locs, sp := Definition(c, at(tech, "FR-1")+1)
	if len(locs) != 1 || locs[0].Path != c.Feature.PRD.Path || sp.Text(c.Doc.Text) != "FR-1" {
		t.Fatalf("definition of FR-1: %+v", locs)
	}
	locs, _ = Definition(c, at(tech, "| Gateway | Orders")+13)
	if len(locs) != 1 || locs[0].Span.Text(c.Doc.Text) != "### Order Service" {
		t.Fatalf("definition of Orders in the matrix: %+v", locs)
	}
	locs, _ = Definition(c, at(tech, "| Gateway | Orders")+3)
	if len(locs) != 1 || locs[0].Span.Text(c.Doc.Text) != "### Gateway" {
		t.Fatalf("definition of Gateway: %+v", locs)
	}
}

// TestFindingHover: hovering a finding's range (outside a heading) shows
// the problem, the advice the diagnostic's one-line message leaves out,
// and a link to the rule's documentation.
func TestFindingHover(t *testing.T) {
	c := ctx()
	at0 := at(tech, "Gate B") + 10
	c.Findings = []diagnostics.Finding{{Code: "resilience-missing", Gate: "F", Severity: config.Warning, Path: c.Doc.Path,
		Span: spec.Span{Start: at0, End: at0 + 5}, Message: "no timeouts, retries or circuit breakers", Advice: "state them for each synchronous call"}}
	text, sp, ok := Hover(c, at0+2)
	if !ok || sp.Start != at0 {
		t.Fatalf("no hover on the finding: %v %v", ok, sp)
	}
	for _, want := range []string{"**resilience-missing** — no timeouts", "State them for each synchronous call", "(https://github.com/specls/specls/blob/main/docs/rules.md#resilience-missing)"} {
		if !strings.Contains(text, want) {
			t.Errorf("finding hover lacks %q:\n%s", want, text)
		}
	}
}
