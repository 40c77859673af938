package diagnostics

import (
	"fmt"
	"strings"
	"sync"

	"github.com/specls/specls/internal/cache"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate D: technical questions answered, patterns chosen.

func checkQuestions(c *Context, a *analysis) {
	d := a.doc
	if c.Enabled(rules.QuestionUnanswered) {
		for _, q := range a.questions {
			if q.answered {
				continue
			}
			text := truncate(strings.TrimSpace(d.Slice(q.q)), 80)
			if q.open {
				c.Report(rules.QuestionUnanswered, d, q.q, Data{Target: text},
					"open question %q has no owner or answer; add who answers it and by when, or answer it", text)
			} else {
				c.Report(rules.QuestionUnanswered, d, q.q, Data{Target: text},
					"question %q has no answer; answer it below, or move it to Open Questions with an owner and a date", text)
			}
		}
		// Markers are section-placeholder's (Gate E) unless that rule is off:
		// never report the same span twice.
		if !c.Enabled(rules.SectionPlaceholder) {
			for _, p := range c.Placeholders(d) {
				if p.Template || !markerRe.MatchString(d.Slice(p.Span)) {
					continue
				}
				c.Report(rules.QuestionUnanswered, d, p.Span, Data{Target: d.Slice(p.Span)},
					"%s marks an unanswered question; decide it, or move it to Open Questions with an owner and a date", d.Slice(p.Span))
			}
		}
	}
	checkDecisions(c, a)
	if !openQuestionsStated(d) {
		c.reportAbsent(a, rules.OpenQuestionsMissing, artQuestions, nil,
			"the tech spec has no Open Questions section; add one listing what is undecided, who decides it and by when (\"None\" when nothing is open)")
	}
}

// question is a line of a tech spec that asks something.
type question struct {
	line     spec.Span // the whole line
	q        spec.Span // the question text, through its "?"
	answered bool
	open     bool // in the Open Questions section
}

// questionLines finds the questions of d outside code and tables: lines
// (list items, paragraphs, headings) whose text ends with "?". A question
// is answered by text after the "?" on its line, by a nested item or a
// paragraph, table or code block below it, or, for a heading, by the
// section's content. A TODO/TBD marker is not an answer.
func questionLines(d *spec.Document) []question { return questionLinesIn(d, codeSpans(d)) }

// questionLinesIn is questionLines given d's inline code spans.
func questionLinesIn(d *spec.Document, code spans) []question {
	var out []question
	mp := d.Mapper()
	oq := openQuestionsSection(d)
	n := mp.LineCount()
	for i := 0; i < n; i++ {
		ls, _ := mp.LineSpan(i)
		raw := d.Slice(ls)
		if strings.IndexByte(raw, '?') < 0 {
			continue // questionEnd needs a "?": most lines have none
		}
		if ls.Start < d.FrontMatterSpan.End || d.InBlock(ls.Start) {
			continue
		}
		t := strings.TrimSpace(raw)
		if t == "" || t[0] == '|' || strings.HasPrefix(t, "<!--") {
			continue
		}
		qEnd := questionEnd(raw)
		if qEnd < 0 || code.in(ls.Start+qEnd-1) || inURL(raw, qEnd-1) {
			continue // `pagination[page]?`, https://x.test/?q=: not asked of anyone
		}
		start := contentStart(raw)
		if start >= qEnd {
			continue
		}
		q := question{line: ls, q: spec.Span{Start: ls.Start + start, End: ls.Start + qEnd}}
		q.open = oq != nil && oq.Span.Start <= ls.Start && ls.Start < oq.Span.End
		after := raw[qEnd:]
		switch {
		case substantive(after):
			q.answered = true
		case strings.HasPrefix(t, "#"):
			if s := d.SectionAt(ls.Start); s != nil && s.Heading.Start <= ls.Start && ls.Start < s.Heading.End {
				q.answered = !isBlank(d.Slice(s.Body())) && substantive(d.Slice(s.Body()))
			}
		default:
			q.answered = answeredBelow(d, mp, i, raw)
		}
		out = append(out, q)
	}
	return out
}

// inURL reports whether line[i] lies in a URL: the whitespace-free run
// around it holds "://" or starts with "www.".
func inURL(line string, i int) bool {
	s := strings.LastIndexAny(line[:i], " \t(<") + 1
	tok := line[s:i]
	return strings.Contains(tok, "://") || strings.HasPrefix(tok, "www.")
}

// questionEnd returns the offset just past the "?" that ends a line's
// text (emphasis and closing brackets may follow it), or -1.
func questionEnd(line string) int {
	t := strings.TrimRight(line, " \t*_`)\"'”»")
	if strings.HasSuffix(t, "?") {
		return len(t)
	}
	// "**Q: Which broker?** Kafka." — a question in bold with the answer after.
	if i := strings.Index(line, "?**"); i >= 0 {
		return i + 1
	}
	if i := strings.Index(line, "?__"); i >= 0 {
		return i + 1
	}
	return -1
}

// contentStart skips indentation, a list marker, a task box, a block quote
// and leading emphasis.
func contentStart(line string) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '>') {
		i++
	}
	if i < len(line) && line[i] == '#' {
		for i < len(line) && line[i] == '#' {
			i++
		}
	} else if i+1 < len(line) && strings.ContainsRune("-*+", rune(line[i])) && line[i+1] == ' ' {
		i += 2
	} else {
		j := i
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j > i && j+1 < len(line) && (line[j] == '.' || line[j] == ')') && line[j+1] == ' ' {
			i = j + 2
		}
	}
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if strings.HasPrefix(line[i:], "[ ] ") || strings.HasPrefix(strings.ToLower(line[i:]), "[x] ") {
		i += 4
	}
	for i < len(line) && (line[i] == '*' || line[i] == '_') {
		i++ // emphasis around the question
	}
	return i
}

