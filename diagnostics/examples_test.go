package diagnostics_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/workspace"
)

// TestExamples checks the bundled examples the way `specls check examples`
// does: the passing features pass every gate, the failing one fails each
// gate A–F, and the custom team's template and configuration are in force.
func TestExamples(t *testing.T) {
	results, err := workspace.CheckPaths([]string{filepath.Join("..", "examples")})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range results {
		slug := filepath.Base(r.Feature.Dir)
		seen[slug] = true
		summary := diagnostics.Summary(r.Gates)
		switch slug {
		case "prd-seller-payouts":
			if len(r.Findings) != 0 || summary != "A ✓  B ✓  C ✓  D ✓  E ✓  F ✓" {
				t.Errorf("%s: %s, findings: %v", slug, summary, codes(r.Findings))
			}
		case "prd-live-delivery-eta":
			if len(r.Findings) != 0 || summary != "A ✓  B ✓  C -  D ✓  E ✓  F ✓" {
				t.Errorf("%s: %s, findings: %v", slug, summary, codes(r.Findings))
			}
			if filepath.Base(r.Root) != "custom-team" {
				t.Errorf("%s: workspace root %s, want examples/custom-team", slug, r.Root)
			}
		case "prd-loyalty-points":
			for _, g := range r.Gates {
				if g.Gate != "E" && g.Pass {
					t.Errorf("%s: gate %s passes; the failing example must fail each gate A–F", slug, g.Gate)
				}
			}
			if !strings.Contains(summary, "E ✗") {
				t.Errorf("%s: %s; Gate E must fail too", slug, summary)
			}
		default:
			t.Errorf("unexpected example feature %s", slug)
		}
	}
	for _, want := range []string{"prd-seller-payouts", "prd-live-delivery-eta", "prd-loyalty-points"} {
		if !seen[want] {
			t.Errorf("example %s was not checked", want)
		}
	}
}

// TestCustomTemplateArtifact: in the custom team's outline the failure
// analysis is "## Failure Modes"; when it is missing, analysis-missing
// reports it where that section belongs and section-missing stays quiet.
func TestCustomTemplateArtifact(t *testing.T) {
	// The custom team's feature without its Failure Modes section.
	root := copyWorkspace(t, filepath.Join("..", "examples", "custom-team"), func(p string, b []byte) []byte {
		if filepath.Base(p) != "_techspec.md" {
			return b
		}
		s := string(b)
		i, j := strings.Index(s, "## Failure Modes"), strings.Index(s, "## Decisions")
		return []byte(s[:i] + s[j:])
	})
	results, err := workspace.CheckPaths([]string{root})
	if err != nil || len(results) != 1 {
		t.Fatalf("CheckPaths: %v, %d results", err, len(results))
	}
	var got []string
	for _, f := range results[0].Findings {
		got = append(got, f.Code)
		if f.Code == "analysis-missing" {
			if f.Data.Template == nil || f.Data.Template.Title != "Failure Modes" || f.Data.Insert == 0 {
				t.Errorf("analysis-missing carries %+v, want the Failure Modes template section and its insert point", f.Data)
			}
		}
	}
	// The Failure Modes table was also where the timeouts were stated.
	if strings.Join(got, " ") != "resilience-missing analysis-missing" {
		t.Errorf("findings %v, want resilience-missing and analysis-missing (no section-missing)", got)
	}
}

func codes(fs []diagnostics.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code+"@"+filepath.Base(f.Path))
	}
	return out
}
