package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

const newUsage = `Usage: specls new <feature-slug> [flags]

Creates tasks/prd-<feature-slug>/_prd.md from the PRD template (the
workspace's tasks/docs/_prd-template.md, else the built-in one), with the
feature's name in its title; with --techspec, also _techspec.md from the
tech spec template (a PRD that exists already is kept then). The slug is kebab-case: lower-case words joined by
hyphens. An existing file is never overwritten.

Flags:
`

func runNew(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("new", flag.ContinueOnError)
	flags.SetOutput(stderr)
	title := flags.String("title", "", "the feature's name for the title (default: made from the slug)")
	dir := flags.String("C", ".", "run in this folder: the workspace is the one it belongs to")
	techspec := flags.Bool("techspec", false, "also write _techspec.md, the tech spec skeleton, from the active tech spec template")
	flags.Usage = func() { fmt.Fprint(stderr, newUsage); flags.PrintDefaults() }
	pos, done, err := parseArgs(flags, args)
	if done || err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("new takes one feature slug, e.g. specls new ai-chat")
	}
	slug := strings.TrimPrefix(pos[0], "prd-")
	root := spec.WorkspaceRoot(*dir)
	folder := filepath.Join(root, "tasks", "prd-"+slug)
	if p := spec.FolderProblem(folder); p != "" {
		return usageError("bad feature slug %q: %s", pos[0], p)
	}
	w, err := workspace.Open(root)
	if err != nil {
		return &exitError{2, err}
	}
	name := *title
	if name == "" {
		name = slugTitle(slug)
	}
	kinds := []spec.Kind{spec.KindPRD}
	if *techspec {
		kinds = append(kinds, spec.KindTechSpec)
	}
	// An existing file is never overwritten. With --techspec, a PRD that
	// is there already is kept (the tech spec is what is asked for); a tech
	// spec that is there stops everything before anything is written.
	var write []spec.Kind
	var kept []string
	for _, k := range kinds {
		p := filepath.Join(folder, spec.FileNames[k])
		switch {
		case !fileExists(p):
			write = append(write, k)
		case k == spec.KindPRD && *techspec:
			kept = append(kept, p)
		default:
			return &exitError{2, fmt.Errorf("%s exists; not overwritten", displayPath(p))}
		}
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return &exitError{2, fmt.Errorf("create %s: %w", folder, err)}
	}
	for _, k := range write {
		content := blankAfterTitle(codeactions.FromTemplate(w.Templates[k], name, "\n"))
		path := filepath.Join(folder, spec.FileNames[k])
		if err := writeNew(path, []byte(content)); errors.Is(err, fs.ErrExist) {
			return &exitError{2, fmt.Errorf("%s exists; not overwritten", displayPath(path))}
		} else if err != nil {
			return &exitError{2, err}
		}
		fmt.Fprintf(stdout, "created %s\n", displayPath(path))
	}
	for _, p := range kept {
		fmt.Fprintf(stdout, "kept %s (it exists)\n", displayPath(p))
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// blankAfterTitle puts one blank line after the title line, as markdown
// style (and markdownlint's MD022) asks, when the template has none.
func blankAfterTitle(s string) string {
	first, rest, ok := strings.Cut(s, "\n")
	if !ok || !strings.HasPrefix(first, "# ") || rest == "" || strings.HasPrefix(rest, "\n") {
		return s
	}
	return first + "\n\n" + rest
}

// slugTitle turns "ai-chat" into "Ai Chat".
func slugTitle(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
