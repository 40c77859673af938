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

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

const initUsage = `Usage: specls init [flags]

Writes, in the folder (default: the current one), the files a workspace
starts from: tasks/docs/_prd-template.md and tasks/docs/_techspec-template.md
(the built-in templates, to adapt: specls checks the spec files against
them) and a commented .specls.yaml. Files that exist are kept as they are.

Flags:
`

// configSample is the .specls.yaml that init writes: every setting, commented
// out at its default ("# key: value", "#   - item"; the rest is prose).
// The "---" keeps a file of comments alone a valid (empty) YAML document.
const configSample = `---
# Configuration of specls, read by "specls check" and the language server.
# Every setting is optional. Uncomment a line to change its default.

# Severity per rule code: off, hint, info, warning or error.
# The codes are listed in docs/rules.md.
# rules:
#   section-placeholder: warning
#   requirement-untraced: info

# Gates A-F: "off" switches a whole gate off, a severity caps its rules.
# gates:
#   C: off

# Template files, relative to this folder. The defaults are the files
# below, or the built-in templates when those do not exist.
# templates:
#   prd: tasks/docs/_prd-template.md
#   techspec: tasks/docs/_techspec-template.md

# Parameters of the rules; an empty list means the convention's defaults.
# options:
#   library-minimums:
#     fastapi: 0.104.0
#     pydantic: 2.5.0
#   licenses: [MIT, Apache-2.0, BSD-2-Clause, BSD-3-Clause]
#   python-minimum: "3.11"
#   checklist:
#     - Python 3.11+ with async/await throughout
#   decision-topics:
#     - service discovery
#   implementation-terms: [Kubernetes]

# AI generation through an OpenAI-compatible endpoint: OpenAI, Azure,
# Ollama, vLLM or llama.cpp. The API key is read from the environment
# variable that api-key-env names. Never write the key in this file.
# ai:
#   base-url: http://localhost:11434/v1
#   model: llama3.1
#   api-key-env: OPENAI_API_KEY
#   timeout: 60s

# Editor settings.
# server:
#   debounce: 200ms

# Feature folders not to check, as globs relative to this folder.
# ignore:
#   - tasks/prd-archived-*

# Where feature folders live: patterns a feature folder's path ends with,
# the last "*" standing for the slug. The list replaces the defaults.
# layout:
#   features:
#     - tasks/prd-*
#     - .compozy/tasks/*
`

func runInit(args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("init", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dir := flags.String("C", ".", "the folder to initialise")
	profile := flags.String("profile", "", "write the template of a profile: python-microservices (the seed's stack) or generic (stack-neutral; template rules only), and set it in .specls.yaml")
	flags.Usage = func() { fmt.Fprint(stderr, initUsage); flags.PrintDefaults() }
	if done, err := parseFlags(flags, args); done || err != nil {
		return err
	}
	if flags.NArg() != 0 {
		return usageError("init takes no arguments (use -C to name the folder)")
	}
	techspec, cfg := spec.BuiltinTemplate(spec.KindTechSpec).Doc.Text, configSample
	switch *profile {
	case "":
	case config.ProfilePython:
		cfg = withProfile(cfg, *profile, "the seed's Python microservices stack: every rule")
	case config.ProfileGeneric:
		techspec = spec.GenericTechSpecTemplate()
		cfg = withProfile(cfg, *profile, "the template's rules only: Gate E, placeholders, tracing, questions, PRD rules")
	default:
		return usageError("unknown profile %q (want %s)", *profile, strings.Join(config.Profiles, " or "))
	}
	files := []struct {
		path    string
		content []byte
	}{
		{spec.TemplatePaths[spec.KindPRD], spec.BuiltinTemplate(spec.KindPRD).Doc.Text},
		{spec.TemplatePaths[spec.KindTechSpec], techspec},
		{config.FileName, []byte(cfg)},
	}
	for _, f := range files {
		path := filepath.Join(*dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return &exitError{2, fmt.Errorf("create %s: %w", filepath.Dir(path), err)}
		}
		err := writeNew(path, f.content)
		switch {
		case errors.Is(err, fs.ErrExist):
			fmt.Fprintf(stdout, "kept %s (exists)\n", displayPath(path))
		case err != nil:
			return &exitError{2, err}
		default:
			fmt.Fprintf(stdout, "created %s\n", displayPath(path))
		}
	}
	return nil
}

// writeNew creates a file that must not exist yet.
func writeNew(path string, content []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// withProfile puts the profile setting at the top of the sample
// configuration, after its document marker.
func withProfile(sample, name, what string) string {
	line := "# The rule profile in force (docs/profiles.md): " + what + ".\nprofile: " + name + "\n\n"
	return "---\n" + line + strings.TrimPrefix(sample, "---\n")
}
