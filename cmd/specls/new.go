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

const newUsage = `Usage: specls new [flags] <feature-slug>

Creates tasks/prd-<feature-slug>/_prd.md from the PRD template (the
workspace's tasks/docs/_prd-template.md, else the built-in one), with the
feature's name in its title. The slug is kebab-case: lower-case words joined
by hyphens. An existing file is never overwritten.

Flags:
`

func runNew(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("new", flag.ContinueOnError)
	flags.SetOutput(stderr)
	title := flags.String("title", "", "the feature's name for the title (default: made from the slug)")
	dir := flags.String("C", ".", "run in this folder: the workspace is the one it belongs to")
	flags.Usage = func() { fmt.Fprint(stderr, newUsage); flags.PrintDefaults() }
	if done, err := parseFlags(flags, args); done || err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return usageError("new takes one feature slug, e.g. specls new ai-chat")
	}
	slug := strings.TrimPrefix(flags.Arg(0), "prd-")
	root := spec.WorkspaceRoot(*dir)
	folder := filepath.Join(root, "tasks", "prd-"+slug)
	if p := spec.FolderProblem(folder); p != "" {
		return usageError("bad feature slug %q: %s", flags.Arg(0), p)
	}
	w, err := workspace.Open(root)
	if err != nil {
		return &exitError{2, err}
	}
	name := *title
	if name == "" {
		name = slugTitle(slug)
	}
	content := codeactions.FromTemplate(w.Templates[spec.KindPRD], name, "\n")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return &exitError{2, fmt.Errorf("create %s: %w", folder, err)}
	}
	path := filepath.Join(folder, spec.FileNames[spec.KindPRD])
	if err := writeNew(path, []byte(content)); errors.Is(err, fs.ErrExist) {
		return &exitError{2, fmt.Errorf("%s exists; not overwritten", displayPath(path))}
	} else if err != nil {
		return &exitError{2, err}
	}
	fmt.Fprintf(stdout, "created %s\n", displayPath(path))
	return nil
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
