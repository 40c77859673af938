package diagnostics

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"

	"github.com/specls/specls/config"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// PRD rules: a PRD states what the product needs, numbered and measurable,
// and leaves the technology to the tech spec.

func checkPRD(c *Context) {
	d := c.Feature.PRD
	if d == nil {
		return
	}
	checkLeaks(c, d)
	checkNumbered(c, d)
	checkMetrics(c, d)
	checkRisks(c, d)
}

// leakWords are implementation technologies named in any case: names that
// mean nothing else. leakPairs are the two-word ones, by their first word.
var leakWords = map[string]bool{}

var leakPairs = arch.ImplementationPairs

func init() {
	for _, w := range arch.ImplementationWords {
		leakWords[w] = true
	}
}

// leakFirst and leakLast say, by a word's first and by its last byte
// (lower-cased), which lengths of the words of leakWords and leakPairs
// start or end with it (bit n for length n): most words of a PRD fail
// them, and are neither lower-cased nor looked up in the maps.
var leakFirst, leakLast = func() (first, last [256]uint32) {
	add := func(w string) {
		first[w[0]] |= 1 << len(w)
		last[w[len(w)-1]] |= 1 << len(w)
	}
	for _, w := range arch.ImplementationWords {
		add(w)
	}
	for w, second := range leakPairs {
		add(w)
		add(second)
	}
	return first, last
}()

// findLeakWords returns the spans of leakWords and leakPairs in text, on
// ASCII word boundaries (letters, digits and "_" make words), and the
// offsets of the words that start with one of caseLiterals: the one walk
// over the PRD's words feeds both leak scans.
func findLeakWords(text []byte) (spans []spec.Span, caseAt []int) {
	// A word is found first, then lower-cased into buf and looked up
	// without allocating (m[string(b)] does not copy) only when leakFirst
	// and leakLast admit it. No leak word is longer than buf.
	var buf [16]byte
	word := func(i int) (end, n int) {
		j := i
		for j < len(text) && leakWordByte[text[j]] {
			j++
		}
		if n = j - i; n > len(buf) || leakFirst[lowerByte(text[i])]&leakLast[lowerByte(text[j-1])]&(1<<n) == 0 {
			return j, 0 // looks up "": no leak word, no pair
		}
		for k := range n {
			buf[k] = lowerByte(text[i+k])
		}
		return j, n
	}
	caseWord := func(i int) {
		for _, l := range caseFirst[text[i]] {
			if bytes.HasPrefix(text[i:], l) {
				caseAt = append(caseAt, i)
				return
			}
		}
	}
	for i := 0; i < len(text); {
		if !leakWordByte[text[i]] {
			i++
			continue
		}
		caseWord(i)
		end, n := word(i)
		if n == 0 {
			i = end
			continue
		}
		if leakWords[string(buf[:n])] {
			spans = append(spans, spec.Span{Start: i, End: end})
		} else if second := leakPairs[string(buf[:n])]; second != "" && end+1 < len(text) && text[end] == ' ' {
			if e2, n2 := word(end + 1); e2 > end+1 && string(buf[:n2]) == second {
				caseWord(end + 1) // the pair's second word starts a word too
				spans = append(spans, spec.Span{Start: i, End: e2})
				end = e2
			}
		}
		i = end
	}
	return spans, caseAt
}

// leakWordByte marks the bytes of words: ASCII letters, digits and "_".
var leakWordByte = func() (t [256]bool) {
	for b := range 256 {
		t[b] = isWordByte(byte(b)) || b >= 'A' && b <= 'Z'
	}
	return t
}()

