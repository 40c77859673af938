package diagnostics

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate A: PRD analyzed, service boundaries identified.

// checkFeatureFolder reports documents outside a feature folder
// (tasks/prd-<slug>/, .compozy/tasks/<slug>/ or the configured layout).
func checkFeatureFolder(c *Context) {
	if p := spec.FolderProblemIn(c.Feature.Dir, c.Config.Layout.Features); p != "" && c.Enabled(rules.FeatureFolder) {
		for _, d := range c.Feature.Docs() {
			c.Report(rules.FeatureFolder, d, firstLine(d), Data{Target: c.Feature.Dir}, "%s", p)
		}
	}
}

// checkPRDMissing reports a tech spec with no PRD beside it.
func checkPRDMissing(c *Context, a *analysis) {
	d := a.doc
	if c.Feature.PRD == nil {
		c.Report(rules.PRDMissing, d, titleSpan(d), Data{Want: filepath.Join(c.Feature.Dir, spec.FileNames[spec.KindPRD])},
			"this tech spec has no PRD beside it; write %s first (the tech spec translates its requirements)", spec.FileNames[spec.KindPRD])
	}
}

func checkServices(c *Context, a *analysis) {
	d := a.doc
	if len(a.services) == 0 && servicesTable(d) != nil {
		return // | Service | Responsibility | ... |: the services are defined there
	}
	switch {
	case a.serviceSection == nil:
		c.Report(rules.ServicesMissing, d, titleSpan(d), Data{},
			"the tech spec defines no services; add \"## Service Definitions\" with one \"### <Service>\" heading per service")
		return
	case len(a.services) == 0:
		s := a.serviceSection
		c.Report(rules.ServicesMissing, d, headSpan(d, s), Data{Section: s, Insert: s.Span.End},
			"%q has no \"%s <Service>\" headings; add one per service (e.g. \"%s Auth Service\")", s.Title, strings.Repeat("#", s.Level+1), strings.Repeat("#", s.Level+1))
		return
	}
	if !c.Enabled(rules.ServiceIncomplete) {
		return
	}
	for _, s := range a.services {
		missing := c.Memo.serviceGaps(a.evidence, d, s.Section)
		if len(missing) > 0 {
			c.Report(rules.ServiceIncomplete, d, s.Section.TitleSpan, Data{Section: s.Section, Target: s.Name, Want: strings.Join(missing, ", ")},
				"service %q does not state its %s; add %s (write \"none\" and why when it has none)", s.Name, joinAnd(missing), pronoun(len(missing)))
		}
	}
}

// serviceGaps returns the aspects the service defined in sec does not
// state. They depend on the evidence text of its body and on whether a
// proto block starts in it, nothing else.
func serviceGaps(evidence string, d *spec.Document, sec *spec.Section) []string {
	b := sec.Body()
	// The body normalised, between spaces, in a buffer given back at the
	// end: nothing returned points into it (the aspects' names are
	// constants), and every service's body was two copies per check.
	buf := gapBuffers.Get().(*[]byte)
	t := append((*buf)[:0], ' ')
	t = spec.AppendNormalize(t, evidence[b.Start:b.End])
	t = append(t, ' ')
	text := unsafe.String(unsafe.SliceData(t), len(t))
	defer func() {
		if cap(t) <= maxPooledEvidence { // a huge body's buffer is not kept
			*buf = t
			gapBuffers.Put(buf)
		}
	}()
	var missing []string
	for _, asp := range serviceAspects {
		if !asp.has(text, d, sec) {
			missing = append(missing, asp.name)
		}
	}
	return missing
}

var gapBuffers = sync.Pool{New: func() any { return new([]byte) }}

// hasBlockIn reports whether a code block of language lang starts in sec
// (serviceAspect.has).
func hasBlockIn(d *spec.Document, sec *spec.Section, lang string) bool {
	for _, b := range d.Code {
		if b.Lang == lang && sec.Span.Start <= b.Span.Start && b.Span.Start < sec.Span.End {
			return true
		}
	}
	return false
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// serviceAspect is one part of a service definition the seed requires.
type serviceAspect struct {
	name string
	// needles are the words that state it (any of them), as has looks
	// for them in a normalised text between spaces: " word " for a whole
	// word, " word" for a word start (written "word*").
	needles []string
	block   string // a code block language that counts too
}

// aspectWords makes serviceAspect.needles of words (normalised, whole
// words or word starts ending in "*").
func aspectWords(words ...string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			out[i] = " " + p
		} else {
			out[i] = " " + w + " "
		}
	}
	return out
}

