package diagnostics

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Input is what the engine checks: one feature folder with its templates
// and configuration.
type Input struct {
	Feature   *spec.Feature
	Templates map[spec.Kind]*spec.Template // nil entries fall back to the built-in ones
	Config    *config.Config
	// CustomTasksTemplate is true when the workspace has its own tasks template;
	// _tasks.md is checked against a template only then.
	CustomTasksTemplate bool
	// Memo, when set, keeps one-document findings between checks.
	Memo *Memo
	// Models, when set, keeps the architecture model of each document
	// checked, for the fixes that follow (see Models).
	Models Models
}

// Context is handed to every check; Report applies the configured severity.
type Context struct {
	Input
	findings []Finding
	arts     *analysis        // the tech spec's artifacts, parsed once (artifacts_context.go)
	current  *Analyzer        // the analyzer running now
	refused  []*spec.Document // the feature's files that are not checked (refused.go)
	scope    *Scope           // the profile and template in force
	// Per-document results several rules share, computed once per Check.
	matches   map[*spec.Document]*Match
	holders   map[*spec.Document][]Placeholder
	pieceSets map[*spec.Document]*pieceSet // pieces.go
	codes     map[*spec.Document]spans     // inline code spans (Context.codeSpans)
}

// Template returns the template for kind.
func (c *Context) Template(kind spec.Kind) *spec.Template {
	if t := c.Templates[kind]; t != nil {
		return t
	}
	return spec.BuiltinTemplate(kind)
}

// Severity returns the severity in force for code: the configured one, else
// the rule's default, capped by its gate's setting. Off means not reported.
func Severity(cfg *config.Config, r *rules.Rule) config.Severity {
	sev := r.Severity
	if cfg != nil {
		if s, ok := cfg.Rules[r.Code]; ok && s != config.SeverityDefault {
			sev = s
		}
		if g, ok := cfg.Gates[r.Gate]; ok && r.Gate != "" && g != config.SeverityDefault {
			if g == config.Off {
				return config.Off
			}
			sev = min(sev, g)
		}
	}
	return sev
}

// Enabled reports whether code will be reported.
func (c *Context) Enabled(r *rules.Rule) bool {
	return c.scope.Applies(r) && Severity(c.Config, r) != config.Off
}

// failsGate reports whether r, reported, would fail its gate.
func (c *Context) failsGate(r *rules.Rule) bool {
	return c.scope.Applies(r) && Severity(c.Config, r) >= config.Warning
}

// Report records a finding for doc unless its rule is off.
func (c *Context) Report(r *rules.Rule, doc *spec.Document, span spec.Span, data Data, format string, args ...any) {
	if c.current != nil && !slices.Contains(c.current.Rules, r) {
		undeclared(c.current, r)
	}
	sev := Severity(c.Config, r)
	if sev == config.Off || !c.scope.Applies(r) {
		return
	}
	c.add(r, sev, doc, span, data, fmt.Sprintf(format, args...))
}

// reportText is Report with the message written already (a rule that
// reports 50,000 findings builds each in one string).
func (c *Context) reportText(r *rules.Rule, doc *spec.Document, span spec.Span, data Data, text string) {
	if c.current != nil && !slices.Contains(c.current.Rules, r) {
		undeclared(c.current, r)
	}
	sev := Severity(c.Config, r)
	if sev == config.Off || !c.scope.Applies(r) {
		return
	}
	c.add(r, sev, doc, span, data, text)
}

func (c *Context) add(r *rules.Rule, sev config.Severity, doc *spec.Document, span spec.Span, data Data, text string) {
	msg, advice := splitAdvice(text)
	msg = fit(msg)
	c.findings = append(c.findings, Finding{
		Code:     r.Code,
		Severity: sev,
		Gate:     r.Gate,
		Path:     doc.Path,
		Span:     clamp(span, len(doc.Text)),
		Message:  msg,
		Advice:   advice,
		Data:     data,
	})
}

// ReportRelated is Report with related locations.
func (c *Context) ReportRelated(r *rules.Rule, doc *spec.Document, span spec.Span, related []Related, data Data, format string, args ...any) {
	n := len(c.findings)
	c.Report(r, doc, span, data, format, args...)
	if len(c.findings) > n {
		c.findings[n].Related = related
	}
}

func clamp(s spec.Span, n int) spec.Span {
	s.Start = min(max(s.Start, 0), n)
	s.End = min(max(s.End, s.Start), n)
	return s
}