// caseLiterals are strings one of which starts a word in every leakCaseRe
// match: its alternatives start with one ("NoSQL" holds "SQL" inside a
// word), and a status text follows a space.
var caseLiterals = [][]byte{[]byte("HTTP"), []byte("REST"), []byte("NoSQL"), []byte("SQL"), []byte("status code"), []byte("Not Found"), []byte("Unauthorized"), []byte("Forbidden"), []byte("Bad Request"), []byte("Conflict"), []byte("Too Many Requests"), []byte("Internal Server Error"), []byte("Flask"), []byte("React"), []byte("Vue"), []byte("Angular"), []byte("JWT"), []byte("S3")}

// caseFirst indexes caseLiterals by their first byte.
var caseFirst = func() (t [256][][]byte) {
	for _, l := range caseLiterals {
		t[l[0]] = append(t[l[0]], l)
	}
	return t
}()

// leakCaseRe finds names that are also ordinary words, case-sensitively:
// "REST" (not "the rest"), "Flask", "React", status codes. Data formats
// (JSON, CSV), HTTPS and sign-in standards can be product requirements and
// are not listed.
var leakCaseRe = lazyregexp.New(`\b(HTTPS? [1-5]\d\d|status code [1-5]\d\d|[45]\d\d (?:Not Found|Unauthorized|Forbidden|Bad Request|Conflict|Too Many Requests|Internal Server Error)|RESTful|REST|HTTP|NoSQL|SQL|Flask|React|Vue|Angular|JWT|S3)\b`)

// prdBuffers hold the copies checkLeaks blanks: one per PRD checked was
// the largest allocation of the PRD rules. Buffers above maxPooledPRD are
// left to the collector.
var prdBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledPRD = 1 << 20

// blankPRD blanks, in b (a copy of d.Text), the PRD's code blocks, inline
// code, link destinations, front matter and Appendix (same offsets), and
// returns b.
func blankPRD(b []byte, d *spec.Document) []byte {
	blank := func(s spec.Span) {
		for i := max(s.Start, 0); i < min(s.End, len(b)); i++ {
			if b[i] != '\n' && b[i] != '\r' {
				b[i] = ' '
			}
		}
	}
	blank(d.FrontMatterSpan)
	for _, c := range d.Code {
		blank(c.Span)
	}
	if s := findSection(d, "appendix", "references"); s != nil {
		blank(s.Span)
	}
	// Sections where naming a technology is the point: the constraints a
	// PRD template asks for ("non-negotiable technology requirements"),
	// what is out of scope, and decision records.
	for _, h := range d.Headings {
		if leakFreeSection(h.MatchKey) {
			blank(h.Span)
		}
	}
	for _, l := range d.Links {
		blank(l.Span)
	}
	for _, f := range fileRefs(b) {
		blank(spec.Span{Start: f[0], End: f[1]})
	}
	blankInline(b)
	return b
}

// blankInline blanks inline code (backticks included) and link
// destinations ("](...)") in b, a line at a time.
func blankInline(b []byte) {
	inCode := false
	for i := 0; i < len(b); i++ {
		if !inCode {
			// Outside code only a backtick or "](" matters: jump to the
			// first backtick or ']' (most lines hold neither).
			j := bytes.IndexByte(b[i:], '`')
			if j < 0 {
				j = len(b) - i
			}
			if k := bytes.IndexByte(b[i:i+j], ']'); k >= 0 {
				j = k
			}
			if i += j; i >= len(b) {
				return
			}
		}
		switch {
		case b[i] == '`':
			inCode = !inCode
			b[i] = ' '
		case b[i] == '\n':
			inCode = false
		case inCode:
			b[i] = ' '
		case b[i] == ']' && i+1 < len(b) && b[i+1] == '(':
			j := i + 1
			for j < len(b) && b[j] != ')' && b[j] != '\n' {
				b[j] = ' '
				j++
			}
			i = j
		}
	}
}