var serviceAspects = []serviceAspect{
	{name: "purpose and responsibilities", needles: aspectWords("purpose", "responsib*", "owns", "role", "handles", "manages", "provides", "is the", "serves")},
	{name: "gRPC definition", needles: aspectWords("grpc", "proto", "protobuf", "rpc", "rpcs"), block: "proto"},
	{name: "REST endpoints", needles: aspectWords("rest", "endpoint*", "openapi", "http", "https", "get", "post", "put", "patch", "delete")},
	{name: "database schema", needles: aspectWords("schema*", "database*", "db", "table", "tables", "sqlalchemy", "stateless", "data store", "datastore", "persist*", "storage", "redis")},
	{name: "dependencies", needles: aspectWords("depend*", "upstream", "downstream", "calls", "consumes", "publishes")},
}

// has reports whether text (normalised, between spaces) states the aspect,
// or a block of its language starts in s.
func (asp serviceAspect) has(text string, d *spec.Document, s *spec.Section) bool {
	for _, n := range asp.needles {
		if strings.Contains(text, n) {
			return true
		}
	}
	return asp.block != "" && hasBlockIn(d, s, asp.block)
}

// reqRange matches "FR-1 to FR-4", "FR-1–4", "FR-1..FR-4": a tech spec
// that cites a range traces every requirement in it.
var reqRange = lazyregexp.New(`^([A-Z]{1,4})-?(\d+)\s*(?:to|through|thru|–|—|\.\.|-)\s*(?:([A-Z]{1,4})-?)?(\d+)\b`)

// skipLineBreak returns the offset after the line break at off (LF, CRLF
// or CR), or off when there is none.
func skipLineBreak(src []byte, off int) int {
	switch {
	case off >= len(src):
	case src[off] == '\r':
		off++
		if off < len(src) && src[off] == '\n' {
			off++
		}
	case src[off] == '\n':
		off++
	}
	return off
}

// deferredRe marks a requirement the PRD itself defers or cuts.
var deferredRe = lazyregexp.New(`(?i)\[(?:deferred|out of scope|later|future|dropped|cut|won'?t do|descoped)\]|\((?:deferred|out of scope|descoped)\)`)

// deferred is deferredRe.MatchString without the regexp engine's set-up on
// the many requirements that hold no bracket: both forms start with one.
func deferred(text string) bool {
	return strings.ContainsAny(text, "[(") && deferredRe.MatchString(text)
}

// storyPrefixes are the ID kinds that are not requirements of their own
// (user stories, use cases, acceptance criteria): traced only when a PRD
// numbers nothing else.
var storyPrefixes = []string{"US", "UC", "AC"}

