package diagnostics

import (
	"fmt"
	"github.com/specls/specls/arch"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

func TestLicenseAllowed(t *testing.T) {
	allowed := DefaultLicenses
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"MIT", true}, {"MIT License", true}, {"Apache 2.0", true}, {"Apache License 2.0", true}, {"Apache-2.0", true},
		{"BSD-3-Clause", true}, {"BSD 2-Clause", true}, {"New BSD", true}, {"MIT OR Apache-2.0", true}, {"Apache-2.0 / BSD", true},
		{"LGPL-3.0", false}, {"GPL-3.0-or-later", false}, {"AGPL", false}, {"MPL-2.0", false}, {"PSF-2.0", false}, {"proprietary", false},
	} {
		if got := licenseAllowed(tc.in, allowed); got != tc.want {
			t.Errorf("licenseAllowed(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !licenseAllowed("PSF", []string{"PSF-2.0"}) || licenseAllowed("BSD-3-Clause", []string{"MIT"}) {
		t.Error("configured license lists are not honoured")
	}
}

// TestQuestions pins which question lines count as answered.
func TestQuestions(t *testing.T) {
	src := `# T

## Technical Decisions

- Service discovery? Kubernetes DNS.
- Caching strategy?
  - Redis for slot search only.
- Message broker?
- Secrets?
  TBD
- Config? TBD

**Why gRPC and not REST between services?**

Because the contracts are shared protos.

### Do we shard the orders table?

## Open Questions

- Should quiet hours apply in Phase 2? Owner: Lena, by the Phase 2 kick-off.
- Who owns the SMS contract?
`
	d := spec.Parse("tasks/prd-x/_techspec.md", []byte(src))
	var got []string
	for _, q := range questionLines(d) {
		got = append(got, fmt.Sprintf("%v %v «%s»", q.answered, q.open, q.q.Text(d.Text)))
	}
	// Lines with text after the "?" ("Service discovery? Kubernetes DNS.",
	// "Config? TBD") are not taken for questions: the first is answered, the
	// marker of the second is section-placeholder's.
	want := []string{
		"true false «Caching strategy?»",
		"false false «Message broker?»",
		"false false «Secrets?»",
		"true false «Why gRPC and not REST between services?»",
		"false false «Do we shard the orders table?»",
		"false true «Who owns the SMS contract?»",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDecided: a template prompt with its placeholder removed decides
// nothing; a stated choice does.
func TestDecided(t *testing.T) {
	for _, tc := range []struct {
		topic, prose string
		want         bool
	}{
		{"service discovery", "- service discovery:                  \n", false},
		{"service discovery", "- service discovery: kubernetes dns\n", true},
		{"service discovery", "we rely on consul for discovery.\n", true},
		{"caching", "- caching strategy: none; every read goes to postgresql\n", true},
		{"caching", "nothing about it\n", false},
		{"secrets", "- secrets management:   \n", false},
		{"secrets", "tokens live in kubernetes secrets.\n", true},
	} {
		if got := decidedAll(tc.prose, [][]string{topicWords[tc.topic]})[0]; got != tc.want {
			t.Errorf("decidedAll(%s, %q) = %v, want %v", tc.topic, tc.prose, got, tc.want)
		}
	}
}

// FuzzArtifacts runs the artifact readers (tables, graph, libraries,
// phases, questions) over arbitrary markdown: no panic, every span inside
// the text. Run longer with:
//
//	go test ./diagnostics -run XXX -fuzz FuzzArtifacts -fuzztime 5m
func FuzzArtifacts(f *testing.F) {
	good, _ := goodFeature(f)
	f.Add(good["_techspec.md"])
	f.Add("| From | To | Protocol |\n|---|---|---|\n| A | B |\n| | | gRPC |\n")
	f.Add("## Service Definitions\n### A\n## Data Ownership\n| Service | Database |\n|--|--|\n| A, B & C | pg `x`, redis |\n")
	f.Add("## Libraries Assessment\n| Library | Version | License |\n|-|-|-|\n| [x](y | >=1,< | MIT OR |\n- a[ >=\n```toml\ndependencies = [\"a>=1\", 'b\n```\n")
	f.Add("```mermaid\ngraph TD\nA-->|x|B\n```\n### Deployment Sequencing\n- Phase 1: A\n- Phase 0: B\n")
	f.Add("- why?\n  - because\n# Q?\n\ufeff**x?**")
	f.Fuzz(func(t *testing.T, src string) {
		d := spec.Parse("tasks/prd-f/_techspec.md", []byte(src))
		in := func(s spec.Span) bool { return s.Start >= 0 && s.Start <= s.End && s.End <= len(d.Text) }
		svcs, _ := arch.Services(d)
		for _, s := range svcs {
			if s.Section == nil || !in(s.Section.TitleSpan) {
				t.Fatalf("bad service %+v", s)
			}
		}
		rows, _ := arch.Matrix(d)
		for _, r := range rows {
			for _, c := range []spec.Cell{r.From, r.To, r.Protocol, r.Pattern} {
				if !in(c.Span) {
					t.Fatalf("matrix cell span %v", c.Span)
				}
			}
			if !in(r.Span) {
				t.Fatalf("matrix row span %v", r.Span)
			}
		}
		own, _ := arch.Ownership(d)
		for _, r := range own {
			if !in(r.Database.Span) || !in(r.Span) {
				t.Fatalf("ownership span %+v", r)
			}
		}
		for _, l := range arch.Libraries(d) {
			if !in(l.NameSpan) || !in(l.Constraint) || !in(l.License.Span) {
				t.Fatalf("library spans %+v", l)
			}
			for i := range l.Specifiers {
				if s := l.SpecSpan(&l.Specifiers[i]); l.Specifiers[i].Op != "===" && !in(s) {
					t.Fatalf("specifier span %v of %q", s, l.Name)
				}
			}
		}
		if g := arch.DependencyGraph(d); g != nil && g.Err != nil && !in(g.Span(g.Err.Span)) {
			t.Fatalf("graph error span %v", g.Span(g.Err.Span))
		}
		for _, p := range arch.Phases(d) {
			if !in(p.Span) {
				t.Fatalf("phase span %v", p.Span)
			}
		}
		for _, q := range questionLines(d) {
			if !in(q.q) || q.q.Start >= q.q.End {
				t.Fatalf("question span %v", q.q)
			}
		}
	})
}

// A node whose name is the start of another's is not deployed by a phase
// that lists only the longer one.
func TestMentionedNodesLongestName(t *testing.T) {
	forms := [][]string{{"tax service", "tax"}, {"tax rules service", "tax rules"}}
	for _, tc := range []struct {
		text string
		want []bool
	}{
		{"phase 1 tax rules service", []bool{false, true}},
		{"phase 1 tax rules service and tax service", []bool{true, true}},
		{"phase 1 tax", []bool{true, false}},
		{"phase 1 taxes", []bool{false, false}},
	} {
		if got := mentionedNodes(tc.text, forms); !slices.Equal(got, tc.want) {
			t.Errorf("mentionedNodes(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	tech := "# Technical Specification: Checkout\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n" +
		"  Orders -->|gRPC| Tax\n  Orders -->|gRPC| TaxRules[Tax Rules Service]\n```\n\n## Deployment Architecture\n\n### Deployment Sequencing\n\n" +
		"- **Phase 1**: Tax Rules Service\n- **Phase 2**: Orders Service\n- **Phase 3**: Tax Service\n"
	f := &spec.Feature{Dir: "tasks/prd-checkout"}
	f.Set(spec.Parse("tasks/prd-checkout/_techspec.md", []byte(tech)))
	var got []string
	for _, fd := range Check(Input{Feature: f, Config: config.Default()}) {
		if fd.Code == "deployment-order" {
			got = append(got, fd.Message)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "starts Orders before Tax (phase 3)") {
		t.Fatalf("deployment-order: %q, want one finding: Orders (phase 2) before Tax (phase 3)", got)
	}
}