// fileRefRe matches file and path references: "docker-compose.yml",
// "apps/web/lib/redis.ts", "./schema.gql".
var fileRefRe = lazyregexp.New(`(?:\.{0,2}/)?(?:[\w.@-]+/)*[\w@-]+(?:[.-][\w-]+)*\.(?:md|ya?ml|json|go|mod|tsx?|jsx?|mjs|py|cs|csproj|sql|gql|graphql|proto|toml|env|sh|conf|ini|tf|lock|prisma)\b|(?:\.{0,2}/)?[\w.@-]+(?:/[\w.@\[\]-]+){2,}`)

// leakFreeSection reports whether a PRD section may name technologies:
// where a mandated stack, what is out of scope or a decision is stated,
// and where the problem and today's situation are described (the overview
// of a PRD that replaces "updates by hand with SQL").
func leakFreeSection(key string) bool {
	for _, w := range []string{"overview", "background", "problem", "motivation", "context", "introduction", "visao geral", "visão geral", "constraint", "non goals", "out of scope", "fora de escopo", "nao metas", "não metas", "architecture decision", "decision record", "adr", "dependenc", "assumption", "integration"} {
		if strings.Contains(key, w) {
			return true
		}
	}
	return false
}

func checkLeaks(c *Context, d *spec.Document) {
	if !c.Enabled(rules.PRDImplementationLeak) {
		return
	}
	buf := prdBuffers.Get().(*[]byte)
	text := blankPRD(append((*buf)[:0], d.Text...), d)
	defer func() {
		if cap(text) <= maxPooledPRD {
			*buf = text[:0]
			prdBuffers.Put(buf)
		}
	}()
	hits := leakHits(text, c.Config.Options.ImplementationTerms)
	// A PRD about a technology ("React Portal Slots") names it by
	// necessity: a term of the title is no leak.
	title := ""
	if t := d.Title(); t != nil {
		title = strings.ToLower(t.Title)
	}
	last := -1
	for _, h := range hits {
		if h.s < last {
			continue // overlapping matches of two lists
		}
		last = h.e
		term := string(d.Text[h.s:h.e])
		if title != "" && strings.Contains(title, strings.ToLower(term)) {
			continue
		}
		c.Report(rules.PRDImplementationLeak, d, spec.Span{Start: h.s, End: h.e}, Data{Target: term},
			"the PRD names %q, an implementation choice; say what the product needs and leave the technology to the tech spec", term)
	}
}

// appendTermHits appends where term occurs in text as a whole word, case
// folded, each occurrence searched for after the last (see indexFold).
func appendTermHits(hits []leakHit, text []byte, term string) []leakHit {
	if term == "" {
		return hits
	}
	for from := 0; ; {
		i, n := indexFold(text, from, term)
		if i < 0 {
			return hits
		}
		if wordAt(text, i, i+n) {
			hits = append(hits, leakHit{i, i + n})
		}
		from = i + n
	}
}

// leakHit is the span of one name checkLeaks found.
type leakHit struct{ s, e int }

// leakHits returns the names of technologies in text (a PRD's blanked
// text, see blankPRD): leak words and pairs, leakCaseRe's matches and the
// configured terms (custom), by start.
func leakHits(text []byte, custom []string) []leakHit {
	var hits []leakHit
	words, caseAt := findLeakWords(text)
	for _, m := range words {
		hits = append(hits, leakHit{m.Start, m.End})
	}
	// leakCaseRe runs only on the lines where a word starts with one of its
	// literals: the regexp engine is slow on long alternations, and most
	// lines hold none.
	for k := 0; k < len(caseAt); {
		ls := bytes.LastIndexByte(text[:caseAt[k]], '\n') + 1
		le := bytes.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		for _, m := range leakCaseRe.FindAllIndex(text[ls:le], -1) {
			hits = append(hits, leakHit{ls + m[0], ls + m[1]})
		}
		for k < len(caseAt) && caseAt[k] < le {
			k++ // the other literals of the line
		}
	}
	for _, t := range custom {
		hits = appendTermHits(hits, text, strings.TrimSpace(t))
	}
	// By start; the lists in the order above where two start together.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].s < hits[j-1].s; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	return hits
}