// checkTraceability reports PRD requirements the tech spec never cites. The
// finding sits on the tech spec's title (the document that must change)
// and points at the requirement in the PRD. A tech spec that cites none of
// the requirements gets one finding listing them, not one per requirement.
func checkTraceability(c *Context, a *analysis) {
	prd := c.Feature.PRD
	if prd == nil || !c.Enabled(rules.RequirementUntraced) {
		return
	}
	cited := map[string]bool{}
	extra := c.Config.Requirements.IDPrefixes()
	refs, _ := a.doc.RequirementsWith(extra)
	_, defined := prd.RequirementsWith(extra)
	for _, r := range refs {
		cited[r.Key] = true
	}
	for _, ref := range refs {
		// A range starts at a mention: match there only. It may wrap onto
		// the next line of its paragraph ("FR-1 to" / "FR-3").
		line := lineOf(a.doc.Text, ref.Span.Start)
		end := line.End
		if end < len(a.doc.Text) {
			end = lineOf(a.doc.Text, skipLineBreak(a.doc.Text, end)).End
		}
		text := a.doc.Text[ref.Span.Start:end]
		m := reqRange.FindSubmatchIndex(text)
		if m == nil {
			continue
		}
		p := string(text[m[2]:m[3]])
		if m[6] >= 0 && string(text[m[6]:m[7]]) != p {
			continue
		}
		lo, _ := strconv.Atoi(string(text[m[4]:m[5]]))
		hi, _ := strconv.Atoi(string(text[m[8]:m[9]]))
		if hi < lo || hi-lo > 200 {
			continue
		}
		for i := lo; i <= hi; i++ {
			cited[p+"-"+strconv.Itoa(i)] = true
		}
	}
	traced := tracedRequirements(c.Config.Options.TracePrefixes, defined, len(cited) > 0)
	var untraced []*spec.Requirement
	for _, r := range traced {
		if !cited[r.Key] {
			untraced = append(untraced, r)
		}
	}
	if len(untraced) == 0 {
		return
	}
	name := func(r *spec.Requirement) string {
		if r.Implicit {
			return fmt.Sprintf("item %s of the requirements list", r.ID[strings.LastIndex(r.ID, "-")+1:])
		}
		return r.ID
	}
	if len(untraced) == len(traced) && len(untraced) > 1 {
		// Nothing traced at all: one finding, the requirements related.
		var rel []Related
		for _, r := range untraced {
			rel = append(rel, Related{Path: prd.Path, Span: r.Span, Message: name(r) + " is defined here"})
		}
		c.ReportRelated(rules.RequirementUntraced, a.doc, titleSpan(a.doc), rel, Data{Target: untraced[0].ID},
			"the tech spec cites none of the PRD's %d requirements (%s, ...)", len(untraced), name(untraced[0]))
		return
	}
	for _, r := range untraced {
		text := r.Text
		if t := strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(text, "*_` "), r.ID)); t != "" {
			text = strings.TrimLeft(t, ":.-–— ")
		}
		text = truncate(text, 40)
		rel := []Related{{Path: prd.Path, Span: r.Span, Message: name(r) + " is defined here"}}
		c.ReportRelated(rules.RequirementUntraced, a.doc, titleSpan(a.doc), rel, Data{Target: r.ID},
			"PRD requirement %s (%q) is never cited in the tech spec", name(r), text)
	}
}

// tracedRequirements are the PRD's requirements a tech spec must cite: those
// of the configured prefixes; by default every ID the PRD gives, user
// stories, use cases and acceptance criteria only when it gives nothing
// else. Items of a numbered list carry no ID of the PRD's own: they are
// traced only when the tech spec cites requirements by ID at all.
func tracedRequirements(prefixes []string, reqs []*spec.Requirement, citesIDs bool) []*spec.Requirement {
	var out []*spec.Requirement
	explicit := 0
	for _, r := range reqs {
		p, _, _ := strings.Cut(r.Key, "-")
		if !containsFold(storyPrefixes, p) {
			explicit++ // numbered-list items count: the PRD numbers its features
		}
	}
	for _, r := range reqs {
		p, _, _ := strings.Cut(r.Key, "-")
		if deferred(r.Text) {
			continue // deferred or cut: nothing for this design to meet
		}
		switch {
		case len(prefixes) > 0:
			if !containsFold(prefixes, p) {
				continue
			}
		case r.Implicit:
			if !citesIDs {
				continue
			}
		case containsFold(storyPrefixes, p) && explicit > 0:
			continue
		}
		out = append(out, r)
	}
	return out
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(y, x) {
			return true
		}
	}
	return false
}

// truncate shortens s to at most n runes, with "..." when it cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

// servicesTable returns a table that defines the services, one row each: a
// Service (or Component) column beside a Responsibility, Purpose,
// Description or Role column, with at least one row.
func servicesTable(d *spec.Document) *spec.Table {
	for _, t := range d.Tables {
		if len(t.Rows) > 0 && t.Column("service", "services", "component", "components") >= 0 &&
			t.Column("responsibility", "responsibilities", "purpose", "description", "role", "owns") >= 0 {
			return t
		}
	}
	return nil
}
