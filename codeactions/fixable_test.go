package codeactions

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// TestFixableCountsEveryFix: Fixable, whose table generators stop at the
// first row they would add or drop, counts exactly the findings whose
// actions, generated in full as a client gets them, include a safe one (the
// fixes --fix chooses from), on the examples, the fix archives, a generated
// corpus and chains whose Communication Matrix lacks rows, has them all,
// holds a placeholder row, names nodes by ID or lacks a column.
func TestFixableCountsEveryFix(t *testing.T) {
	type tcase struct {
		name string
		feat *spec.Feature
	}
	var cases []tcase
	dirs, _ := filepath.Glob(filepath.Join("..", "examples", "tasks", "prd-*"))
	dirs = append(dirs, filepath.Join("..", "cmd", "specls", "testdata", "failing", "tasks", "prd-ai-chat"))
	for _, dir := range dirs {
		f, err := spec.LoadFeature(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, tcase{"examples/" + filepath.Base(dir), f})
	}
	archives, _ := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	for _, p := range archives {
		cases = append(cases, tcase{p, feature(readArchive(t, p).files, func(s string) string { return s })})
	}
	if len(cases) < 15 {
		t.Fatalf("examples and archives not found: %d cases", len(cases))
	}
	for i := range 40 {
		g := corpus.Generate(i, corpus.Options{Seed: 1, LargeEvery: 20})
		dir := "/ws/tasks/prd-" + g.Slug
		f := &spec.Feature{Dir: dir, Slug: g.Slug}
		f.Set(spec.Parse(dir+"/_prd.md", []byte(g.PRD)))
		f.Set(spec.Parse(dir+"/_techspec.md", []byte(g.TechSpec)))
		cases = append(cases, tcase{"corpus/" + g.Slug, f})
	}
	chain := string(corpus.Chain(400))
	var full strings.Builder // every edge has its row
	for i := range 400 {
		fmt.Fprintf(&full, "| Step %d | Step %d | gRPC | Request-Reply |\n", i, i+1)
	}
	table := "| From | To | Protocol | Pattern |\n|------|----|----------|---------|\n"
	afterTable := "\n### Data Ownership"
	head, rest, _ := strings.Cut(chain, table)
	_, tail, _ := strings.Cut(rest, afterTable)
	chains := map[string]string{
		"lacking half":      chain,
		"complete":          head + table + full.String() + afterTable + tail,
		"placeholder row":   head + table + "| [Service] | [Service] | [Protocol] | [Pattern] |\n" + full.String() + afterTable + tail,
		"placeholders only": head + table + "| [Service] | [Service] | [Protocol] | [Pattern] |\n" + afterTable + tail,
		"by ID":             head + table + "| S0 | S1 | gRPC | Request-Reply |\n" + afterTable + tail,
		"no To column":      head + "| From | Protocol | Pattern |\n|------|----------|---------|\n| Step 0 | gRPC | Request-Reply |\n" + afterTable + tail,
		"empty":             head + table + afterTable + tail,
	}
	for name, src := range chains {
		in, _ := techSpec(src)
		cases = append(cases, tcase{"chain/" + name, in.Feature})
	}

	total := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := diagnostics.Input{Feature: c.feat, Config: config.Default()}
			findings := diagnostics.Check(in)
			want := 0
			for _, doc := range c.feat.Docs() {
				f := newFixer(in, doc)
				f.findings, f.hasFindings = findings, true
				for _, fd := range findings {
					if fd.Path != doc.Path {
						continue
					}
					if _, ok := safeAction(f.actionsFor(fd)); ok {
						want++
					}
				}
			}
			if got := Fixable(in, findings); got != want {
				t.Errorf("Fixable = %d, want %d (every fix generated in full)", got, want)
			}
			total += want
		})
	}
	if in, _ := techSpec(chain); Fixable(in, diagnostics.Check(in)) < 200 {
		t.Errorf("the chain lacking 200 matrix rows: the rows' findings are not counted")
	}
	if total == 0 {
		t.Error("no case has a fixable finding")
	}
}

// TestPlaceholderOnlyFast holds placeholderOnly, which skips its regexps
// for text with no "[" and no marker letter, to the regexps alone.
func TestPlaceholderOnlyFast(t *testing.T) {
	slow := func(s string) bool {
		if !placeholder.MatchString(s) && !markerWord.MatchString(s) {
			return false
		}
		rest := placeholder.ReplaceAllString(s, "")
		rest = markerWord.ReplaceAllString(rest, "")
		rest = strings.NewReplacer("e.g.", "", "|", "", "-", "", "*", "", "+", "", ":", "", ">", "", "#", "", "`", "", "_", "").Replace(rest)
		return strings.TrimSpace(rest) == ""
	}
	for _, s := range []string{"", "Step 7", "[Service]", " [Service Name] ", "TODO", "tbd", "TBD:", "- TKTK", "FIXME!", "[x]", "[ab]",
		"e.g. [Protocol]", "Auth | [Pattern]", "TODOs", "| [Service] | [Service] |", "FTP", "Tables", "[Service] Gateway", "**TBD**", "`[Database]`"} {
		if got, want := placeholderOnly(s), slow(s); got != want {
			t.Errorf("placeholderOnly(%q) = %v, want %v", s, got, want)
		}
	}
}