// requirementSections are the PRD sections whose items are requirements.
func requirementSection(s *spec.Section) (bool, string) {
	for ; s != nil && s.Level > 1; s = s.Parent {
		n := s.MatchKey
		switch {
		case excludedKey(n):
			return false, ""
		case strings.Contains(n, "non functional") || strings.Contains(n, "nonfunctional"):
			return true, "NFR"
		case strings.Contains(n, "core features") || strings.Contains(n, "functional requirements") || n == "requirements" || n == "features" || strings.HasSuffix(n, " requirements"):
			return true, "FR"
		}
	}
	return false, ""
}

// excludedWords mark a section that lists what the feature leaves out
// ("Non-Goals", "Out of Scope", "Non-Features (intentionally excluded)",
// MoSCoW's "Won't Have"): its bullets are not requirements, even under
// "Core Features". They are matched in a heading's match key, where the
// synonym table has already made "Fora de Escopo" and "Não Metas" "non
// goals" and a parenthesised qualifier is gone.
var excludedWords = [...]string{"non goals", "out of scope", "non features", "not in scope", "exclusions", "intentionally excluded", "explicitly excluded", "won t have", "wont have", "nao metas"}

// excludedKey reports whether a section's match key names what is left out.
func excludedKey(n string) bool {
	for _, w := range excludedWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// groupLabel reports whether item i of d only groups the numbered
// requirements nested under it: its line is a short bold label ("-
// **Booking**", "- **Slot handling:**"), and an ordered item or one with an
// ID follows at a deeper level before the next top-level item. A bold label
// over plain bullets is still reported: nothing below it is numbered.
func groupLabel(d *spec.Document, i int, defined map[int]bool) bool {
	line := strings.TrimSpace(d.Slice(d.Items[i].Span))
	line = strings.TrimSpace(strings.TrimLeft(line, "-*+")) // the marker, then the label
	if len(line) < 5 || line[:2] != "**" && line[:2] != "__" {
		return false
	}
	end := strings.Index(line[2:], line[:2])
	if end < 0 {
		return false
	}
	if rest := strings.TrimSpace(line[2+end+2:]); rest != "" && rest != ":" {
		return false // more than a label: "**Booking**: patients book a slot"
	}
	label := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line[2:2+end]), ":"))
	if label == "" || strings.HasSuffix(label, ".") || len(strings.Fields(label)) > 6 {
		return false // a sentence in bold is a requirement
	}
	for _, next := range d.Items[i+1:] {
		if next.Depth == 0 {
			break
		}
		if next.Ordered || defined[next.Span.Start] {
			return true
		}
	}
	return false
}

func checkNumbered(c *Context, d *spec.Document) {
	if !c.Enabled(rules.RequirementsUnnumbered) {
		return
	}
	_, reqs := d.RequirementsWith(c.Config.Requirements.IDPrefixes())
	defined := make(map[int]bool, len(reqs))
	// The PRD's own scheme: the prefix its IDs use most, and the next
	// number of each prefix, so that the advice cites no invented scheme.
	next := map[string]int{}
	uses := map[string]int{}
	dashed := map[string]bool{"FR": true, "NFR": true} // how the PRD writes each prefix
	owner := map[*spec.Section]bool{}                  // sections whose heading defines an ID
	for _, r := range reqs {
		defined[r.Span.Start] = true
		p, n, _ := strings.Cut(r.Key, "-")
		if i := strings.LastIndex(n, "-"); i >= 0 {
			n = n[i+1:]
		}
		next[p] = max(next[p], leadingInt(n))
		if !r.Implicit {
			uses[p]++
			dashed[p] = len(r.ID) > len(p) && r.ID[len(p)] == '-'
		}
		if r.Section != nil && r.Span == r.Section.Heading {
			owner[r.Section] = true
		}
	}
	scheme := ""
	for p, n := range uses {
		if n > uses[scheme] || n == uses[scheme] && p < scheme {
			scheme = p
		}
	}
	for i, it := range d.Items {
		if it.Depth != 0 || it.Ordered || defined[it.Span.Start] || d.InCode(it.Span.Start) {
			continue
		}
		ok, prefix := requirementSection(it.Section)
		if !ok || strings.TrimSpace(it.Text) == "" || ownedBy(it.Section, owner) {
			continue // a bullet of "### F1: ..." is the body of F1
		}
		if isTaskLine(d, it) || attributeLabel.MatchString(it.Text) || groupLabel(d, i, defined) {
			continue
		}
		if scheme != "" {
			prefix = scheme
		}
		next[prefix]++
		sep := ""
		if dashed[prefix] {
			sep = "-"
		}
		want := fmt.Sprintf("%s%s%d", prefix, sep, next[prefix])
		c.Report(rules.RequirementsUnnumbered, d, trimmedLine(d.Text, it.Span.Start), Data{Want: want, Target: it.Text},
			"requirement %q has no ID; give it one (e.g. \"%s: ...\") so the tech spec can trace it", truncate(it.Text, 40), want)
	}
}