// Check runs every rule over the feature and returns its findings, sorted
// by path and position. Results depend only on the input.
func Check(in Input) []Finding {
	if in.Config == nil {
		in.Config = config.Default()
	}
	c := &Context{Input: in, scope: in.Scope()}
	// Refused files (not regular, outside the root, too large, not text)
	// are reported by the "files" analyzer; the others do not see them.
	var gone []spec.Kind
	c.Feature, c.refused, gone = withoutRefused(in.Feature)
	// The Apart analyzer starts as soon as the artifacts are built, and
	// its findings take their place in the order at its turn.
	var apart *apartRun
	tried := false
	for _, a := range analyzers {
		if !c.anyEnabled(a) {
			continue
		}
		if !tried && (c.arts != nil || a.Apart) {
			tried = true
			apart = c.apart()
		}
		if a.Last && apart != nil {
			apart.join(c)
			apart = nil
		}
		if a.Apart && apart != nil {
			apart.turn(c)
			continue
		}
		c.current = a
		a.Run(c)
	}
	if apart != nil {
		apart.join(c)
	}
	c.current = nil
	c.arts.release() // no rule reads the evidence texts any more
	c.findings = dropAbsent(c.findings, gone)
	sortFindings(c.findings)
	return c.findings
}

// apartFrom is the number of dependency graph nodes from which an Apart
// analyzer runs on a goroutine of its own: on a graph of 100,000 edges the
// Communication Matrix rule costs as much as the rest of the check after
// it (issue 16); on a small one a goroutine buys nothing. Tests lower it.
var apartFrom = 2000

// apartRun is an Apart analyzer running on its goroutine.
type apartRun struct {
	c      *Context // the analyzer's: its findings come after room zero ones
	done   chan struct{}
	before []Finding // the findings reported before its turn
	turned bool
}

// apartRoom is how many findings reported before the Apart analyzer's turn
// join puts in front of its own without moving them (50,000 matrix
// findings are 10 MB); more are copied.
const apartRoom = 256

// apart starts the Apart analyzer on a goroutine of its own when it is on
// and the tech spec's graph is large, and returns nil otherwise (it runs
// in turn). It runs on a fork of the analysis, which builds the artifacts
// if no rule has yet. The findings come out in the order of running the
// analyzers one after another (turn, join): that is what Status and the
// rules that read the findings (Analyzer.Last) see before they are sorted.
func (c *Context) apart() *apartRun {
	var a *Analyzer
	for _, x := range analyzers {
		if x.Apart && c.anyEnabled(x) {
			a = x
		}
	}
	if a == nil {
		return nil
	}
	arts := c.artifacts()
	if arts == nil {
		return nil
	}
	if g := arts.graphOK(); g == nil || len(g.Nodes) < apartFrom {
		return nil
	}
	fc := &Context{Input: c.Input, scope: c.scope, current: a, arts: arts.fork(), refused: c.refused,
		findings: make([]Finding, apartRoom, apartRoom+64)}
	r := &apartRun{c: fc, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		a.Run(fc)
	}()
	return r
}

// turn is the Apart analyzer's turn: the findings so far come before its
// own, and c collects those of the analyzers after it.
func (r *apartRun) turn(c *Context) {
	r.before, r.turned = c.findings, true
	c.findings = nil
}

// join waits for the Apart analyzer and puts its findings between those
// reported before its turn and after it.
func (r *apartRun) join(c *Context) {
	<-r.done
	if !r.turned {
		r.turn(c)
	}
	own := r.c.findings
	var all []Finding
	if n := len(r.before); n <= apartRoom {
		all = own[apartRoom-n:]
		copy(all, r.before)
	} else {
		all = append(r.before, own[apartRoom:]...)
	}
	c.findings = append(all, c.findings...)
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Code < b.Code
	})
}

// GateStatus is the state of one gate for a feature.
type GateStatus struct {
	Gate    string    `json:"gate"`
	Title   string    `json:"title"`
	Enabled bool      `json:"enabled"`
	Pass    bool      `json:"pass"`
	Failing []Finding `json:"-"`       // the first failing findings, at most FailingKept
	Count   int       `json:"failing"` // how many findings fail the gate
}

// FailingKept is how many failing findings a GateStatus keeps: what a
// summary or hover shows. A gate may fail 50,000 times (issue 16), and a
// copy of every one per check cost more than the report's formatting.
const FailingKept = 10

