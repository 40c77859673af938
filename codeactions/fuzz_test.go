package codeactions

import (
	"flag"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

var mutations = flag.Int("mutations", 120, "how many mutated tech specs TestFixAllMutations checks")

// mutate damages a tech spec the way editing does: lines dropped,
// duplicated, cut short, made headings or indented; then it may write the
// result with CRLF, a BOM or no final newline.
func mutate(r *rand.Rand, s string) string {
	lines := strings.SplitAfter(s, "\n")
	for k := 0; k < 1+r.Intn(6); k++ {
		i := r.Intn(len(lines))
		switch r.Intn(5) {
		case 0:
			lines = append(lines[:i], lines[i+1:]...)
		case 1:
			lines = append(lines[:i], append([]string{lines[r.Intn(len(lines))]}, lines[i:]...)...)
		case 2:
			if l := lines[i]; len(l) > 1 {
				lines[i] = l[:r.Intn(len(l))]
			}
		case 3:
			lines[i] = strings.Repeat("#", 1+r.Intn(4)) + " " + lines[i]
		case 4:
			lines[i] = "  " + lines[i]
		}
		if len(lines) == 0 {
			lines = []string{""}
		}
	}
	out := strings.Join(lines, "")
	switch r.Intn(4) {
	case 0:
		out = strings.ReplaceAll(out, "\n", "\r\n")
	case 1:
		out = "\ufeff" + out
	case 2:
		out = strings.TrimRight(out, "\n")
	}
	return out
}

// TestFixAllMutations runs fix-all on damaged copies of the test tech specs
// (a fixed seed: the same inputs every run) and checks the invariants on
// each: no error, the author's lines kept, BOM, line ending and final
// newline kept, no second blank line where fixes meet, and convergence (a
// second fix-all changes nothing).
func TestFixAllMutations(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*/*.txtar")
	var seeds []string
	for _, p := range paths {
		if s := readArchive(t, p).files["_techspec.md"]; s != "" {
			seeds = append(seeds, s)
		}
	}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < *mutations; n++ {
		checkFixAll(t, mutate(r, seeds[r.Intn(len(seeds))]))
	}
}

// FuzzFixAll checks the same invariants on arbitrary tech specs
// (go test -fuzz FuzzFixAll ./codeactions).
func FuzzFixAll(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.txtar")
	for _, p := range paths {
		if s := readArchive(f, p).files["_techspec.md"]; s != "" {
			f.Add(s)
		}
	}
	f.Add("")
	f.Add("\ufeff# T\r\n\r\n## Service Definitions\r\n\r\n### A\r\n- Dependencies: B (gRPC)")
	f.Add("## Deployment Sequencing\n\n- **Phase 1**: A\n- **Phase 2**:\n```\n")
	// A matrix fix that added a "| 0 |" row on every run (issue 15).
	f.Add("#\n# CmuniCAtion MAtriX\nFrom\n-|\n# rviCe Definitions\n### 0\nDependenCies:1")
	f.Fuzz(func(t *testing.T, src string) { checkFixAll(t, src) })
}

// checkFixAll runs fix-all on src and checks the invariants.
func checkFixAll(t *testing.T, src string) {
	t.Helper()
	in, d := techSpec(src)
	res, err := FixAll(in, nil)
	if err != nil {
		t.Fatalf("FixAll: %v\n%s", err, src)
	}
	out, ok := res.Files[d.Path]
	if !ok {
		return
	}
	o := string(out)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format+"\n--- input:\n%q", append(args, src)...)
	}
	if strings.HasPrefix(src, "\ufeff") != strings.HasPrefix(o, "\ufeff") {
		fail("BOM not kept")
	}
	if src != "" && strings.HasSuffix(src, "\n") != strings.HasSuffix(o, "\n") { // an empty file gets one
		fail("final newline not kept")
	}
	if strings.Contains(src, "\n") && strings.Count(src, "\n") == strings.Count(src, "\r\n") && strings.Count(o, "\n") != strings.Count(o, "\r\n") {
		fail("a CRLF text got LF line breaks")
	}
	norm := func(x string) string { return strings.ReplaceAll(x, "\r\n", "\n") }
	if strings.Count(norm(o), "\n\n\n") > strings.Count(norm(src), "\n\n\n") {
		fail("two blank lines where fixes meet")
	}
	var fixed []diagnostics.Finding
	for _, a := range res.Applied {
		fixed = append(fixed, a.Fixes...)
	}
	if lost := lostLines(d, o, fixed); len(lost) > 0 {
		fail("the author's lines are gone: %q", lost)
	}
	again, _ := techSpec(o)
	for p, c := range res.Files {
		if p != d.Path {
			again.Feature.Set(spec.Parse(p, c))
		}
	}
	if res2, _ := FixAll(again, nil); len(res2.Changed()) > 0 {
		var titles []string
		for _, a := range res2.Applied {
			titles = append(titles, a.Title)
		}
		fail("a second fix-all still applies %q", titles)
	}
}

// TestActionsAddNoLineBreaks applies every action offered on damaged specs
// with a stray CR or CRLF (a lone CR inside a heading is a line break to
// LSP, not to markdown): no action brings a CR into an LF document.
func TestActionsAddNoLineBreaks(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*/*.txtar")
	var seeds []string
	for _, p := range paths {
		if s := readArchive(t, p).files["_techspec.md"]; s != "" {
			seeds = append(seeds, s)
		}
	}
	seeds = append(seeds, strings.Replace(seeds[0], "### Chat Service", "### Chat Ser\rvice", 1))
	r := rand.New(rand.NewSource(3))
	for n := 0; n < *mutations/2; n++ {
		src := mutate(r, seeds[r.Intn(len(seeds))])
		if n > 0 {
			i := r.Intn(len(src) + 1)
			src = src[:i] + []string{"\r", "\r\n"}[r.Intn(2)] + src[i:]
		}
		in, d := techSpec(src)
		if d.CRLF {
			continue
		}
		findings := diagnostics.Check(in)
		for _, sp := range []spec.Span{{Start: 0, End: len(d.Text)}, {Start: len(d.Text) / 2, End: len(d.Text) / 2}} {
			for _, a := range For(Request{Input: in, Findings: findings, Doc: d, Span: sp}) {
				got, err := Apply(d.Text, mergeInserts(a.Edits))
				if err != nil {
					t.Fatalf("%q: %v", a.Title, err)
				}
				if strings.Count(string(got), "\r") > strings.Count(src, "\r") {
					t.Fatalf("%q brought a CR into an LF document\n%q", a.Title, src)
				}
			}
		}
	}
}