// leadingInt returns what fmt.Sscanf(s, "%d", &k) leaves in k: the
// integer s starts with after spaces (a line break among them fails), or
// 0. Sscanf allocated for each requirement of a PRD.
func leadingInt(s string) int {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\n' || !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	j := i
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if k == j {
		return 0
	}
	v, err := strconv.ParseInt(s[i:k], 10, 64)
	if err != nil {
		return 0
	}
	return int(v)
}

// attributeLabel is a bullet that describes a requirement rather than
// being one: "Behavior: ...", "**Acceptance criteria:** ...".
var attributeLabel = lazyregexp.New(`(?i)^\W*(behaviou?r|requirements?|description|details?|acceptance criteria|rationale|notes?|priority|status|owner|inputs?|outputs?|constraints?|dependencies|scope|success criteria|edge cases?|example|user story)\W*:`)

// ownedBy reports whether s or a section above it is headed by a
// requirement ID.
func ownedBy(s *spec.Section, owner map[*spec.Section]bool) bool {
	for ; s != nil; s = s.Parent {
		if owner[s] {
			return true
		}
	}
	return false
}

func isTaskLine(d *spec.Document, it *spec.ListItem) bool {
	for _, t := range d.Tasks {
		if t.Span.Start == it.Span.Start {
			return true
		}
	}
	return false
}

// numberWords finds a target: a number, a number word, or a pass/fail
// target ("no increase in page load time", "schema unchanged", "the suite
// passes"), which is measurable too.
var numberWords = lazyregexp.New(`(?i)[0-9]|\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|twice|double|half|single|all|none|every|todos|todas|nenhum|nenhuma|unchanged|inalterad[oa]|pass|passes|passing|passar|passam|empty|no (?:increase|regression|new|drop|loss|change)s?|without (?:any )?(?:\w+ )?(?:increase|regression|change|error)s?)\b|%|(?:^|: )(?:\*\*)?(?i:no|zero) `)

