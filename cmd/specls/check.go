package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

const checkUsage = `Usage: specls check [paths...] [flags]

Checks every feature folder (tasks/prd-<slug>/, .compozy/tasks/<slug>/ or
the layout.features of .specls.yaml) under the given folders or spec files;
the default is the current folder. Flags may come before or after the paths.

Exit status: 0 when nothing fails (see --fail-on and --max-warnings), 1 when
something does, 2 on usage errors, a bad configuration, a folder or file that
cannot be read, or a path with no spec files (see --allow-empty).

Colour: --color, else NO_COLOR (off) and FORCE_COLOR (on), else on when the
output is a terminal.

Flags:
`

// failOnLevels are the values of --fail-on.
var failOnLevels = []string{"error", "warning", "gate"}

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	quiet := fs.Bool("quiet", false, "text format: print findings only, no summary lines")
	fix := fs.Bool("fix", false, "apply the safe fixes (each file rewritten atomically), print what changed, then report what remains")
	diff := fs.Bool("diff", false, "print the safe fixes as a unified diff and write nothing (exit 1 when there is something to fix)")
	failOn := fs.String("fail-on", "error", "exit 1 on `what`: error (a finding at error), warning (at warning or error), or gate (an error, or any gate that fails)")
	maxWarnings := fs.Int("max-warnings", -1, "exit 1 when there are more than `N` warnings (-1: no limit)")
	allowEmpty := fs.Bool("allow-empty", false, "a path with no spec files is not an error (monorepos where that is normal)")
	colorMode := fs.String("color", "auto", "colour the text output: auto, always or never")
	fs.Usage = func() { fmt.Fprint(stderr, checkUsage); fs.PrintDefaults() }
	paths, done, err := parseArgs(fs, args)
	if done || err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case *fix && *diff:
		return usageError("--fix and --diff do not go together: --fix writes the fixes, --diff only shows them")
	case *diff && *format != "text":
		return usageError("--diff prints a unified diff; it does not go with --format %s", *format)
	case *diff && (set["fail-on"] || set["max-warnings"]):
		return usageError("--diff exits 1 when there is something to fix; --fail-on and --max-warnings are for the check")
	case !slices.Contains(failOnLevels, *failOn):
		return usageError("bad --fail-on %q (want error, warning or gate)", *failOn)
	case *maxWarnings < -1:
		return usageError("bad --max-warnings %d (want 0 or more, or -1 for no limit)", *maxWarnings)
	case *colorMode != "auto" && *colorMode != "always" && *colorMode != "never":
		return usageError("bad --color %q (want auto, always or never)", *colorMode)
	}
	// The report is written through a buffer, flushed after each feature:
	// tens of thousands of findings are not as many system calls.
	bw := bufio.NewWriterSize(stdout, 64<<10)
	var rep reporter
	switch *format {
	case "text":
		rep = &textReporter{w: bw, quiet: *quiet, color: useColor(*colorMode, stdout)}
	case "json":
		rep = &jsonReporter{w: bw}
	case "sarif":
		rep = newSARIFReporter(bw)
	case "github":
		rep = &githubReporter{w: bw}
	default:
		return usageError("unknown format %q (want text, json, sarif or github)", *format)
	}
	if *diff {
		return runDiff(paths, *allowEmpty, stdout)
	}
	skippedFix := false
	// The features --fix left checked in memory, as written.
	var checked func(dir string) (*spec.Feature, []diagnostics.Finding, bool)
	if *fix {
		// What changed goes before the report; beside a machine-readable
		// report it goes to stderr.
		out := stderr
		if *format == "text" {
			out = stdout
		}
		var err error
		if checked, skippedFix, err = runFix(paths, *allowEmpty, out, stderr); err != nil {
			return err
		}
	}
	// Features are reported as they are checked: a report over thousands of
	// features keeps one feature's documents in memory, not all of them.
	// With so small a live heap the collector runs every few features; a
	// run that ends in seconds lets the heap grow to three times what is
	// live instead of twice (a tenth less CPU for a few MB more; see
	// docs/performance.md). GOGC, when set, still decides.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	var total counts
	var firstFailed string // the first gate that fails, "Gate B in tasks/prd-x"
	failedGates := 0
	prog := newProgress(stderr, stdout)
	opts := workspace.Options{AllowEmpty: *allowEmpty, Start: prog.start, Checked: checked}
	if tr, ok := rep.(*textReporter); ok && !tr.quiet {
		opts.Fixable = codeactions.Fixable
	}
	err = workspace.EachWith(paths, opts, func(r workspace.Result) error {
		for _, f := range r.Findings {
			total.add(f)
		}
		for _, g := range r.Gates {
			if g.Enabled && !g.Pass {
				if failedGates == 0 {
					firstFailed = fmt.Sprintf("Gate %s in %s", g.Gate, displayDir(r))
				}
				failedGates++
			}
		}
		prog.beforeOutput()
		defer prog.step()
		if err := rep.add(r); err != nil {
			return err
		}
		return bw.Flush()
	})
	prog.end()
	if err != nil {
		return &exitError{2, err}
	}
	if err := rep.close(); err != nil {
		return &exitError{2, fmt.Errorf("write report: %w", err)}
	}
	if err := bw.Flush(); err != nil {
		return &exitError{2, fmt.Errorf("write report: %w", err)}
	}
	if skippedFix {
		return &exitError{2, fmt.Errorf("some fixes were not written (see above)")}
	}
	// Why the run fails, when the findings alone do not say it.
	var reasons []string
	switch {
	case total.Errors > 0:
	case *failOn == "warning" && total.Warnings > 0:
		reasons = append(reasons, fmt.Sprintf("%s (--fail-on warning)", plural(total.Warnings, "warning")))
	case *failOn == "gate" && failedGates > 0:
		more := ""
		if failedGates > 1 {
			more = fmt.Sprintf(" and %d more", failedGates-1)
		}
		reasons = append(reasons, fmt.Sprintf("%s fails%s (--fail-on gate)", firstFailed, more))
	}
	if *maxWarnings >= 0 && total.Warnings > *maxWarnings {
		reasons = append(reasons, fmt.Sprintf("%s, more than --max-warnings %d", plural(total.Warnings, "warning"), *maxWarnings))
	}
	if total.Errors > 0 {
		return &exitError{1, nil}
	}
	if len(reasons) > 0 {
		return &exitError{1, fmt.Errorf("failing: %s", strings.Join(reasons, "; "))}
	}
	return nil
}

