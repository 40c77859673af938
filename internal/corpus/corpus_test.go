package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

func lines(s string) int { return strings.Count(s, "\n") }

func TestGenerateIsReproducible(t *testing.T) {
	o := Options{Features: 3, Seed: 7}
	for i := range 3 {
		a, b := Generate(i, o), Generate(i, o)
		if a != b {
			t.Fatalf("feature %d differs between two runs with one seed", i)
		}
	}
	if Generate(1, o).TechSpec == Generate(1, Options{Seed: 8}).TechSpec {
		t.Errorf("another seed gave the same tech spec")
	}
	if Generate(1, o).Slug == Generate(2, o).Slug {
		t.Errorf("two features share a slug")
	}
}

// TestWriteIsAPrefix: a small corpus is the start of a larger one, so the
// 1,000- and 5,000-feature benchmarks read the same first 1,000 files.
func TestWriteIsAPrefix(t *testing.T) {
	small, large := t.TempDir(), t.TempDir()
	if _, err := Write(small, Options{Features: 3, Seed: 1, Lines: []int{300}}); err != nil {
		t.Fatal(err)
	}
	st, err := Write(large, Options{Features: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.Features != 5 || st.Files != 10 {
		t.Errorf("stats %+v, want 5 features and 10 files", st)
	}
	paths, _ := filepath.Glob(filepath.Join(small, "tasks", "*", "*.md"))
	if len(paths) != 8 {
		t.Fatalf("small corpus has %d files, want 8", len(paths))
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(small, p)
		if strings.Contains(rel, "prd-bench-") {
			continue
		}
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(large, rel))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between the 3- and the 5-feature corpus (%v)", rel, err)
		}
	}
}

func TestSizes(t *testing.T) {
	o := Options{Seed: 1, LargeEvery: 4}
	for i := range 8 {
		f := Generate(i, o)
		if n := lines(f.PRD); n < 240 || n > 360 {
			t.Errorf("%s: PRD has %d lines, want about 300", f.Slug, n)
		}
		n := lines(f.TechSpec)
		if i%4 == 0 && n < 5000 {
			t.Errorf("%s: large tech spec has %d lines, want 5,000+", f.Slug, n)
		}
		if i%4 != 0 && (n < 650 || n > 1000) {
			t.Errorf("%s: tech spec has %d lines, want about 800", f.Slug, n)
		}
	}
	for _, want := range []int{2000, 10000} {
		if n := lines(Bench(want, o).TechSpec); n < want*9/10 || n > want*11/10 {
			t.Errorf("bench spec of %d lines has %d", want, n)
		}
	}
}

// TestFindings: a clean generated feature passes every rule and a flawed
// one reports exactly its flaw, so the corpus measures the work a real
// tree causes (mostly passing specs, some failing) and not a storm of
// false findings.
func TestFindings(t *testing.T) {
	o := Options{Seed: 1, LargeEvery: 1 << 30}
	seen := map[string]bool{}
	for i := 1; i <= 60; i++ {
		g := Generate(i, o)
		dir := "tasks/prd-" + g.Slug
		f := &spec.Feature{Dir: dir, Slug: g.Slug}
		f.Set(spec.Parse(dir+"/_prd.md", []byte(g.PRD)))
		f.Set(spec.Parse(dir+"/_techspec.md", []byte(g.TechSpec)))
		var got []string
		for _, fd := range diagnostics.Check(diagnostics.Input{Feature: f, Config: config.Default()}) {
			if fd.Severity == config.Error || fd.Severity == config.Warning {
				got = append(got, fd.Code+": "+fd.Message)
			}
		}
		switch {
		case g.Flaw == "" && len(got) > 0:
			t.Errorf("clean feature %s has findings:\n%s", g.Slug, strings.Join(got, "\n"))
		case g.Flaw != "" && (len(got) != 1 || !strings.HasPrefix(got[0], g.Flaw+":")):
			t.Errorf("feature %s with flaw %s has findings:\n%s", g.Slug, g.Flaw, strings.Join(got, "\n"))
		}
		seen[g.Flaw] = true
	}
	for _, fl := range Flaws {
		if !seen[fl] {
			t.Errorf("no feature among the first 60 has the flaw %s", fl)
		}
	}
	if !seen[""] {
		t.Errorf("no clean feature among the first 60")
	}
}

func TestCRLF(t *testing.T) {
	o := Options{Seed: 1, LargeEvery: 1 << 30}
	for i := range 200 {
		if g := Generate(i, o); g.CRLF {
			if strings.Count(g.TechSpec, "\n") != strings.Count(g.TechSpec, "\r\n") {
				t.Fatalf("%s: CRLF feature with bare LF", g.Slug)
			}
			return
		}
	}
	t.Errorf("no CRLF feature among the first 200")
}
