package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/workspace"
)

// fixFeatures applies the safe fixes to every feature under paths, in
// memory: each feature is fixed, re-checked and fixed again until no safe
// fix applies (codeactions.FixAll).
func fixFeatures(paths []string, allowEmpty bool) ([]*codeactions.FixResult, error) {
	var results []workspace.Result
	// Loaded, not checked: FixAll's first round checks each feature.
	err := workspace.EachWith(paths, workspace.Options{AllowEmpty: allowEmpty, LoadOnly: true}, func(r workspace.Result) error {
		results = append(results, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	spaces := map[string]*workspace.Workspace{}
	var out []*codeactions.FixResult
	for _, r := range results {
		w := spaces[r.Root]
		if w == nil {
			if w, err = workspace.Open(r.Root); err != nil {
				return nil, err
			}
			spaces[r.Root] = w
		}
		res, err := codeactions.FixAll(w.Input(r.Feature), nil)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// runFix writes the fixes and prints one line per fix to w. Each file is
// written safely (write.go): a file that changed on disk since its fixes
// were computed, or that may not be written, is skipped with a message on
// errw, and the run goes on; skipped reports whether any was.
func runFix(paths []string, allowEmpty bool, w, errw io.Writer) (skipped bool, err error) {
	stop := cleanupOnSignal()
	defer stop()
	fixes, err := fixFeatures(paths, allowEmpty)
	if err != nil {
		return false, &exitError{2, err}
	}
	for _, res := range fixes {
		written := map[string]bool{}
		for _, p := range res.Changed() {
			var expect []byte
			if !res.Created[p] {
				expect = res.Original[p]
			}
			if err := writeFile(p, res.Files[p], expect, res.Created[p]); err != nil {
				fmt.Fprintf(errw, "specls: skipped %s: %v\n", displayPath(p), err)
				skipped = true
				continue
			}
			written[p] = true
		}
		for _, p := range res.Changed() {
			if res.Created[p] && written[p] {
				fmt.Fprintf(w, "created %s\n", displayPath(p))
			}
		}
		for _, a := range res.Applied {
			if written[a.Path] {
				fmt.Fprintf(w, "fixed %s: %s (%s)\n", displayPath(a.Path), a.Title, strings.Join(a.Codes, ", "))
			}
		}
	}
	return skipped, nil
}

// runDiff prints the fixes as a unified diff and writes nothing. The exit
// status is 1 when there is something to fix, as with `ruff --diff`.
func runDiff(paths []string, allowEmpty bool, w io.Writer) error {
	fixes, err := fixFeatures(paths, allowEmpty)
	if err != nil {
		return &exitError{2, err}
	}
	changed := false
	for _, res := range fixes {
		for _, p := range res.Changed() {
			name := displayPath(p)
			old, from := string(res.Original[p]), "a/"+name
			if res.Created[p] {
				old, from = "", "/dev/null"
			}
			if d := udiff.Unified(from, "b/"+name, old, string(res.Files[p])); d != "" {
				changed = true
				if _, err := io.WriteString(w, d); err != nil {
					return &exitError{2, fmt.Errorf("write diff: %w", err)}
				}
			}
		}
	}
	if changed {
		return &exitError{1, nil}
	}
	return nil
}