func checkMetrics(c *Context, d *spec.Document) {
	if !c.Enabled(rules.MetricUnmeasurable) {
		return
	}
	sec := findSection(d, "success metrics", "metrics", "kpis", "success criteria", "key results")
	if sec == nil {
		return
	}
	in := func(off int) bool { return sec.Span.Start <= off && off < sec.Span.End }
	for _, t := range d.Tables {
		if !in(t.Span.Start) {
			continue
		}
		target := t.Column("target", "goal", "threshold", "value", "success criteria", "target value")
		name := t.Column("metric", "kpi", "measure", "name")
		for _, r := range t.Rows {
			m := cellAt(r, max(name, 0))
			if target >= 0 {
				tc := cellAt(r, target)
				if !numberWords.MatchString(tc.Text) {
					span := tc.Span
					if span.Start == span.End {
						span = rowSpan(d, r)
					}
					c.Report(rules.MetricUnmeasurable, d, span, Data{Target: m.Text},
						"success metric %q has no measurable target; give a number with its unit and a date (e.g. \"p95 under 300 ms by launch\")", m.Text)
				}
				continue
			}
			var all []string
			for _, cell := range r {
				all = append(all, cell.Text)
			}
			if !numberWords.MatchString(strings.Join(all, " ")) {
				c.Report(rules.MetricUnmeasurable, d, rowSpan(d, r), Data{Target: m.Text},
					"success metric %q has no number, unit or target; state what value counts as success", m.Text)
			}
		}
	}
	for _, it := range d.Items {
		if it.Depth != 0 || !in(it.Span.Start) || d.InCode(it.Span.Start) {
			continue
		}
		if !numberWords.MatchString(it.Text) {
			c.Report(rules.MetricUnmeasurable, d, trimmedLine(d.Text, it.Span.Start), Data{Target: it.Text},
				"success metric %q has no number, unit or target; state what value counts as success", truncate(it.Text, 60))
		}
	}
}

var noMitigation = map[string]bool{"": true, "-": true, "—": true, "–": true, "tbd": true, "todo": true, "n/a": true, "na": true, "none": true, "?": true, "tba": true}

func checkRisks(c *Context, d *spec.Document) {
	if !c.Enabled(rules.RiskWithoutMitigation) {
		return
	}
	sec := findSection(d, "risks and mitigations", "risks", "risk assessment", "risks and mitigation")
	if sec == nil {
		return
	}
	in := func(off int) bool { return sec.Span.Start <= off && off < sec.Span.End }
	for _, t := range d.Tables {
		if !in(t.Span.Start) {
			continue
		}
		risk := max(t.Column("risk", "risks", "threat", "concern"), 0)
		mit := mitigationColumn(t)
		for _, r := range t.Rows {
			rc := cellAt(r, risk)
			if rc.Text == "" {
				continue
			}
			if mit >= 0 && !noMitigation[strings.ToLower(strings.Trim(cellAt(r, mit).Text, " *_"))] {
				continue
			}
			c.Report(rules.RiskWithoutMitigation, d, rc.Span, Data{Target: rc.Text},
				"risk %q has no mitigation; say how it is prevented, detected or contained", truncate(rc.Text, 60))
		}
	}
	checkRiskParagraphs(c, d, sec)
	var top []*spec.ListItem
	for _, it := range d.Items {
		if it.Depth == 0 && in(it.Span.Start) && !d.InCode(it.Span.Start) {
			top = append(top, it)
		}
	}
	for i, it := range top {
		end := sec.Span.End
		if s := d.SectionAt(it.Span.Start); s != nil {
			end = min(end, s.Span.End)
		}
		if i+1 < len(top) {
			end = min(end, top[i+1].Span.Start)
		}
		label, labelEnd := riskLabel(d, sec, it.Span.Start)
		if label != "" && strings.Contains(label, "mitigat") {
			continue // a bullet under "**Mitigation:**" is a mitigation
		}
		body := itemBody(d, it, end)
		if mitigated(body) || colonPair(it.Text) || nestedItem(d, it, it.Span.Start+len(body)) {
			continue
		}
		if label != "" && mitigationBlockAfter(d, labelEnd, d.SectionAt(it.Span.Start)) {
			continue // "**Potential Challenges:**" bullets, then "**Mitigation Approaches:**" bullets
		}
		c.Report(rules.RiskWithoutMitigation, d, trimmedLine(d.Text, it.Span.Start), Data{Target: it.Text},
			"risk %q has no mitigation; add one (\"Mitigation: ...\" or a nested item)", truncate(it.Text, 60))
	}
}

