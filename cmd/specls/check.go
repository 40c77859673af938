package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

const checkUsage = `Usage: specls check [flags] [paths...]

Checks every feature folder (tasks/prd-<slug>/) under the given folders or
spec files; the default is the current folder. Exit status: 0 when no finding
is at error, 1 when one is, 2 on usage or I/O errors.

Flags:
`

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	quiet := fs.Bool("quiet", false, "text format: print findings only, no summary lines")
	fix := fs.Bool("fix", false, "apply the safe fixes (each file rewritten atomically), print what changed, then report what remains")
	diff := fs.Bool("diff", false, "print the safe fixes as a unified diff and write nothing (exit 1 when there is something to fix)")
	fs.Usage = func() { fmt.Fprint(stderr, checkUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return &exitError{2, fmt.Errorf("")}
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var write func(io.Writer, []workspace.Result) error
	switch *format {
	case "text":
		write = func(w io.Writer, rs []workspace.Result) error { return writeText(w, rs, *quiet) }
	case "json":
		write = writeJSON
	case "sarif":
		write = writeSARIF
	case "github":
		write = writeGitHub
	default:
		return usageError("unknown format %q (want text, json, sarif or github)", *format)
	}
	if *diff {
		return runDiff(paths, stdout)
	}
	if *fix {
		// What changed goes before the report; beside a machine-readable
		// report it goes to stderr.
		out := stderr
		if *format == "text" {
			out = stdout
		}
		if err := runFix(paths, out); err != nil {
			return err
		}
	}
	results, err := workspace.CheckPaths(paths)
	if err != nil {
		return &exitError{2, err}
	}
	if err := write(stdout, results); err != nil {
		return &exitError{2, fmt.Errorf("write report: %w", err)}
	}
	for _, r := range results {
		for _, f := range r.Findings {
			if f.Severity == config.Error {
				return &exitError{1, nil}
			}
		}
	}
	return nil
}

// displayPath shows a path relative to the current folder when it is below it.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(p)
}

// location is a finding's 1-based start and end, lines and columns, with
// columns counted in enc.
type location struct{ Line, Col, EndLine, EndCol int }

func locate(doc *spec.Document, s spec.Span, enc spec.Encoding) location {
	a, b, err := doc.Mapper().SpanRange(s, enc)
	if err != nil {
		return location{1, 1, 1, 1}
	}
	return location{a.Line + 1, a.Character + 1, b.Line + 1, b.Character + 1}
}

func docOf(r workspace.Result, path string) *spec.Document {
	for _, d := range r.Feature.Docs() {
		if d.Path == path {
			return d
		}
	}
	return nil
}

type counts struct{ Errors, Warnings, Infos, Hints int }

func (c *counts) add(f diagnostics.Finding) {
	switch f.Severity {
	case config.Error:
		c.Errors++
	case config.Warning:
		c.Warnings++
	case config.Info:
		c.Infos++
	default:
		c.Hints++
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func writeText(w io.Writer, results []workspace.Result, quiet bool) error {
	var total counts
	for _, r := range results {
		var c counts
		for _, f := range r.Findings {
			doc := docOf(r, f.Path)
			loc := locate(doc, f.Span, spec.UTF8)
			fmt.Fprintf(w, "%s:%d:%d: %s %s: %s\n", displayPath(f.Path), loc.Line, loc.Col, f.Severity, f.Code, f.Message)
			c.add(f)
			total.add(f)
		}
		if !quiet {
			fmt.Fprintf(w, "%s: %s, %s  gates: %s\n", displayPath(r.Feature.Dir), plural(c.Errors, "error"), plural(c.Warnings, "warning"), diagnostics.Summary(r.Gates))
		}
	}
	if !quiet {
		_, err := fmt.Fprintf(w, "checked %s: %s, %s, %s\n", plural(len(results), "feature"), plural(total.Errors, "error"), plural(total.Warnings, "warning"), plural(total.Infos+total.Hints, "note"))
		return err
	}
	return nil
}

type jsonReport struct {
	Version  int           `json:"version"`
	Features []jsonFeature `json:"features"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Notes    int           `json:"notes"`
}

type jsonFeature struct {
	Dir      string                   `json:"dir"`
	Slug     string                   `json:"slug"`
	Gates    []diagnostics.GateStatus `json:"gates"`
	Summary  string                   `json:"summary"`
	Findings []jsonFinding            `json:"findings"`
}

type jsonFinding struct {
	Path     string            `json:"path"`
	Code     string            `json:"code"`
	Severity string            `json:"severity"`
	Gate     string            `json:"gate,omitempty"`
	Message  string            `json:"message"`
	Range    jsonRange         `json:"range"`
	Span     spec.Span         `json:"span"`
	Related  []jsonRelatedItem `json:"related,omitempty"`
}

// jsonRange uses 1-based lines and UTF-8 byte columns, like the text output.
type jsonRange struct {
	StartLine int `json:"startLine"`
	StartCol  int `json:"startColumn"`
	EndLine   int `json:"endLine"`
	EndCol    int `json:"endColumn"`
}

type jsonRelatedItem struct {
	Path    string    `json:"path"`
	Span    spec.Span `json:"span"`
	Message string    `json:"message"`
}

func writeJSON(w io.Writer, results []workspace.Result) error {
	rep := jsonReport{Version: 1, Features: []jsonFeature{}}
	var total counts
	for _, r := range results {
		jf := jsonFeature{Dir: displayPath(r.Feature.Dir), Slug: r.Feature.Slug, Gates: r.Gates, Summary: diagnostics.Summary(r.Gates), Findings: []jsonFinding{}}
		for _, f := range r.Findings {
			total.add(f)
			loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
			jf2 := jsonFinding{Path: displayPath(f.Path), Code: f.Code, Severity: f.Severity.String(), Gate: f.Gate, Message: f.Message,
				Range: jsonRange{loc.Line, loc.Col, loc.EndLine, loc.EndCol}, Span: f.Span}
			for _, rel := range f.Related {
				jf2.Related = append(jf2.Related, jsonRelatedItem{Path: displayPath(rel.Path), Span: rel.Span, Message: rel.Message})
			}
			jf.Findings = append(jf.Findings, jf2)
		}
		rep.Features = append(rep.Features, jf)
	}
	rep.Errors, rep.Warnings, rep.Notes = total.Errors, total.Warnings, total.Infos+total.Hints
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// githubEscape escapes a workflow-command value; props also escapes the
// separators of properties.
func githubEscape(s string, prop bool) string {
	r := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	s = r.Replace(s)
	if prop {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

func writeGitHub(w io.Writer, results []workspace.Result) error {
	for _, r := range results {
		for _, f := range r.Findings {
			level := "notice"
			switch f.Severity {
			case config.Error:
				level = "error"
			case config.Warning:
				level = "warning"
			}
			loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
			title := f.Code
			if f.Gate != "" {
				title += " (Gate " + f.Gate + ")"
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", level,
				githubEscape(displayPath(f.Path), true), loc.Line, loc.Col, loc.EndLine, loc.EndCol, githubEscape(title, true), githubEscape(f.Message, false))
		}
		fmt.Fprintf(w, "%s gates: %s\n", displayPath(r.Feature.Dir), diagnostics.Summary(r.Gates))
	}
	return nil
}
