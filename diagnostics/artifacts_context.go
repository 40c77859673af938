package diagnostics

import (
	"bytes"
	"encoding/binary"
	"sync"
	"unsafe"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// analysis is the tech spec's artifacts, parsed once per Check and shared
// by the rules of every gate (and by the section-missing hook).
type analysis struct {
	doc   *spec.Document
	tmpl  *spec.Template
	match *Match

	services       []*Service
	serviceSection *spec.Section
	graph          *DepGraph   // the service dependency graph, or nil
	flowcharts     []*DepGraph // every mermaid flowchart (the graph among them)
	matrix         []MatrixRow
	matrixTables   []*spec.Table
	ownership      []OwnershipRow
	ownerTables    []*spec.Table
	libraries      []*Library
	libSection     *spec.Section

	// evidence is the text with template leftovers, placeholders and
	// unchecked task items blanked, lower-cased: what the document really
	// states. prose is evidence without code blocks, questions and the
	// Open Questions section.
	evidence    string
	prose       string
	evidenceBuf *[]byte // the texts' buffer, given back by release

	names *arch.Matcher // the one name matching, memoised: the model's (Input.Models)
	// Indexes for linear matching, built on first use (artifacts_index.go).
	serviceIx    *arch.ServiceIndex
	nodeIx       *arch.KeyIndex
	rowIx        *arch.NameIndex
	cellIx       *arch.KeyIndex
	ownerIx      *arch.KeyIndex
	scratch      []int                  // the candidates of one lookup
	cells        []arch.Name            // the matrix cells' names (matrixCells)
	passive      []uint8                // see (*analysis).isPassive
	stores       []uint8                // see (*analysis).isStore
	nodeServices []*Service             // see (*analysis).serviceOf
	passiveMemo  map[*mermaid.Node]bool // see (*analysis).isPassive
	protocols    map[string]string      // see (*analysis).protocolOf
	termHits     *evidenceHits          // see (*analysis).evidenceHits
	memo         *Memo                  // the check's memo, for the term scans (terms.go)
	questions    []question             // the tech spec's questions (questionLines)
}

// artifacts returns the tech spec's analysis, computing it on first use;
// nil when the feature has no tech spec.
func (c *Context) artifacts() *analysis {
	d := c.Feature.TechSpec
	if d == nil {
		return nil
	}
	if c.arts != nil {
		return c.arts
	}
	a := &analysis{doc: d, tmpl: c.Template(spec.KindTechSpec), memo: c.Memo}
	a.match = c.Match(d)
	a.questions = questionLinesIn(d, c.codeSpans(d))
	holders := c.Placeholders(d)
	// The evidence texts are two copies of the document, which reads
	// nothing the model writes: on a large one they are made on a
	// goroutine of their own while the model parses the diagram and names
	// its nodes (issue 16).
	var evidenceDone chan struct{}
	if len(d.Text) >= evidenceApart {
		evidenceDone = make(chan struct{})
		go func() {
			defer close(evidenceDone)
			a.evidence, a.prose, a.evidenceBuf = evidenceText(d, holders, a.questions)
		}()
	}
	m := c.ArchOf(d)
	a.names = &m.Names
	a.services, a.serviceSection = m.Services()
	a.graph, a.flowcharts = m.Graph()
	a.names.UseGraph(a.graphOK())
	a.matrix, a.matrixTables = m.Matrix()
	a.ownership, a.ownerTables = m.Ownership()
	a.libraries, a.libSection = m.Libraries()
	if evidenceDone != nil {
		<-evidenceDone
	} else {
		a.evidence, a.prose, a.evidenceBuf = evidenceText(d, holders, a.questions)
	}
	c.arts = a
	return a
}

// evidenceApart is the size of a tech spec from which its evidence texts
// are made beside the model (artifacts). Tests lower it.
var evidenceApart = 1 << 20

// fork returns a copy of a for a rule that runs on a goroutine of its own
// beside the others (Analyzer.Apart): the parsed artifacts and texts are
// shared, as nothing writes them after artifacts; what the rules memoise
// as they go (the indexes, the memos, the name matching) starts afresh,
// so neither copy writes what the other reads.
func (a *analysis) fork() *analysis {
	f := &analysis{
		doc: a.doc, tmpl: a.tmpl, match: a.match,
		services: a.services, serviceSection: a.serviceSection,
		graph: a.graph, flowcharts: a.flowcharts,
		matrix: a.matrix, matrixTables: a.matrixTables,
		ownership: a.ownership, ownerTables: a.ownerTables,
		libraries: a.libraries, libSection: a.libSection,
		evidence: a.evidence, prose: a.prose,
		names:     a.names.Fork(),
		questions: a.questions,
	}
	return f
}

// evidenceText blanks what does not count as a statement of the author.
// Both texts live in one buffer from evidenceBuffers, which the caller
// gives back (release) when nothing reads them any more.
func evidenceText(d *spec.Document, holders []Placeholder, questions []question) (evidence, prose string, buf *[]byte) {
	n := len(d.Text)
	buf = evidenceBuffers.Get().(*[]byte)
	if cap(*buf) < 2*n {
		// Room to grow: typing makes the document longer by a byte per check.
		*buf = make([]byte, 2*n+n/4+4096)
	}
	// ASCII lower case only: every offset must stay an offset of d.Text.
	ev, pr := (*buf)[:n:n], (*buf)[n:2*n:2*n]
	lowerASCIIInto(ev, d.Text)
	blank := func(b []byte, s spec.Span) {
		for i := max(s.Start, 0); i < min(s.End, len(b)); i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, p := range holders {
		blank(ev, p.Span)
	}
	for _, t := range d.Tasks {
		if !t.Checked {
			blank(ev, t.Span)
		}
	}
	blank(ev, d.FrontMatterSpan)
	// The prose is the evidence with more blanked.
	copy(pr, ev)
	for _, c := range d.Code {
		blank(pr, c.Span)
	}
	if oq := openQuestionsSection(d); oq != nil {
		blank(pr, oq.Span)
	}
	for _, q := range questions {
		blank(pr, q.line)
	}
	if n == 0 {
		return "", "", buf
	}
	// Neither half is written again until the buffer is given back.
	return unsafe.String(&ev[0], n), unsafe.String(&pr[0], n), buf
}

// evidenceBuffers are the buffers of the evidence texts: two copies of
// the tech spec per check, which as new large objects cost two fifths of
// the analysis of a 2,000-line document (allocation, and the collections
// they bring on). A buffer is given back when the check that used it
// ends; the rules copy what they keep of the texts (messages, normalised
// text) and the term memo keeps offsets only.
var evidenceBuffers = sync.Pool{New: func() any { return new([]byte) }}

// release gives the analysis's evidence buffer back; its texts must not
// be read afterwards.
func (a *analysis) release() {
	if a == nil || a.evidenceBuf == nil {
		return
	}
	a.evidence, a.prose = "", ""
	if poisonReleased {
		// Tests: whatever still points into the texts reads as garbage.
		b := (*a.evidenceBuf)[:cap(*a.evidenceBuf)]
		for i := range b {
			b[i] = 0xff
		}
	}
	if cap(*a.evidenceBuf) <= maxPooledEvidence {
		evidenceBuffers.Put(a.evidenceBuf)
	}
	a.evidenceBuf = nil
}

// poisonReleased overwrites a released buffer; the package's tests set it
// (poison_test.go), so a finding or memo entry that kept a substring of the
// evidence fails every test that reads it, not only the one written for it.
var poisonReleased bool

// maxPooledEvidence bounds the buffers kept: a 10 MB document's would
// stay in memory for nothing.
const maxPooledEvidence = 4 << 20

// lowerASCIIInto writes src to dst (as long) in ASCII lower case, eight
// bytes at a time: a byte is upper case when it is ASCII, at least 'A' and
// at most 'Z', and each test is an addition into the byte's top bit (no
// carry crosses bytes: the top bits are cleared first). Byte by byte,
// through the table or a branch, it was most of evidenceText's time.
func lowerASCIIInto(dst, src []byte) {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(src); i += 8 {
		w := binary.LittleEndian.Uint64(src[i:])
		low := w &^ tops
		geA := low + ones*(0x80-'A') // top bit: the low 7 bits >= 'A'
		gtZ := low + ones*(0x7f-'Z') // top bit: the low 7 bits > 'Z'
		upper := (geA &^ gtZ) &^ w & tops
		binary.LittleEndian.PutUint64(dst[i:], w|upper>>2)
	}
	for ; i < len(src); i++ {
		dst[i] = asciiLower[src[i]]
	}
}

// asciiLower maps a byte to its ASCII lower case.
var asciiLower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// templateGap describes a template section the document lacks (required,
// or suggested by the built-in template),
// as section-missing would report it: the section, where it belongs and
// the heading the insert point is anchored to.
type templateGap struct {
	ts     *spec.TemplateSection
	at     int
	anchor *spec.Section
}

// gap returns the gap for the template section that holds the artifact
// kind (see artifactKind), or nil when the template has no such required
// section, the document has it, or its parent is missing too
// (section-missing reports the parent then).
func (a *analysis) gap(kind string) *templateGap {
	if a.tmpl == nil || a.match == nil {
		return nil
	}
	var ts *spec.TemplateSection
	for _, s := range a.tmpl.Sections {
		if s.Level > 1 && !s.Variable && artifactKind(s.Key) == kind {
			ts = s
			break
		}
	}
	// A team template's optional section is not asked for; a section the
	// built-in template suggests is where the artifact belongs.
	if ts == nil || (ts.Optional && !ts.Suggested) || len(a.match.Found[ts]) > 0 {
		return nil
	}
	if ts.Parent != nil && ts.Parent.Level > 1 && len(a.match.Found[ts.Parent]) == 0 {
		return nil
	}
	at, anchor := InsertPoint(a.doc, a.tmpl, a.match, ts)
	return &templateGap{ts: ts, at: at, anchor: anchor}
}

// Artifact kinds, and the rule that reports each one's absence more
// specifically than section-missing.
const (
	artGraph       = "graph"
	artMatrix      = "matrix"
	artOwnership   = "ownership"
	artLibraries   = "libraries"
	artConsistency = "consistency"
	artFailure     = "failure"
	artQuestions   = "questions"
	artChecklist   = "checklist"
)

var artifactCodes = map[string]*rules.Rule{
	artGraph: rules.GraphMissing, artMatrix: rules.MatrixMissing, artOwnership: rules.OwnershipMissing, artLibraries: rules.LibrariesMissing,
	artConsistency: rules.AnalysisMissing, artFailure: rules.AnalysisMissing, artQuestions: rules.OpenQuestionsMissing, artChecklist: rules.ChecklistIncomplete,
}

// artifactKind tells which artifact a (template) section holds from its
// normalised title, so that a team's own outline ("Failure Modes",
// "Dependencies Graph") is understood as well as the default one.
func artifactKind(key string) string {
	switch {
	case isGraphHeading(key):
		return artGraph
	case mentions(key, []string{"communication matrix", "interaction matrix"}):
		return artMatrix
	case mentions(key, []string{"data ownership"}):
		return artOwnership
	case mentions(key, []string{"libraries", "library assessment", "library selection"}):
		return artLibraries
	case mentions(key, []string{"consistency"}):
		return artConsistency
	case mentions(key, []string{"failure", "failures", "failure modes"}):
		return artFailure
	case key == "open questions" || key == "questions" || key == "open issues" || key == "unresolved questions":
		return artQuestions
	case mentions(key, []string{"production checklist", "production readiness checklist"}):
		return artChecklist
	}
	return ""
}

// artifactCovers reports whether an artifact rule reports the absence of
// template section ts in d, so that section-missing stays quiet about it:
// the rule is enabled at warning or above (so the gap still fails a gate)
// and the artifact is indeed absent. A rule at info or hint leaves the
// report to section-missing, and then stays quiet itself.
func (c *Context) artifactCovers(d *spec.Document, ts *spec.TemplateSection) bool {
	kind := artifactKind(ts.Key)
	code := artifactCodes[kind]
	if code == nil || d != c.Feature.TechSpec || !c.failsGate(code) {
		return false
	}
	a := c.artifacts()
	if a == nil {
		return false
	}
	return a.absent(kind)
}

// absent reports whether an artifact is missing from the document.
func (a *analysis) absent(kind string) bool {
	switch kind {
	case artGraph:
		return a.graph == nil
	case artMatrix:
		return len(a.matrixTables) == 0
	case artOwnership:
		return len(a.ownerTables) == 0
	case artLibraries:
		return a.libSection == nil && len(a.libraries) == 0
	case artConsistency:
		return consistencySection(a.doc) == nil && consistencyTable(a.doc) == nil
	case artFailure:
		return failureSection(a.doc) == nil && failureTable(a.doc) == nil
	case artQuestions:
		return !openQuestionsStated(a.doc)
	case artChecklist:
		return arch.ChecklistSection(a.doc) == nil
	}
	return false
}

// reportAbsent reports an absent artifact. When the template has a
// section for it that the document lacks, the finding sits where
// section-missing would, with Data{Template, Insert} so that the quick fix
// inserts the section; when section-missing reports that gap itself (the
// artifact rule is below warning), it stays quiet. Otherwise the finding
// sits on the section that should hold the artifact, or on the title.
func (c *Context) reportAbsent(a *analysis, code *rules.Rule, kind string, holder *spec.Section, format string, args ...any) {
	d := a.doc
	if g := a.gap(kind); g != nil {
		// section-missing reports a required section's gap when the artifact
		// rule would not fail a gate; a suggested section's gap is only ever
		// the artifact rule's.
		if !g.ts.Optional && !c.failsGate(code) && c.Enabled(rules.SectionMissing) {
			return
		}
		span := firstLine(d)
		if g.anchor != nil {
			span = headSpan(d, g.anchor)
		}
		c.Report(code, d, span, Data{Template: g.ts, Insert: g.at}, format, args...)
		return
	}
	data := Data{}
	span := titleSpan(d)
	if holder != nil {
		span = headSpan(d, holder)
		data.Section = holder
		data.Insert = holder.Own.End
		if a.match != nil {
			data.Template = a.match.Of[holder]
		}
	}
	c.Report(code, d, span, data, format, args...)
}

// titleSpan returns the document's title line, else its first line.
func titleSpan(d *spec.Document) spec.Span {
	if t := d.Title(); t != nil {
		return headSpan(d, t)
	}
	return firstLine(d)
}

func consistencySection(d *spec.Document) *spec.Section {
	return findSectionContaining(d, "consistency")
}

func consistencyTable(d *spec.Document) *spec.Table {
	for _, t := range d.Tables {
		if t.Column("consistency", "consistency model", "consistency level") >= 0 {
			return t
		}
	}
	return nil
}

func failureSection(d *spec.Document) *spec.Section {
	return findSectionContaining(d, "failure", "failures", "failure modes", "failure impact")
}

func failureTable(d *spec.Document) *spec.Table {
	for _, t := range d.Tables {
		if t.Column("failure", "failure mode", "failure scenario", "if down", "impact when down") >= 0 {
			return t
		}
	}
	return nil
}

// openQuestionLabel is a line that states the open questions without a
// heading of their own: "Open questions: none remain ...", "**Open
// Questions:** ...".
var openQuestionLabel = lazyregexp.New(`(?im)^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__|\*|_)?open (?:questions|issues)(?:\*\*|__|\*|_)?[ \t]*(?::|\*\*:|—|–|-)`)

// openQuestionsStated reports whether the document states its open
// questions: in a section, or on a labelled line anywhere outside code.
func openQuestionsStated(d *spec.Document) bool {
	if openQuestionsSection(d) != nil {
		return true
	}
	if !mayLabelOpenQuestions(d.Text) {
		return false // the regexp over a 100,000-line document costs more
	}
	for _, loc := range openQuestionLabel.FindAllIndex(d.Text, -1) {
		if !d.InBlock(loc[0]) {
			return true
		}
	}
	return false
}

// mayLabelOpenQuestions reports whether text may hold a match of
// openQuestionLabel: it has "open questions" or "open issues" in ASCII
// case folding, or a long s (U+017F), which the regexp's case folding
// also takes for "s".
func mayLabelOpenQuestions(text []byte) bool {
	if bytes.Contains(text, []byte("\u017f")) {
		return true
	}
	for i := 0; i+len("open issues") <= len(text); i++ {
		if text[i]|0x20 != 'o' {
			continue
		}
		if hasPrefixFold(text[i:], "open questions") || hasPrefixFold(text[i:], "open issues") {
			return true
		}
	}
	return false
}

// hasPrefixFold is bytes.HasPrefix under ASCII case folding of a lower-case
// prefix.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerByte(b[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func openQuestionsSection(d *spec.Document) *spec.Section {
	return findSection(d, "open questions", "questions", "open issues", "unresolved questions")
}

// headSpan is a heading's line without a byte order mark before it.
func headSpan(d *spec.Document, s *spec.Section) spec.Span {
	sp := s.Heading
	if d.BOM && sp.Start < 3 {
		sp.Start = min(3, sp.End)
	}
	return sp
}
