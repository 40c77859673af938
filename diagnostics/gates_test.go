package diagnostics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/specls/specls/config"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// goodFeature loads testdata/good: a complete, realistic tech spec and its
// PRD, with every artifact the gates ask for.
func goodFeature(t testing.TB) (map[string]string, Input) {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"_prd.md", "_techspec.md"} {
		b, err := os.ReadFile(filepath.Join("testdata", "good", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return files, featureInput("tasks/prd-clinic-scheduling", files, config.Default())
}

func featureInput(dir string, files map[string]string, cfg *config.Config) Input {
	f := &spec.Feature{Dir: dir, Slug: filepath.Base(dir)}
	for name, text := range files {
		f.Set(spec.Parse(filepath.Join(dir, name), []byte(text)))
	}
	return Input{Feature: f, Config: cfg}
}

// TestGoodSpecHasNoFindings: a false positive on a good spec is as much a
// bug as a missed defect.
func TestGoodSpecHasNoFindings(t *testing.T) {
	_, in := goodFeature(t)
	fs := Check(in)
	if got := render(in, fs, func(string) bool { return true }); got != "" {
		t.Errorf("the good spec has findings:\n%s", got)
	}
	if s := Summary(Status(fs, in.Config, in.Scope())); s != "A ✓  B ✓  C ✓  D ✓  E ✓  F ✓" {
		t.Errorf("gates = %q", s)
	}
}

// A rule case is testdata/rules/<name>.txtar: the good feature with edits,
// and the findings the edits must produce, every code included (so that a
// side effect on another rule shows). Sections of the archive, in order:
//
//	-- replace _techspec.md --   text to find (exactly once), then
//	-- with --                   its replacement (a final newline of either is dropped)
//	-- delete _prd.md --         drop a document
//	-- dir --                    the feature folder (default tasks/prd-clinic-scheduling)
//	-- .specls.yaml --           configuration
//	-- want --                   the findings, as render prints them
//
// go test ./diagnostics -run TestRuleGolden -update rewrites the want sections.
func TestRuleGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.txtar"))
	if len(files) == 0 {
		t.Fatal("no rule cases in testdata/rules")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			docs, dir, cfg, want := applyCase(t, ar)
			for _, v := range lineVariants {
				vd := map[string]string{}
				for k, s := range docs {
					vd[k] = v.fn(s)
				}
				in := featureInput(dir, vd, cfg)
				got := render(in, Check(in), func(string) bool { return true })
				if *update && v.name == "lf" {
					setWant(ar, got)
					if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
					want = got
					continue
				}
				if got != want {
					t.Errorf("%s: findings differ\n--- got\n%s--- want\n%s", v.name, got, want)
				}
			}
		})
	}
}

// applyCase applies an archive's edits to the good feature.
func applyCase(t *testing.T, ar *txtar.Archive) (docs map[string]string, dir string, cfg *config.Config, want string) {
	t.Helper()
	docs, _ = goodFeature(t)
	dir, cfg = "tasks/prd-clinic-scheduling", config.Default()
	for i := 0; i < len(ar.Files); i++ {
		f := ar.Files[i]
		op, name, _ := strings.Cut(f.Name, " ")
		switch op {
		case "replace":
			if i+1 >= len(ar.Files) || ar.Files[i+1].Name != "with" {
				t.Fatalf("%q is not followed by \"with\"", f.Name)
			}
			old := strings.TrimSuffix(string(f.Data), "\n")
			repl := strings.TrimSuffix(string(ar.Files[i+1].Data), "\n")
			if n := strings.Count(docs[name], old); n != 1 {
				t.Fatalf("%s: text to replace occurs %d times:\n%s", name, n, old)
			}
			docs[name] = strings.Replace(docs[name], old, repl, 1)
			i++
		case "delete":
			delete(docs, name)
		case "dir":
			dir = strings.TrimSpace(string(f.Data))
		case ".specls.yaml":
			c, err := config.Parse(f.Name, f.Data)
			if err != nil {
				t.Fatal(err)
			}
			cfg = c
		case "want":
			want = string(f.Data)
		default:
			t.Fatalf("unknown section %q", f.Name)
		}
	}
	return docs, dir, cfg, want
}

