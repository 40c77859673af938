package codeactions

import (
	"path/filepath"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// TestFixAllConvergesOnExamples: fix-all on each example feature (both
// files, the PRD created when missing) settles in one run: a second run
// over its result changes nothing. FuzzFixAll and TestFixAllMutations
// check the same property on the fuzz corpus and damaged specs.
func TestFixAllConvergesOnExamples(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "examples", "tasks", "prd-*"))
	dirs = append(dirs, filepath.Join("..", "cmd", "specls", "testdata", "failing", "tasks", "prd-ai-chat"))
	if len(dirs) < 3 {
		t.Fatalf("examples not found: %v", dirs)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			f, err := spec.LoadFeature(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := FixAll(diagnostics.Input{Feature: f, Config: config.Default()}, nil)
			if err != nil {
				t.Fatal(err)
			}
			again := *f
			for p, text := range res.Files {
				again.Set(spec.Parse(p, text))
			}
			res2, err := FixAll(diagnostics.Input{Feature: &again, Config: config.Default()}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if changed := res2.Changed(); len(changed) > 0 {
				var titles []string
				for _, a := range res2.Applied {
					titles = append(titles, a.Title)
				}
				t.Errorf("a second fix-all changes %v: %q", changed, titles)
			}
		})
	}
}
