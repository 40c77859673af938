package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/aymanbagabas/go-udiff"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/safefile"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// fixedFeature is a feature fixed in memory, with the read limits of its
// workspace.
type fixedFeature struct {
	*codeactions.FixResult
	lim spec.Limits
}

// fixFeatures applies the safe fixes to every feature under paths, in
// memory: each feature is fixed, re-checked and fixed again until no safe
// fix applies (codeactions.FixAll). Features are fixed on every CPU
// (GOMAXPROCS), each on its own; the results keep the folders' order.
func fixFeatures(paths []string, allowEmpty bool) ([]fixedFeature, error) {
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
	ins := make([]diagnostics.Input, len(results))
	out := make([]fixedFeature, len(results))
	for i, r := range results {
		w := spaces[r.Root]
		if w == nil {
			if w, err = workspace.Open(r.Root); err != nil {
				return nil, err
			}
			spaces[r.Root] = w
		}
		ins[i], out[i].lim = w.Input(r.Feature), w.Limits()
	}
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i := range ins {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			out[i].FixResult, errs[i] = codeactions.FixAll(ins[i], nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first folder's, as one at a time
		}
	}
	return out, nil
}

// readsAs reports whether the reader (spec.LoadFeatureLimited) would take
// text, the new content of path, as it is: no larger than the size cap,
// and text it parses (spec.Limits.Screen). A fix can grow a file past the
// cap; then the report reads it again and says so.
func readsAs(lim spec.Limits, path string, text []byte) bool {
	size := lim.MaxSize
	if size <= 0 {
		size = safefile.DefaultMaxSize
	}
	return int64(len(text)) <= size && lim.Screen(path, text) == nil
}

// runFix writes the fixes and prints one line per fix to w. Each file is
// written safely (write.go): a file that changed on disk since its fixes
// were computed, or that may not be written, is skipped with a message on
// errw, and the run goes on; skipped reports whether any was.
//
// checked gives, for the report (workspace.Options.Checked), each feature
// whose files on disk are now exactly what fix-all last checked, with
// those findings: the report need not read and check them again.
func runFix(paths []string, allowEmpty bool, w, errw io.Writer) (checked func(dir string) (*spec.Feature, []diagnostics.Finding, bool), skipped bool, err error) {
	stop := cleanupOnSignal()
	defer stop()
	fixes, err := fixFeatures(paths, allowEmpty)
	if err != nil {
		return nil, false, &exitError{2, err}
	}
	done := map[string]*codeactions.FixResult{}
	for _, res := range fixes {
		written := map[string]bool{}
		same := true // the files on disk read as res.Feature
		for _, p := range res.Changed() {
			var expect []byte
			if !res.Created[p] {
				expect = res.Original[p]
			}
			if !readsAs(res.lim, p, res.Files[p]) {
				same = false
			}
			if err := writeFile(p, res.Files[p], expect, res.Created[p]); err != nil {
				fmt.Fprintf(errw, "specls: skipped %s: %v\n", displayPath(p), err)
				skipped = true
				same = false
				continue
			}
			written[p] = true
		}
		if same && res.Feature != nil {
			done[res.Feature.Dir] = res.FixResult
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
	checked = func(dir string) (*spec.Feature, []diagnostics.Finding, bool) {
		if res := done[dir]; res != nil {
			return res.Feature, res.Remaining, true
		}
		return nil, nil, false
	}
	return checked, skipped, nil
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