// fileSafety are the codes of files that are not checked at all; they
// depend on the file on disk (a FIFO, a symlink, its size), so the CLI's
// TestRefusedFiles (cmd/specls/refused_test.go) pins each of them.
var fileSafety = map[string]bool{"file-not-regular": true, "path-outside-workspace": true, "file-too-large": true, "file-not-text": true, "nesting-too-deep": true}

// TestEveryRuleHasGolden: each rule of Gates A–D, F, the PRD rules and
// gate-claim-false is pinned by a case that makes it fire.
func TestEveryRuleHasGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.txtar"))
	var all strings.Builder
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ar.Files {
			if s.Name == "want" {
				all.Write(s.Data)
			}
		}
	}
	for _, r := range rules.All() {
		if r.Gate == "E" || fileSafety[r.Code] {
			continue
		}
		if !strings.Contains(all.String(), " "+r.Code+": ") {
			t.Errorf("no case in testdata/rules makes %s fire", r.Code)
		}
	}
}

// A gate is never shown as passed for a document that was not read: a
// refused tech spec leaves A-D and F unchecked ("-"), and with every
// document refused Gate E too.
func TestGatesOfRefusedDocuments(t *testing.T) {
	prd := spec.Parse("tasks/prd-x/_prd.md", []byte("# PRD: X\n\n## Overview\n\nText.\n"))
	refusedTech := &spec.Document{Path: "tasks/prd-x/_techspec.md", Kind: spec.KindTechSpec,
		Refused: &spec.Refusal{Code: "path-outside-workspace", Message: "links outside the workspace root"}}
	refusedPRD := &spec.Document{Path: "tasks/prd-x/_prd.md", Kind: spec.KindPRD,
		Refused: &spec.Refusal{Code: "file-not-text", Message: "not text"}}
	for _, tt := range []struct {
		name     string
		docs     []*spec.Document
		disabled string // gates shown as "-"
	}{
		{"tech spec refused", []*spec.Document{prd, refusedTech}, "ABCDF"},
		{"every document refused", []*spec.Document{refusedPRD, refusedTech}, "ABCDEF"},
	} {
		f := &spec.Feature{Dir: "tasks/prd-x"}
		for _, d := range tt.docs {
			f.Set(d)
		}
		in := Input{Feature: f, Config: config.Default()}
		st := StatusOf(in, Check(in))
		var got strings.Builder
		for _, g := range st {
			if !g.Enabled {
				got.WriteString(g.Gate)
			}
		}
		if got.String() != tt.disabled {
			t.Errorf("%s: gates shown as not checked %q, want %q (%s)", tt.name, got.String(), tt.disabled, Summary(st))
		}
	}
}

// TestStatusKeepsFirstFailing: a gate counts every failing finding but
// keeps only the first FailingKept, in order; info findings do not fail it.
func TestStatusKeepsFirstFailing(t *testing.T) {
	for _, n := range []int{0, 1, FailingKept, FailingKept + 1, 50000} {
		var fs []Finding
		for i := range n {
			fs = append(fs, Finding{Code: "matrix-mismatch", Gate: "B", Severity: config.Error, Span: spec.Span{Start: i}})
			fs = append(fs, Finding{Code: "graph-cycle", Gate: "F", Severity: config.Info, Span: spec.Span{Start: i}})
		}
		st := Status(fs, config.Default(), nil)
		b, f := st[1], st[5]
		if b.Gate != "B" || b.Count != n || b.Pass != (n == 0) || len(b.Failing) != min(n, FailingKept) {
			t.Errorf("%d failing: gate %s count %d pass %v kept %d", n, b.Gate, b.Count, b.Pass, len(b.Failing))
		}
		for i, x := range b.Failing {
			if x.Span.Start != i || x.Code != "matrix-mismatch" {
				t.Errorf("%d failing: kept #%d is %s at %d", n, i, x.Code, x.Span.Start)
			}
		}
		if f.Gate != "F" || !f.Pass || f.Count != 0 || f.Failing != nil {
			t.Errorf("%d infos: gate %s %+v", n, f.Gate, f)
		}
	}
}