// nestedItem reports whether a nested item with content of its own lies
// in the risk item (between it and end): the mitigation, as the rule's
// advice suggests.
func nestedItem(d *spec.Document, it *spec.ListItem, end int) bool {
	for _, n := range d.Items {
		if n.Depth > it.Depth && it.Span.End <= n.Span.Start && n.Span.Start < end && substantive(n.Text) {
			return true
		}
	}
	return false
}

// mitigationColumn finds a table's mitigation column: any header that
// speaks of mitigation, a response, a contingency or a plan.
func mitigationColumn(t *spec.Table) int {
	for i, h := range t.Header {
		n := normalize(h.Text)
		if strings.Contains(n, "mitigat") || strings.Contains(n, "contingenc") || n == "response" || n == "plan" || strings.Contains(n, "mitigação") || strings.Contains(n, "mitigacao") {
			return i
		}
	}
	return -1
}

// mitigated reports whether a risk item's text (continuation lines and
// nested items included) states a mitigation.
func mitigated(body string) bool {
	n := strings.ToLower(body)
	return strings.Contains(n, "mitigat") || strings.Contains(n, "mitigação") || strings.Contains(body, "→") || strings.Contains(body, "->") || strings.Contains(n, "contingency")
}

// colonPair recognises "Risk: mitigation" items: a short risk before a
// colon and a mitigation of several words after it. A "Risk:" label is
// not a pair.
func colonPair(text string) bool {
	before, after, ok := strings.Cut(text, ":")
	if b, a, dash := cutDash(text); dash && (!ok || len(b) < len(before)) {
		before, after, ok = b, a, true // "Risk — mitigation"
	}
	if !ok {
		return false
	}
	b := normalize(before)
	if b == "" || b == "risk" || b == "risks" || len(strings.Fields(b)) > 12 || strings.Contains(before, ". ") || hasMarker(before) {
		return false
	}
	return len(strings.Fields(after)) >= 3 && substantive(after)
}

// riskParaRe is a paragraph that states a risk: "**Risk:** ...".
var riskParaRe = lazyregexp.New(`(?i)^\W*(risk|risco)\b[^:]{0,20}:`)

// checkRiskParagraphs reads "**Risk:** ... **Mitigation:** ..." written
// as paragraphs: a risk line's block (up to the next risk line or
// heading) must state a mitigation.
func checkRiskParagraphs(c *Context, d *spec.Document, sec *spec.Section) {
	var starts []int
	for ls := sec.Heading.End; ls < sec.Span.End; ls = nextLineStart(d.Text, ls) {
		if ls > sec.Heading.End || d.Text[ls] != '#' {
			_, le := lineAt(d.Text, ls)
			t := strings.TrimSpace(string(d.Text[ls:le]))
			if strings.HasPrefix(t, "#") {
				starts = append(starts, -ls) // a heading ends a block
			} else if t != "" && !isListLine(t) && !d.InBlock(ls) && riskParaRe.MatchString(t) {
				starts = append(starts, ls)
			}
		}
	}
	for i, st := range starts {
		if st < 0 {
			continue
		}
		end := sec.Span.End
		if i+1 < len(starts) {
			end = abs(starts[i+1])
		}
		if mitigated(string(d.Text[st:end])) {
			continue
		}
		line := trimmedLine(d.Text, st)
		t := strings.TrimSpace(riskParaRe.ReplaceAllString(strings.Trim(d.Slice(line), " *_"), ""))
		t = strings.Trim(t, " *_")
		c.Report(rules.RiskWithoutMitigation, d, line, Data{Target: t},
			"risk %q has no mitigation; add one (\"Mitigation: ...\" or a nested item)", truncate(t, 60))
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// cutDash cuts text around the first spaced em or en dash.
func cutDash(text string) (string, string, bool) {
	for _, sep := range []string{" — ", " – "} {
		if b, a, ok := strings.Cut(text, sep); ok {
			return b, a, true
		}
	}
	return "", "", false
}

// itemBody returns a list item's whole text: its first line, continuation
// lines and nested items, up to end (the next top-level item or the end of
// its section).
func itemBody(d *spec.Document, it *spec.ListItem, end int) string {
	b := d.Text[it.Span.Start:max(end, it.Span.End)]
	// A blank line followed by unindented text ends the item.
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\n' {
			j := i + 1
			for j < len(b) && b[j] == '\r' {
				j++
			}
			if j < len(b) && b[j] == '\n' {
				k := j + 1
				for k < len(b) && (b[k] == '\n' || b[k] == '\r') {
					k++
				}
				if k < len(b) && b[k] != ' ' && b[k] != '\t' {
					return string(b[:i])
				}
			}
		}
	}
	return string(b)
}