// substantive reports whether text says something: letters or digits left
// once markup, to-do markers and bracketed placeholders are gone.
func substantive(text string) bool {
	t := text
	// The regexps only matter where a marker, bracket or comment can be;
	// this runs on every line of a spec.
	if strings.ContainsAny(t, "[<") || hasMarker(t) {
		t = markerRe.ReplaceAllString(t, " ")
		t = placeholderRe.ReplaceAllString(t, " ")
		t = htmlComment.ReplaceAllString(t, " ")
	}
	for _, r := range t {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127 {
			return true
		}
	}
	return false
}

// answeredBelow looks at the first non-blank line after line i.
func answeredBelow(d *spec.Document, mp *spec.Mapper, i int, qline string) bool {
	qIndent := indentOf(qline)
	for j := i + 1; j < mp.LineCount(); j++ {
		ls, _ := mp.LineSpan(j)
		raw := d.Slice(ls)
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if d.InBlock(ls.Start) {
			return true // a code block answers
		}
		if strings.HasPrefix(t, "#") || questionEnd(raw) >= 0 && !answerLead(t) {
			return false
		}
		if !substantive(raw[contentStart(raw):]) {
			return false
		}
		if isListLine(raw) {
			// A nested item answers; a sibling item is the next point.
			return indentOf(raw) > qIndent || answerLead(t[contentStart(t):])
		}
		// A paragraph or a table below the question answers it.
		return true
	}
	return false
}

var answerLeadRe = lazyregexp.New(`(?i)^(\*\*|__)?(a|answer|decision|decided|resolved|resolution|→|->)\b`)

func answerLead(t string) bool {
	return answerLeadRe.MatchString(strings.TrimSpace(t)) || strings.HasPrefix(strings.TrimSpace(t), "→")
}

