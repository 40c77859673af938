package diagnostics

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// The template match and the placeholder scan must find exactly what the
// code they replaced found (template_ref_test.go), on the corpus, the
// examples, the Gate E goldens' own templates, and random documents made
// of the lines these rules react to.
func TestTemplateRewritesSameAsReference(t *testing.T) {
	templates := []*spec.Template{
		spec.BuiltinTemplate(spec.KindPRD),
		spec.BuiltinTemplate(spec.KindTechSpec),
		spec.BuiltinTemplate(spec.KindTasks),
		spec.LayoutTechSpecTemplate(".compozy/tasks/x"),
	}
	// A template in another language: its lines take Normalize's Unicode
	// path.
	templates = append(templates, spec.NewTemplate(spec.KindTechSpec, "unicode", []byte(
		"# Spécification technique\n\n## Vue d’ensemble\n\nDécrivez le service et ses dépendances.\n\n"+
			"## Services\n\n### [Nom du service]\n\nListez chaque point d’accès — avec son rôle.\n- Résumé des données échangées\n")))
	archives, _ := filepath.Glob("testdata/gate-e/*.txtar")
	for _, file := range archives {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasPrefix(f.Name, "tasks/docs/") {
				k := spec.KindOf(strings.Replace(filepath.Base(f.Name), "-template", "", 1))
				templates = append(templates, spec.NewTemplate(k, f.Name, f.Data))
			}
		}
	}

	texts := map[string]string{}
	for i := 1; i <= 12; i++ { // feature 0 is a 5,000-line one: too slow here
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		texts["corpus "+f.Slug+" prd"] = f.PRD
		texts["corpus "+f.Slug+" techspec"] = f.TechSpec
	}
	examples, _ := filepath.Glob("../examples/tasks/*/*.md")
	for _, p := range examples {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = string(b)
	}
	r := rand.New(rand.NewPCG(3, 18))
	lines := templateLineSoup(templates)
	for i := range 200 {
		texts[fmt.Sprintf("random %d", i)] = randomDoc(r, lines)
	}

	for name, text := range texts {
		variants := map[string]string{"lf": text}
		if strings.HasPrefix(name, "random ") && len(text)%3 == 0 { // a third, in CRLF with a BOM too
			variants["crlf+bom"] = "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n")
		}
		for vname, v := range variants {
			d := spec.Parse("tasks/prd-x/_techspec.md", []byte(v))
			for ti, tmpl := range templates {
				where := fmt.Sprintf("%s (%s), template %d (%s)", name, vname, ti, tmpl.Source)
				got, want := MatchTemplate(d, tmpl), refMatchTemplate(d, tmpl)
				if !reflect.DeepEqual(got.Of, want.Of) || !reflect.DeepEqual(got.Renamed, want.Renamed) ||
					!reflect.DeepEqual(got.Found, want.Found) || got.Title != want.Title {
					t.Fatalf("%s: MatchTemplate differs from the reference", where)
				}
				code := codeSpans(d)
				wantP := refPlaceholdersWith(d, want, code)
				if gotP := placeholdersWith(d, got, code); !reflect.DeepEqual(gotP, wantP) {
					t.Fatalf("%s: placeholders\n got %v\nwant %v", where, holderTexts(d, gotP), holderTexts(d, wantP))
				}
				// A Match not made by MatchTemplate has no index: the scan
				// reads the template sections' bodies itself.
				bare := &Match{Of: got.Of, Renamed: got.Renamed, Found: got.Found, Title: got.Title}
				if gotP := placeholdersWith(d, bare, code); !reflect.DeepEqual(gotP, wantP) {
					t.Fatalf("%s: placeholders of a Match without index\n got %v\nwant %v", where, gotP, wantP)
				}
				// Piece by piece, as the memo scans an edited document.
				if cuts, ok := pieceCuts(d); ok && len(cuts) > 0 {
					s, rs := newHolderScan(d, got), refNewHolderScan(d, want)
					for i := range cuts {
						start, end := cuts[i], pieceEnd(d, cuts, i)
						to := s.mp.LineCount()
						if end < len(d.Text) {
							to = s.mp.Line(end)
						}
						from := s.mp.Line(start)
						if g, w := s.scan(nil, start, end, from, to), rs.scan(nil, start, end, from, to); !reflect.DeepEqual(g, w) {
							t.Fatalf("%s: piece %d\n got %v\nwant %v", where, i, g, w)
						}
					}
				}
			}
			// No match at all.
			if g, w := Placeholders(d, nil), refPlaceholdersWith(d, nil, codeSpans(d)); !reflect.DeepEqual(g, w) {
				t.Fatalf("%s (%s), no match: placeholders\n got %v\nwant %v", name, vname, g, w)
			}
		}
	}
}