// riskLabel returns the normalised label above off within sec: the last
// non-blank line before the list that holds off which is not a list item
// ("**Mitigation:**", "**Potential Challenges:**"), and where it ends. It
// returns "" when a heading or nothing comes first.
func riskLabel(d *spec.Document, sec *spec.Section, off int) (string, int) {
	ls, _ := lineAt(d.Text, off)
	for ls > sec.Heading.End {
		ps, pe := lineAt(d.Text, ls-1)
		t := strings.TrimSpace(string(d.Text[ps:pe]))
		switch {
		case t == "":
		case strings.HasPrefix(t, "#"):
			return "", 0
		case isListLine(t) || ps < pe && (d.Text[ps] == ' ' || d.Text[ps] == '\t'):
		default:
			if strings.HasSuffix(strings.TrimRight(t, "*_ "), ":") {
				return normalize(t), pe
			}
			return "", 0
		}
		ls = ps
	}
	return "", 0
}

// mitigationBlockAfter reports whether a Mitigation label with list items
// follows from off within s.
func mitigationBlockAfter(d *spec.Document, off int, s *spec.Section) bool {
	if s == nil {
		return false
	}
	for ls := off; ls < s.Span.End; {
		ls = nextLineStart(d.Text, ls)
		if ls >= s.Span.End {
			return false
		}
		_, le := lineAt(d.Text, ls)
		t := strings.TrimSpace(string(d.Text[ls:le]))
		if !isListLine(t) && strings.HasSuffix(strings.TrimRight(t, "*_ "), ":") && strings.Contains(strings.ToLower(t), "mitigat") {
			return true
		}
	}
	return false
}

// lineAt returns the bounds of the line holding off, without its break.
func lineAt(b []byte, off int) (int, int) {
	s := bytes.LastIndexByte(b[:off], '\n') + 1
	e := bytes.IndexByte(b[off:], '\n')
	if e < 0 {
		e = len(b)
	} else {
		e += off
	}
	if e > s && b[e-1] == '\r' {
		e--
	}
	return s, e
}

func nextLineStart(b []byte, off int) int {
	e := bytes.IndexByte(b[off:], '\n')
	if e < 0 {
		return len(b)
	}
	return off + e + 1
}

// checkPRDFailing runs last: it reports on the tech spec when the PRD it
// builds on has errors of its own.
func checkPRDFailing(c *Context) {
	ts, prd := c.Feature.TechSpec, c.Feature.PRD
	if ts == nil || prd == nil || !c.Enabled(rules.PRDFailing) {
		return
	}
	var rel []Related
	first := ""
	n := 0
	for _, f := range c.findings {
		if f.Path != prd.Path || f.Severity < config.Error {
			continue
		}
		n++
		if first == "" {
			first = f.Code
		}
		if len(rel) < 10 {
			rel = append(rel, Related{Path: f.Path, Span: f.Span, Message: f.Code + ": " + f.Message})
		}
	}
	if n == 0 {
		return
	}
	c.ReportRelated(rules.PRDFailing, ts, titleSpan(ts), rel, Data{Target: prd.Path},
		"the PRD this tech spec builds on has %d error(s) of its own (first: %s); fix the PRD first", n, first)
}
