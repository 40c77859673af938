package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/workspace"
)

// fixFeatures applies the safe fixes to every feature under paths, in
// memory: each feature is fixed, re-checked and fixed again until no safe
// fix applies (codeactions.FixAll).
func fixFeatures(paths []string) ([]*codeactions.FixResult, error) {
	results, err := workspace.CheckPaths(paths)
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
// written atomically: a temporary file beside it, renamed over it.
func runFix(paths []string, w io.Writer) error {
	fixes, err := fixFeatures(paths)
	if err != nil {
		return &exitError{2, err}
	}
	for _, res := range fixes {
		for _, p := range res.Changed() {
			if err := writeAtomic(p, res.Files[p], res.Created[p]); err != nil {
				return &exitError{2, err}
			}
		}
		for _, p := range res.Changed() {
			if res.Created[p] {
				fmt.Fprintf(w, "created %s\n", displayPath(p))
			}
		}
		for _, a := range res.Applied {
			if _, ok := res.Files[a.Path]; ok {
				fmt.Fprintf(w, "fixed %s: %s (%s)\n", displayPath(a.Path), a.Title, strings.Join(a.Codes, ", "))
			}
		}
	}
	return nil
}

// runDiff prints the fixes as a unified diff and writes nothing. The exit
// status is 1 when there is something to fix, as with `ruff --diff`.
func runDiff(paths []string, w io.Writer) error {
	fixes, err := fixFeatures(paths)
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

// writeAtomic replaces (or, with create, creates) a file: the content goes
// to a temporary file in the same folder, which is then renamed over the
// target, so that a reader never sees half a file. A file to create that
// appeared meanwhile is left alone.
func writeAtomic(path string, content []byte, create bool) error {
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(path); err == nil {
		if create {
			return fmt.Errorf("create %s: the file exists", path)
		}
		mode = info.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".specls-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer os.Remove(name) // gone after the rename; cleans up after an error
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(name, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if create {
		// Link fails if the target exists, where rename would replace it.
		if err := os.Link(name, path); err == nil {
			return nil
		} else if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: the file exists", path)
		}
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