func indentOf(line string) int {
	n := 0
	for _, r := range line {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

func isListLine(line string) bool {
	t := strings.TrimLeft(line, " \t>")
	if len(t) >= 2 && strings.ContainsRune("-*+", rune(t[0])) && t[1] == ' ' {
		return true
	}
	j := 0
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	return j > 0 && j+1 < len(t) && (t[j] == '.' || t[j] == ')') && t[j+1] == ' '
}

// DefaultDecisionTopics are the seed's design questions (step 4).
var DefaultDecisionTopics = []string{"service discovery", "database per service", "caching", "async messaging", "API gateway", "deployment strategy", "secrets", "configuration"}

// topicWords are the words by which a tech spec decides each default topic.
var topicWords = map[string][]string{
	"service discovery":    {"service discovery", "service registry", "k8s dns", "kubernetes dns", "cluster dns", "coredns", "consul", "etcd", "discovery"},
	"database per service": {"database per service", "database-per-service", "db per service", "own database", "owns its database", "own schema", "schema per service", "schema-per-service", "shared database", "separate database", "dedicated database", "per-service database", "its own postgres", "own postgres", "database per bounded context", "datastore per service", "data store per service", "polyglot persistence", "database per context", "store per service"},
	"caching":              {"cach", "redis", "memcached"},
	"async messaging":      {"kafka", "rabbitmq", "nats", "message queue", "message broker", "pub/sub", "pub-sub", "async messaging", "asynchronous messaging", "event streaming", "sqs", "celery", "event bus"},
	"api gateway":          {"api gateway", "gateway", "kong", "traefik", "envoy", "ingress", "apisix", "backend for frontend", "bff", "reverse proxy"},
	"deployment strategy":  {"blue-green", "blue/green", "canary", "rolling update", "rolling deployment", "rollingupdate", "deployment strategy", "argo rollouts", "progressive delivery", "blue green", "rolling release"},
	"secrets":              {"secret"},
	"configuration":        {"configuration management", "configmap", "config map", "environment variable", "env var", "pydantic-settings", "pydantic settings", "basesettings", "12-factor", "twelve-factor", "configuration"},
}

func checkDecisions(c *Context, a *analysis) {
	if !c.Enabled(rules.DecisionMissing) {
		return
	}
	d := a.doc
	topics := c.Config.Options.DecisionTopics
	if len(topics) == 0 {
		topics = DefaultDecisionTopics
	}
	sec := findSection(d, "technical decisions", "design decisions", "architecture decisions", "decisions", "technical design questions")
	span := titleSpan(d)
	if sec != nil {
		span = headSpan(d, sec)
	}
	var set *decisionSet
	if len(c.Config.Options.DecisionTopics) == 0 {
		set = defaultDecisionSet()
	} else {
		set = configuredDecisionSets().Do(strings.Join(topics, "\x00"), func() *decisionSet {
			return newDecisionSet(decisionWords(topics))
		})
	}
	for i, ok := range set.decided(c.Memo, a.prose) {
		if ok {
			continue
		}
		t := topics[i]
		c.Report(rules.DecisionMissing, d, span, Data{Target: t, Section: sec},
			"the tech spec never decides %s; state the choice and why (e.g. under \"Technical Decisions\")", topicPhrase(t))
	}
}

func topicPhrase(t string) string {
	switch normalize(t) {
	case "database per service":
		return "whether each service has its own database"
	case "caching":
		return "the caching strategy"
	case "secrets":
		return "how secrets are managed"
	case "configuration":
		return "how configuration is managed"
	case "async messaging":
		return "the async messaging (broker) choice"
	case "service discovery", "api gateway", "deployment strategy":
		return "the " + t
	}
	return fmt.Sprintf("%q", t)
}

// decisionWords returns the words by which a tech spec decides each
// topic: topicWords', or the topic itself in lower case.
func decisionWords(topics []string) [][]string {
	words := make([][]string, len(topics))
	for i, t := range topics {
		words[i] = topicWords[normalize(t)]
		if words[i] == nil {
			words[i] = []string{strings.ToLower(strings.TrimSpace(t))}
		}
	}
	return words
}

// decisionSet is the words of a list of topics, indexed for one scan.
type decisionSet struct {
	n     int      // topics
	topic []int    // the topic of each term of ts
	ts    *termSet // every topic's words, as prefix terms
}

func newDecisionSet(topics [][]string) *decisionSet {
	var terms []term
	set := &decisionSet{n: len(topics)}
	for i, words := range topics {
		for _, w := range words {
			terms = append(terms, p(w))
			set.topic = append(set.topic, i)
		}
	}
	set.ts = newTermSet(terms)
	return set
}

// configuredDecisionSets are the sets of configured topic lists
// (options.decision-topics), by the list: a workspace asks for the same
// list on every keystroke, and building a set's index is a fifth of the
// rule's time.
var configuredDecisionSets = sync.OnceValue(func() *cache.LRU[string, *decisionSet] {
	return cache.New[string, *decisionSet](16)
})

// defaultDecisionSet is the set of DefaultDecisionTopics, indexed once:
// building the index (14 KB) was a fifth of the rule's time.
var defaultDecisionSet = sync.OnceValue(func() *decisionSet {
	return newDecisionSet(decisionWords(DefaultDecisionTopics))
})

// decidedAll reports, for each topic, whether prose (lower-cased) uses
// one of its words where it states something: not on a "Label:" line with
// nothing after the colon (a template prompt with its placeholder
// removed). One pass over prose for all topics.
func decidedAll(prose string, topics [][]string) []bool {
	return newDecisionSet(topics).decided(nil, prose)
}

// decided is decidedAll of the set's topics, with the scan through the
// memo.
func (set *decisionSet) decided(m *Memo, prose string) []bool {
	out := make([]bool, set.n)
	left := set.n
	set.ts.scanWith(m, prose, func(k, i int) bool {
		if out[set.topic[k]] {
			return true
		}
		l := prose[strings.LastIndexByte(prose[:i], '\n')+1:]
		if j := strings.IndexByte(l, '\n'); j >= 0 {
			l = l[:j]
		}
		if c := strings.LastIndexByte(l, ':'); c >= 0 && !substantive(l[c+1:]) {
			return true
		}
		out[set.topic[k]] = true
		left--
		return left > 0
	})
	return out
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}
