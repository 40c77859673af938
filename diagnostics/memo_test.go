package diagnostics

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"weak"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

// With a memo the engine reports exactly what it reports without one: on
// the first check, on a re-check of the same documents, and after the
// tech spec alone changed (the PRD's findings then come from the memo).
func TestMemoChangesNothing(t *testing.T) {
	for _, slug := range []string{"prd-loyalty-points", "prd-seller-payouts"} {
		t.Run(slug, func(t *testing.T) {
			dir := filepath.Join("..", "examples", "tasks", slug)
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			prd := spec.Parse(filepath.Join(dir, "_prd.md"), read("_prd.md"))
			tech := read("_techspec.md")
			feature := func(techText []byte) *spec.Feature {
				f := &spec.Feature{Dir: dir, Slug: slug}
				f.Set(prd)
				f.Set(spec.Parse(filepath.Join(dir, "_techspec.md"), techText))
				return f
			}
			memo := &Memo{}
			check := func(f *spec.Feature, m *Memo) []Finding {
				return Check(Input{Feature: f, Config: config.Default(), Memo: m})
			}
			f := feature(tech)
			want := check(f, nil)
			prdFindings := 0
			for _, fd := range want {
				if fd.Path == prd.Path {
					prdFindings++
				}
			}
			if slug == "prd-loyalty-points" && prdFindings == 0 {
				t.Fatal("fixture: the failing example should have PRD findings")
			}
			for i, what := range []string{"first check", "same documents"} {
				if got := check(f, memo); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s (%d): %d findings with the memo, %d without", what, i, len(got), len(want))
				}
			}
			edited := []byte(string(tech) + "\nTODO: decide the retention period.\n")
			f2 := feature(edited)
			want2 := check(f2, nil)
			if got := check(f2, memo); !reflect.DeepEqual(got, want2) {
				t.Fatalf("after a tech spec edit: %d findings with the memo, %d without", len(got), len(want2))
			}
			if reflect.DeepEqual(want, want2) {
				t.Fatal("fixture: the edit should change the findings")
			}
		})
	}
}

// A memo keeps the Size documents used last, and a document it dropped is
// checked again, with the same findings.
func TestMemoIsBounded(t *testing.T) {
	memo := &Memo{Size: 1}
	prd := spec.Parse("tasks/prd-x/_prd.md", []byte("# PRD: X\n\n## Core Features\n\n1. FR-1: Do x.\n"))
	tech := spec.Parse("tasks/prd-x/_techspec.md", []byte("# Technical Specification: X\n\n## Architecture Overview\n\nTODO\n"))
	f := &spec.Feature{Dir: "tasks/prd-x"}
	f.Set(prd)
	f.Set(tech)
	want := Check(Input{Feature: f, Config: config.Default()})
	for range 2 {
		if got := Check(Input{Feature: f, Config: config.Default(), Memo: memo}); !reflect.DeepEqual(got, want) {
			t.Fatalf("with a memo of one document: %d findings, want %d", len(got), len(want))
		}
		if n := memo.docs().Len(); n != 1 {
			t.Errorf("the memo holds %d documents, want 1", n)
		}
	}
	if _, ok := memo.get(tech); !ok {
		t.Errorf("the memo dropped the document checked last")
	}
}

// Every keystroke makes a new document of the edited file; the memo keeps
// the findings of the last one only, so that it does not hold the older
// versions (their text and models) for the collector to scan.
func TestMemoKeepsTheLastVersionOfAPath(t *testing.T) {
	memo := &Memo{}
	prd := spec.Parse("tasks/prd-x/_prd.md", []byte("# PRD: X\n\n## Core Features\n\n1. FR-1: Do x.\n"))
	var old weak.Pointer[spec.Document]
	var last *spec.Document
	for i := range 5 {
		tech := spec.Parse("tasks/prd-x/_techspec.md", []byte(fmt.Sprintf("# Technical Specification: X\n\n## Architecture Overview\n\nTODO %d\n", i)))
		f := &spec.Feature{Dir: "tasks/prd-x"}
		f.Set(prd)
		f.Set(tech)
		want := Check(Input{Feature: f, Config: config.Default()})
		if got := Check(Input{Feature: f, Config: config.Default(), Memo: memo}); !reflect.DeepEqual(got, want) {
			t.Fatalf("version %d: %d findings with the memo, want %d", i, len(got), len(want))
		}
		if i == 0 {
			old = weak.Make(tech)
		}
		last = tech
	}
	if n := memo.docs().Len(); n != 2 {
		t.Errorf("the memo holds %d documents after 5 versions of one file, want 2 (the PRD and the last version)", n)
	}
	if _, ok := memo.get(last); !ok {
		t.Errorf("the memo dropped the version checked last")
	}
	if _, ok := memo.get(prd); !ok {
		t.Errorf("the memo dropped the PRD")
	}
	runtime.GC()
	if old.Value() != nil {
		t.Errorf("the first version of the tech spec is still reachable after four newer ones were checked")
	}
	runtime.KeepAlive(memo)
}