// templateLineSoup returns lines the template match and the placeholder
// scan react to: the templates' headings and body lines, as written and
// altered, markers, placeholders, Example rows, code, labels.
func templateLineSoup(templates []*spec.Template) []string {
	out := []string{
		"TODO", "- TODO: write this", "add a TODO once the API ships", "TBD.", "the TKTK", "FIXME later", "## TBD",
		"[NEEDS CLARIFICATION: which region?]", "[needs clarification]", "[Needs]", "[NEEDſ CLARIFICATION x]", "[neeD more]",
		"[Service Name]", "see [the docs](x.md)", "- [ ] a task", "- [x] done", "[1], [2-3]", "[DEFERRED]", "uvicorn[standard]",
		"app/[id]/page.tsx", "['low','medium']", "[--run-id]", "![img](a.png)", "[^1]", "`[Not Me]` and `TODO`",
		"| Example: `auth-service` API | x |", "| **Example:** thing |", "|e.g. foo|", "  | _e.g. bar | y |", "| eXample: no |",
		"| EXAMPLE: loud |", "| col | Example: not first |", "\f| Example: formfeed |", "**Example Database per Context:**",
		"| a | b |", "|---|---|", "```", "```go", "    indented code TODO", "**Potential Challenges:**", "  - nested item",
		"- **List** every endpoint", "Ünïcode first line of prose", "café [Nom du service] — TODO", "",
		"  ", "---", "title: x", "# Title [Feature Name]", "# Template for Something", "## Goals & Success Metrics",
		"## Open Questions and Risks", "## Test Strategy", "### [Service Name]", "## 2. Testing Strategy (draft)",
		"#### Proto Definitions", "### Proto Definitions",
	}
	for _, tmpl := range templates {
		for _, ts := range tmpl.Sections {
			out = append(out, strings.Repeat("#", ts.Level)+" "+ts.Title, "## "+ts.Title, "### "+ts.Title, "## 1. "+ts.Title+" (draft)")
			for _, l := range strings.Split(ts.Body, "\n") {
				out = append(out, l, "  "+l, strings.ToUpper(l), strings.TrimRight(l, ".:")+" and more")
			}
		}
	}
	return out
}

// randomDoc strings 20 to 200 random lines together, front matter and a
// title sometimes first.
func randomDoc(r *rand.Rand, lines []string) string {
	var sb strings.Builder
	if r.IntN(8) == 0 {
		sb.WriteString("---\ntitle: x\n---\n")
	}
	if r.IntN(2) == 0 {
		sb.WriteString("# Tech Spec\n\n")
	}
	for range 20 + r.IntN(180) {
		sb.WriteString(lines[r.IntN(len(lines))])
		sb.WriteByte('\n')
		if r.IntN(4) == 0 {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// holderTexts shows placeholders with the text they cover, for failures.
func holderTexts(d *spec.Document, ps []Placeholder) string {
	var sb strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&sb, "\n  %v %s %q", p.Span, p.What, d.Slice(p.Span))
	}
	return sb.String()
}