// useColor decides whether to colour w: --color always or never wins, then
// NO_COLOR (any value turns colour off) and FORCE_COLOR (on, unless "0" or
// "false"), then whether w is a terminal.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	if v, ok := os.LookupEnv("FORCE_COLOR"); ok {
		return v != "0" && v != "false"
	}
	return isTerminal(w) && os.Getenv("TERM") != "dumb"
}

// isTerminal reports whether w is a terminal (not a pipe, a file or
// /dev/null). Tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressAfter is how long a run goes before it shows progress.
var progressAfter = time.Second

// progress shows "checking features: 12/40" on a terminal's stderr once a
// run has taken progressAfter; never in pipes, files or CI logs. It is
// redrawn at most every 100ms.
type progress struct {
	w           io.Writer
	on          bool
	shared      bool // the report goes to the same terminal: erase before it
	begin, last time.Time
	done, total int
	shown       bool
}

func newProgress(stderr, stdout io.Writer) *progress {
	on := isTerminal(stderr) && os.Getenv("CI") == "" && os.Getenv("TERM") != "dumb"
	return &progress{w: stderr, on: on, shared: on && isTerminal(stdout), begin: time.Now()}
}

func (p *progress) start(total int) { p.total = total }

func (p *progress) step() {
	p.done++
	if !p.on || p.total < 2 || p.done == p.total {
		return
	}
	now := time.Now()
	if now.Sub(p.begin) < progressAfter || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\rchecking features: %d/%d\x1b[K", p.done, p.total)
}

// beforeOutput erases the progress line when the report is about to be
// written to the same terminal; it is drawn again at the next step due.
func (p *progress) beforeOutput() {
	if p.shared {
		p.end()
	}
}

// end erases the progress line.
func (p *progress) end() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// reporter writes one output format, a feature at a time.
type reporter interface {
	add(workspace.Result) error
	close() error
}

// displayDir names a feature folder: relative to the current folder, or,
// when it is the current folder, relative to its workspace root
// ("tasks/prd-chat", never ".").
func displayDir(r workspace.Result) string {
	d := displayPath(r.Feature.Dir)
	if d == "." {
		if rel, err := filepath.Rel(r.Root, r.Feature.Dir); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
		return filepath.Base(r.Feature.Dir)
	}
	return d
}

// pathNames memoises displayPath for one feature's report: each call asks
// the system for the current folder, and thousands of findings share a
// path.
type pathNames map[string]string

func (m pathNames) get(p string) string {
	d, ok := m[p]
	if !ok {
		d = displayPath(p)
		m[p] = d
	}
	return d
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
	color    bool
	features int
	fixable  int
	total    counts
	scope    string // the last workspace's "root: profile ..., template ..." line
	line     []byte // a finding's lines, reused
}

// SGR colours, as eslint and ruff use them.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrBlue   = "\x1b[34m"
)