// Status computes the gates of a feature from its findings: a gate passes
// when none of its rules reports at warning or error. A gate none of whose
// rules applies (scope) or is on is not enabled: not applicable, shown "-".
func Status(findings []Finding, cfg *config.Config, scope *Scope) []GateStatus {
	out := make([]GateStatus, 0, len(rules.Gates))
	for _, g := range rules.Gates {
		st := GateStatus{Gate: g.ID, Title: g.Title, Enabled: gateEnabled(cfg, scope, g.ID), Pass: true}
		for i := range findings {
			if findings[i].Gate == g.ID && findings[i].Severity >= config.Warning {
				if st.Count < FailingKept {
					st.Failing = append(st.Failing, findings[i])
				}
				st.Count++
			}
		}
		st.Pass = st.Count == 0
		out = append(out, st)
	}
	return out
}

// StatusOf is Status for a checked input: besides the scope, a feature
// without a tech spec leaves the gates that judge a tech spec not
// applicable ("-") unless one of their rules reported something anyway.
func StatusOf(in Input, findings []Finding) []GateStatus {
	st := Status(findings, in.Config, in.Scope())
	if in.Feature == nil {
		return st
	}
	// A gate is not passed by a document that was never read: a missing
	// or refused tech spec leaves A-D and F unchecked, and with every
	// document refused Gate E is unchecked too.
	noTechSpec := in.Feature.TechSpec == nil || in.Feature.TechSpec.Refused != nil
	noneRead := true
	for _, d := range in.Feature.Docs() {
		if d.Refused == nil {
			noneRead = false
		}
	}
	for i := range st {
		if st[i].Count == 0 && (noneRead || noTechSpec && st[i].Gate != "E") {
			st[i].Enabled = false
		}
	}
	return st
}

func gateEnabled(cfg *config.Config, scope *Scope, gate string) bool {
	for _, r := range rules.InGate(gate) {
		if scope.Applies(r) && Severity(cfg, r) != config.Off {
			return true
		}
	}
	return false
}

// Summary renders gate status on one line: "A ✓  B ✗ 2  C ✓ ...", with "-"
// for a gate that is switched off.
func Summary(st []GateStatus) string {
	parts := make([]string, 0, len(st))
	for _, g := range st {
		switch {
		case !g.Enabled:
			parts = append(parts, g.Gate+" -")
		case g.Pass:
			parts = append(parts, g.Gate+" ✓")
		default:
			parts = append(parts, fmt.Sprintf("%s ✗ %d", g.Gate, g.Count))
		}
	}
	return strings.Join(parts, "  ")
}

var gateClaim = lazyregexp.New(`(?i)^\**gate\s+([A-F])\b`)

// checkGateClaims reports ticked "Gate X" task items of a tech spec whose
// gate fails.
func checkGateClaims(c *Context) {
	d := c.Feature.TechSpec
	if d == nil || !c.Enabled(rules.GateClaimFalse) {
		return
	}
	// The gates are worked out only for a ticked claim: most specs have
	// none, and a gate may fail 50,000 times (issue 16).
	var st []GateStatus
	for _, t := range d.Tasks {
		if !t.Checked {
			continue
		}
		m := gateClaim.FindStringSubmatch(t.Text)
		if m == nil {
			continue
		}
		if st == nil {
			st = Status(c.findings, c.Config, c.scope)
		}
		g := st[strings.ToUpper(m[1])[0]-'A']
		if g.Enabled && !g.Pass {
			var rel []Related
			for _, f := range g.Failing {
				if len(rel) == 10 {
					break
				}
				rel = append(rel, Related{Path: f.Path, Span: f.Span, Message: f.Code + ": " + f.Message})
			}
			c.ReportRelated(rules.GateClaimFalse, d, t.Span, rel, Data{Target: g.Gate, Want: d.Slice(t.Box)},
				"Gate %s is ticked as passed but fails %d check(s) (first: %s); fix them or untick the claim", g.Gate, g.Count, g.Failing[0].Code)
		}
	}
}

// Match returns d's template match, computed once per Check.
func (c *Context) Match(d *spec.Document) *Match {
	if m, ok := c.matches[d]; ok {
		return m
	}
	var m *Match
	if t := c.Template(d.Kind); t != nil {
		m = MatchTemplate(d, t)
	}
	if c.matches == nil {
		c.matches = map[*spec.Document]*Match{}
	}
	c.matches[d] = m
	return m
}

// Placeholders returns d's template leftovers, computed once per Check.
func (c *Context) Placeholders(d *spec.Document) []Placeholder {
	if p, ok := c.holders[d]; ok {
		return p
	}
	p := c.Memo.placeholders(d, c.Match(d), c.piecesOf(d), c.codeSpans(d))
	if c.holders == nil {
		c.holders = map[*spec.Document][]Placeholder{}
	}
	c.holders[d] = p
	return p
}
