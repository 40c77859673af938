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
	if done, err := parseFlags(fs, args); done || err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var rep reporter
	switch *format {
	case "text":
		rep = &textReporter{w: stdout, quiet: *quiet}
	case "json":
		rep = &jsonReporter{w: stdout, rep: jsonReport{Version: 1, Features: []jsonFeature{}}}
	case "sarif":
		rep = newSARIFReporter(stdout)
	case "github":
		rep = &githubReporter{w: stdout}
	default:
		return usageError("unknown format %q (want text, json, sarif or github)", *format)
	}
	if *diff {
		return runDiff(paths, stdout)
	}
	skippedFix := false
	if *fix {
		// What changed goes before the report; beside a machine-readable
		// report it goes to stderr.
		out := stderr
		if *format == "text" {
			out = stdout
		}
		var err error
		if skippedFix, err = runFix(paths, out, stderr); err != nil {
			return err
		}
	}
	// Features are reported as they are checked: a report over thousands of
	// features keeps one feature's documents in memory, not all of them.
	failed := false
	err := workspace.Each(paths, func(r workspace.Result) error {
		for _, f := range r.Findings {
			failed = failed || f.Severity == config.Error
		}
		return rep.add(r)
	})
	if err != nil {
		return &exitError{2, err}
	}
	if err := rep.close(); err != nil {
		return &exitError{2, fmt.Errorf("write report: %w", err)}
	}
	if skippedFix {
		return &exitError{2, fmt.Errorf("some fixes were not written (see above)")}
	}
	if failed {
		return &exitError{1, nil}
	}
	return nil
}

// reporter writes one output format, a feature at a time.
type reporter interface {
	add(workspace.Result) error
	close() error
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

type textReporter struct {
	w        io.Writer
	quiet    bool
	features int
	total    counts
	scope    string // the last workspace's "root: profile ..., template ..." line
}

func (t *textReporter) add(r workspace.Result) error {
	var c counts
	// What is in force, once per workspace: which rules ran depends on it.
	if sc := scopeLine(r); !t.quiet && sc != t.scope {
		fmt.Fprintln(t.w, sc)
		t.scope = sc
	}
	for _, f := range r.Findings {
		loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
		fmt.Fprintf(t.w, "%s:%d:%d: %s %s: %s\n", displayPath(f.Path), loc.Line, loc.Col, f.Severity, f.Code, f.Message)
		if f.Advice != "" {
			fmt.Fprintf(t.w, "    %s\n", f.Advice) // what would make it right, under the problem
		}
		c.add(f)
		t.total.add(f)
	}
	t.features++
	if t.quiet {
		return nil
	}
	_, err := fmt.Fprintf(t.w, "%s: %s, %s  gates: %s\n", displayPath(r.Feature.Dir), plural(c.Errors, "error"), plural(c.Warnings, "warning"), diagnostics.Summary(r.Gates))
	return err
}

func (t *textReporter) close() error {
	if t.quiet {
		return nil
	}
	_, err := fmt.Fprintf(t.w, "checked %s: %s, %s, %s\n", plural(t.features, "feature"), plural(t.total.Errors, "error"), plural(t.total.Warnings, "warning"), plural(t.total.Infos+t.total.Hints, "note"))
	return err
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
	Profile  string                   `json:"profile,omitempty"`
	Template string                   `json:"template,omitempty"`
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
	Advice   string            `json:"advice,omitempty"`
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

type jsonReporter struct {
	w     io.Writer
	rep   jsonReport
	total counts
}

func (j *jsonReporter) add(r workspace.Result) error {
	jf := jsonFeature{Dir: displayPath(r.Feature.Dir), Slug: r.Feature.Slug, Gates: r.Gates, Summary: diagnostics.Summary(r.Gates), Findings: []jsonFinding{}}
	if r.Scope != nil {
		jf.Profile, jf.Template = r.Scope.Profile, displayTemplate(r.Scope.Template)
	}
	for _, f := range r.Findings {
		j.total.add(f)
		loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
		jf2 := jsonFinding{Path: displayPath(f.Path), Code: f.Code, Severity: f.Severity.String(), Gate: f.Gate, Message: f.Message, Advice: f.Advice,
			Range: jsonRange{loc.Line, loc.Col, loc.EndLine, loc.EndCol}, Span: f.Span}
		for _, rel := range f.Related {
			jf2.Related = append(jf2.Related, jsonRelatedItem{Path: displayPath(rel.Path), Span: rel.Span, Message: rel.Message})
		}
		jf.Findings = append(jf.Findings, jf2)
	}
	j.rep.Features = append(j.rep.Features, jf)
	return nil
}

func (j *jsonReporter) close() error {
	j.rep.Errors, j.rep.Warnings, j.rep.Notes = j.total.Errors, j.total.Warnings, j.total.Infos+j.total.Hints
	enc := json.NewEncoder(j.w)
	enc.SetIndent("", "  ")
	return enc.Encode(j.rep)
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

type githubReporter struct{ w io.Writer }

func (g *githubReporter) add(r workspace.Result) error {
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
		fmt.Fprintf(g.w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", level,
			githubEscape(displayPath(f.Path), true), loc.Line, loc.Col, loc.EndLine, loc.EndCol, githubEscape(title, true), githubEscape(f.Text(), false))
	}
	_, err := fmt.Fprintf(g.w, "%s gates: %s\n", displayPath(r.Feature.Dir), diagnostics.Summary(r.Gates))
	return err
}

func (g *githubReporter) close() error { return nil }

// scopeLine says which profile and template a workspace's features were
// checked against: "examples: profile python-microservices, template built-in".
func scopeLine(r workspace.Result) string {
	if r.Scope == nil {
		return ""
	}
	sc := *r.Scope
	sc.Template = displayTemplate(sc.Template)
	return displayPath(r.Root) + ": " + sc.String()
}

func displayTemplate(t string) string {
	if t == "built-in" {
		return t
	}
	return displayPath(t)
}