func (t *textReporter) paint(sgr, s string) string {
	if !t.color {
		return s
	}
	return sgr + s + sgrReset
}

func (t *textReporter) severity(s config.Severity) string {
	switch s {
	case config.Error:
		return t.paint(sgrBold+sgrRed, s.String())
	case config.Warning:
		return t.paint(sgrYellow, s.String())
	}
	return t.paint(sgrBlue, s.String())
}

func (t *textReporter) gates(st []diagnostics.GateStatus) string {
	sum := diagnostics.Summary(st)
	if !t.color {
		return sum
	}
	sum = strings.ReplaceAll(sum, "✓", sgrGreen+"✓"+sgrReset)
	return strings.ReplaceAll(sum, "✗", sgrRed+"✗"+sgrReset)
}

func (t *textReporter) add(r workspace.Result) error {
	var c counts
	// What is in force, once per workspace: which rules ran depends on it.
	if sc := scopeLine(r); !t.quiet && sc != t.scope {
		fmt.Fprintln(t.w, sc)
		t.scope = sc
	}
	names := pathNames{}
	for _, f := range r.Findings {
		loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
		// "path:line:col: severity code: message", appended rather than
		// formatted: a report may hold tens of thousands of findings.
		b := append(t.line[:0], t.paint(sgrBold, names.get(f.Path))...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(loc.Line), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(loc.Col), 10)
		b = append(b, ": "...)
		b = append(b, t.severity(f.Severity)...)
		b = append(b, ' ')
		b = append(b, t.paint(sgrDim, f.Code)...)
		b = append(b, ": "...)
		b = append(b, f.Message...)
		b = append(b, '\n')
		if f.Advice != "" {
			// What would make it right, under the problem.
			b = append(b, "    "...)
			b = append(b, f.Advice...)
			b = append(b, '\n')
		}
		t.line = b
		if _, err := t.w.Write(b); err != nil {
			return err
		}
		c.add(f)
		t.total.add(f)
	}
	t.features++
	t.fixable += r.Fixable
	if t.quiet {
		return nil
	}
	_, err := fmt.Fprintf(t.w, "%s: %s, %s  gates: %s\n", t.paint(sgrBold, displayDir(r)), plural(c.Errors, "error"), plural(c.Warnings, "warning"), t.gates(r.Gates))
	return err
}

// close writes the summary: "Found 8 errors, 28 warnings in 3 features (5
// fixable with --fix)".
func (t *textReporter) close() error {
	if t.quiet {
		return nil
	}
	found := plural(t.total.Errors, "error") + ", " + plural(t.total.Warnings, "warning")
	if n := t.total.Infos + t.total.Hints; n > 0 {
		found += ", " + plural(n, "note")
	}
	line := fmt.Sprintf("Found %s in %s", found, plural(t.features, "feature"))
	if t.fixable > 0 {
		line += fmt.Sprintf(" (%d fixable with --fix)", t.fixable)
	}
	if t.color {
		sgr := sgrGreen
		if t.total.Errors > 0 {
			sgr = sgrRed
		} else if t.total.Warnings > 0 {
			sgr = sgrYellow
		}
		line = t.paint(sgrBold+sgr, line)
	}
	_, err := fmt.Fprintln(t.w, line)
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

	// With finder set, the findings are not in Findings but made one at
	// a time as they are written: finder returns a function that fills f
	// with finding i of count (a feature may have 50,000 findings; see
	// appendFeature). Each goroutine that writes findings makes its own.
	count  int
	finder func() func(i int, f *jsonFinding)
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

// jsonReporter encodes each feature as it is added (jsonout.go) and writes
// the report at close: nothing is written when the run fails part way.
// A report past streamAt is written as it goes instead (the totals come
// last): held whole, 50,000 findings are 30 MB of memory touched once,
// a tenth of a second of page faults (docs/performance.md).
type jsonReporter struct {
	w        io.Writer
	features chunks // the encoded features, comma-separated, not yet written
	scratch  []byte
	n        int
	total    counts
	streamed bool // the head and the features so far are written
	size     int  // the bytes in features
}

// streamAt is the report size from which the JSON report is streamed.
var streamAt = 4 << 20

// flush writes the head and the features held, once the report is large.
func (j *jsonReporter) flush() error {
	if !j.streamed && j.size < streamAt {
		return nil
	}
	if !j.streamed {
		j.streamed = true
		if _, err := j.w.Write(reportHead(&jsonReport{Version: 1})); err != nil {
			return err
		}
	}
	for _, b := range j.features.blocks {
		if _, err := j.w.Write(b); err != nil {
			return err
		}
	}
	j.features.blocks, j.size = j.features.blocks[:0], 0
	return nil
}

func (j *jsonReporter) add(r workspace.Result) error {
	jf := jsonFeature{Dir: displayDir(r), Slug: r.Feature.Slug, Gates: r.Gates, Summary: diagnostics.Summary(r.Gates), count: len(r.Findings)}
	if r.Scope != nil {
		jf.Profile, jf.Template = r.Scope.Profile, displayTemplate(r.Scope.Template)
	}
	for _, f := range r.Findings {
		j.total.add(f)
	}
	if len(r.Findings) >= parallelFrom {
		// The findings may be written on several goroutines: the line
		// indexes they read are built first.
		for _, d := range r.Feature.Docs() {
			d.Mapper()
		}
	}
	// Each finding is converted as it is written, into the same record.
	jf.finder = func() func(int, *jsonFinding) {
		names := pathNames{}
		return func(i int, jf2 *jsonFinding) {
			f := &r.Findings[i]
			loc := locate(docOf(r, f.Path), f.Span, spec.UTF8)
			*jf2 = jsonFinding{Path: names.get(f.Path), Code: f.Code, Severity: f.Severity.String(), Gate: f.Gate, Message: f.Message, Advice: f.Advice,
				Range: jsonRange{loc.Line, loc.Col, loc.EndLine, loc.EndCol}, Span: f.Span, Related: jf2.Related[:0]}
			for _, rel := range f.Related {
				jf2.Related = append(jf2.Related, jsonRelatedItem{Path: names.get(rel.Path), Span: rel.Span, Message: rel.Message})
			}
		}
	}
	b := j.scratch[:0]
	if j.n > 0 {
		b = append(b, ',')
	}
	j.n++
	b, err := appendFeature(b, &jf, j.write)
	j.write(b)
	j.scratch = b
	if err != nil {
		return err
	}
	return j.flush()
}

// write holds encoded features, and writes them once the report is large
// (a write error shows again at the next flush: the writer keeps it).
func (j *jsonReporter) write(b []byte) {
	if j.streamed {
		_, _ = j.w.Write(b)
		return
	}
	j.features.write(b)
	j.size += len(b)
	_ = j.flush()
}

func (j *jsonReporter) close() error {
	rep := jsonReport{Version: 1, Errors: j.total.Errors, Warnings: j.total.Warnings, Notes: j.total.Infos + j.total.Hints}
	if !j.streamed {
		if _, err := j.w.Write(reportHead(&rep)); err != nil {
			return err
		}
	}
	for _, b := range j.features.blocks {
		if _, err := j.w.Write(b); err != nil {
			return err
		}
	}
	_, err := j.w.Write(reportTail(&rep, j.n))
	return err
}

// githubEscape escapes a workflow-command value; props also escapes the
// separators of properties.
func githubEscape(s string, prop bool) string {
	s = githubValue.Replace(s)
	if prop {
		s = githubProp.Replace(s)
	}
	return s
}

var (
	githubValue = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProp  = strings.NewReplacer(":", "%3A", ",", "%2C")
)

type githubReporter struct{ w io.Writer }

func (g *githubReporter) add(r workspace.Result) error {
	names := pathNames{}
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
			githubEscape(names.get(f.Path), true), loc.Line, loc.Col, loc.EndLine, loc.EndCol, githubEscape(title, true), githubEscape(f.Text(), false))
	}
	_, err := fmt.Fprintf(g.w, "%s gates: %s\n", displayDir(r), diagnostics.Summary(r.Gates))
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
