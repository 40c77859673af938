package diagnostics

import (
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// checkTemplate checks a document against its template (Gate E).
func checkTemplate(c *Context, d *spec.Document) {
	if d.Kind == spec.KindTasks && !c.CustomTasksTemplate {
		return
	}
	t := c.Template(d.Kind)
	if t == nil {
		return
	}
	m := c.Match(d)
	reportTemplate(c, d, t, m)
	checkPlaceholders(c, d, t, m)
}

// Match pairs a document's headings with template sections.
type Match struct {
	// Of maps a document heading to its template section (nil: not in the template).
	Of map[*spec.Section]*spec.TemplateSection
	// Renamed holds headings matched by a near miss rather than exactly.
	Renamed map[*spec.Section]bool
	// Found lists, per template section, the headings matched to it in order.
	Found map[*spec.TemplateSection][]*spec.Section
	// Title is the document's level-1 heading, or nil.
	Title *spec.Section
	// index is the template's, for the placeholder scan (nil in a Match
	// not made by MatchTemplate).
	index *templateIndex
	// firsts backs the Found lists' first entries: most template sections
	// are found once, and one array serves them all.
	firsts []*spec.Section
}

// MatchTemplate matches headings to template sections by normalised text;
// a near miss of a template heading that is otherwise absent counts as a
// rename. A heading under a matched parent at the level of a variable
// template section ("### [Service Name]") matches that section.
func MatchTemplate(d *spec.Document, t *spec.Template) *Match {
	x := indexOf(t)
	m := &Match{
		Of:      make(map[*spec.Section]*spec.TemplateSection, len(d.Headings)),
		Renamed: map[*spec.Section]bool{},
		Found:   make(map[*spec.TemplateSection][]*spec.Section, len(t.Sections)),
		Title:   d.Title(),
		index:   x,
		firsts:  make([]*spec.Section, 0, len(d.Headings)),
	}
	if tt := t.Title(); tt != nil && m.Title != nil {
		m.Of[m.Title] = tt
		m.found(tt, m.Title)
	}
	// Pass 1: same text at the same level. Pass 2: same text at another
	// level, for template sections still absent, outside free-form blocks
	// (the body of a "### [Service Name]" is the author's to structure).
	// A template heading at another level (say "### Proto Definitions"
	// nested under Service Definitions) is that section misplaced, not a
	// service named after it: it matches before the variable section does,
	// unless the document also has it at the template's level.
	sameLevel := map[*spec.TemplateSection]bool{}
	for _, h := range d.Headings {
		if h != m.Title {
			if ts := exactMatch(h, x, m, true); ts != nil {
				sameLevel[ts] = true
			}
		}
	}
	var rest, unknown []*spec.Section
	for _, h := range d.Headings {
		if h == m.Title {
			continue
		}
		if ts := exactMatch(h, x, m, true); ts != nil {
			m.add(h, ts)
		} else if ts := exactMatch(h, x, m, false); ts != nil && !sameLevel[ts] && len(m.Found[ts]) == 0 && !inVariable(h, m) && variableMatch(h, t, m) != nil {
			m.add(h, ts)
		} else if ts := variableMatch(h, t, m); ts != nil {
			m.add(h, ts)
		} else {
			rest = append(rest, h)
		}
	}
	for _, h := range rest {
		if inVariable(h, m) {
			continue
		}
		if ts := exactMatch(h, x, m, false); ts != nil && len(m.Found[ts]) == 0 {
			m.add(h, ts)
		} else {
			unknown = append(unknown, h)
		}
	}
	// A heading that joins two template sections ("Goals & Success
	// Metrics", "Open Questions and Risks") holds both.
	var still []*spec.Section
	for _, h := range unknown {
		if parts := joinedSections(h, t, x, m); len(parts) > 1 {
			m.Of[h] = parts[0]
			for _, ts := range parts {
				m.found(ts, h)
			}
			continue
		}
		still = append(still, h)
	}
	unknown = still
	// Near misses, for template sections nothing matched exactly.
	for _, h := range unknown {
		key := h.MatchKey
		for _, ts := range t.Sections {
			if ts.Level == 1 || ts.Variable || len(m.Found[ts]) > 0 {
				continue
			}
			if spec.NearMiss(key, ts.MatchKey) {
				m.add(h, ts)
				m.Renamed[h] = true
				break
			}
		}
	}
	return m
}

// joinedSections returns the template sections a heading joins with "&",
// "and" or "/", when every part names one that is still absent; else nil.
func joinedSections(h *spec.Section, t *spec.Template, x *templateIndex, m *Match) []*spec.TemplateSection {
	_, name, _ := spec.SplitHeading(h.Title)
	parts := joiner.Split(name, -1)
	if len(parts) < 2 {
		return nil
	}
	var out []*spec.TemplateSection
	for _, p := range parts {
		key := spec.HeadingKey(p)
		var found *spec.TemplateSection
		for _, ts := range t.Sections {
			if ts.Level > 1 && !ts.Variable && len(m.Found[ts]) == 0 && (ts.MatchKey == key || x.lead[ts] == key) {
				found = ts
				break
			}
		}
		if found == nil {
			return nil
		}
		out = append(out, found)
	}
	return out
}

// leadPart is the key of a template title's first part: "risks" for
// "Risks and Mitigations", which a joined heading may name by it.
func leadPart(ts *spec.TemplateSection) string {
	_, name, _ := spec.SplitHeading(ts.Title)
	if parts := joiner.Split(name, 2); len(parts) == 2 {
		return spec.HeadingKey(parts[0])
	}
	return ""
}

var joiner = lazyregexp.New(`\s*(?:&|\band\b|/|\+)\s*`)

func (m *Match) add(h *spec.Section, ts *spec.TemplateSection) {
	m.Of[h] = ts
	m.found(ts, h)
}

// found appends h to the headings found for ts.
func (m *Match) found(ts *spec.TemplateSection, h *spec.Section) {
	f := m.Found[ts]
	if len(f) == 0 && len(m.firsts) < cap(m.firsts) {
		m.firsts = append(m.firsts, h)
		n := len(m.firsts)
		m.Found[ts] = m.firsts[n-1 : n : n] // capped: a second append copies
		return
	}
	m.Found[ts] = append(f, h)
}

// inVariable reports whether h lies inside a section matched to a variable
// template section.
func inVariable(h *spec.Section, m *Match) bool {
	for p := h.Parent; p != nil; p = p.Parent {
		if ts := m.Of[p]; ts != nil && ts.Variable {
			return true
		}
	}
	return false
}

// exactMatch returns the template section whose key is h's, at h's level
// when sameLevel, preferring one under h's matched parent.
func exactMatch(h *spec.Section, x *templateIndex, m *Match, sameLevel bool) *spec.TemplateSection {
	var first *spec.TemplateSection
	for _, ts := range x.byKey[h.MatchKey] {
		if sameLevel && ts.Level != h.Level {
			continue
		}
		// Prefer the candidate whose parent is the heading's matched parent.
		if h.Parent != nil && ts.Parent != nil && m.Of[h.Parent] == ts.Parent {
			return ts
		}
		if first == nil {
			first = ts
		}
	}
	return first
}

func variableMatch(h *spec.Section, t *spec.Template, m *Match) *spec.TemplateSection {
	if h.Parent == nil {
		return nil
	}
	pt := m.Of[h.Parent]
	if pt == nil {
		return nil
	}
	for _, ts := range pt.Children {
		if ts.Variable && ts.Level == h.Level {
			return ts
		}
	}
	return nil
}

func reportTemplate(c *Context, d *spec.Document, t *spec.Template, m *Match) {
	fileKind := kindName(d.Kind)
	// Title.
	if tt := t.Title(); tt != nil {
		if m.Title == nil && frontMatterTitle(d) == "" {
			c.Report(rules.SectionMissing, d, firstLine(d), Data{Template: tt, Insert: d.FrontMatterSpan.End},
				"the %s has no title; add \"%s\" as its first line", fileKind, "# "+tt.TitleFor(spec.SlugName(c.Feature.Slug)))
		} else if m.Title == nil {
			// The front matter's title stands for the H1.
		} else if p := titlePlaceholder(m.Title.Title); p != "" {
			// Target: the placeholder as reported, which the fix replaces
			// and nothing else (not a link's [label] before it).
			c.Report(rules.TitlePlaceholder, d, m.Title.TitleSpan, Data{Section: m.Title, Template: tt, Target: placeholderRe.FindString(m.Title.Title)},
				"the title still holds %s; name the feature", p)
		}
	}
	// Renames, levels and duplicates.
	for _, h := range d.Headings {
		ts := m.Of[h]
		if ts == nil || ts.Level == 1 {
			continue
		}
		if m.Renamed[h] {
			c.Report(rules.SectionRenamed, d, h.TitleSpan, Data{Template: ts, Section: h, Want: renamed(d, h, ts)},
				"heading %q is close to the template section %q; rename it so tools and readers find it", h.Title, ts.Title)
		}
		if h.Level != ts.Level && !ts.Optional {
			c.Report(rules.SectionLevel, d, h.Heading, Data{Template: ts, Section: h, Want: strings.Repeat("#", ts.Level)},
				"%q is a level-%d heading; the template has it at level %d (%s)", h.Title, h.Level, ts.Level, strings.Repeat("#", ts.Level))
		}
		if !ts.Variable {
			if found := m.Found[ts]; len(found) > 1 && found[0] != h {
				rel := []Related{{Path: d.Path, Span: found[0].Heading, Message: "first occurrence"}}
				c.ReportRelated(rules.SectionDuplicate, d, h.Heading, rel, Data{Template: ts, Section: h},
					"section %q appears more than once; merge it into the first one (line above)", ts.Title)
			}
		}
	}
	checkOrder(c, d, t, m)
	// Missing sections: report the outermost missing one only; its skeleton
	// brings its required subsections along.
	for _, ts := range t.Sections {
		if ts.Level == 1 || ts.Variable || ts.Optional || len(m.Found[ts]) > 0 {
			continue
		}
		if ts.Parent != nil && ts.Parent.Level > 1 && len(m.Found[ts.Parent]) == 0 {
			continue
		}
		if c.artifactCovers(d, ts) {
			continue // graph-missing, matrix-missing, ... report it, with the same fix
		}
		at, anchor := InsertPoint(d, t, m, ts)
		where := "at the start of the document"
		span := firstLine(d)
		if anchor != nil {
			span = anchor.Heading
			if anchor.Level < ts.Level && anchor == parentSection(m, ts) {
				where = "inside \"" + anchor.Title + "\""
			} else {
				where = "after \"" + anchor.Title + "\""
			}
		}
		c.Report(rules.SectionMissing, d, span, Data{Template: ts, Insert: at},
			"the %s has no \"%s %s\" section; add it %s", fileKind, strings.Repeat("#", ts.Level), ts.Title, where)
	}
	// Empty sections.
	for _, h := range d.Headings {
		if m.Of[h] == nil || h == m.Title || len(h.Children) > 0 {
			continue
		}
		if isBlank(d.Slice(h.Own)) {
			c.Report(rules.SectionEmpty, d, h.Heading, Data{Template: m.Of[h], Section: h},
				"section %q has no content; write it, or generate it from the template", h.Title)
		}
	}
}

// kindName names a kind of spec file in messages.
func kindName(k spec.Kind) string {
	switch k {
	case spec.KindPRD:
		return "PRD"
	case spec.KindTechSpec:
		return "tech spec"
	case spec.KindTasks:
		return "task list"
	}
	return ""
}

func parentSection(m *Match, ts *spec.TemplateSection) *spec.Section {
	if ts.Parent == nil {
		return nil
	}
	if f := m.Found[ts.Parent]; len(f) > 0 {
		return f[0]
	}
	return nil
}

// InsertPoint returns where a missing template section belongs: after the
// nearest preceding sibling present (its whole span), else at the end of
// the parent's own text, else after the title's own text. It also returns
// the document section the point is anchored to (nil at the document start).
func InsertPoint(d *spec.Document, t *spec.Template, m *Match, ts *spec.TemplateSection) (int, *spec.Section) {
	var siblings []*spec.TemplateSection
	if ts.Parent != nil && ts.Parent.Level > 1 {
		siblings = ts.Parent.Children
	} else {
		for _, s := range t.Sections {
			if s.Level > 1 && (s.Parent == nil || s.Parent.Level == 1) {
				siblings = append(siblings, s)
			}
		}
	}
	var prev *spec.Section
	for _, s := range siblings {
		if s == ts {
			break
		}
		if f := m.Found[s]; len(f) > 0 {
			prev = f[len(f)-1]
		}
	}
	if prev != nil {
		return prev.Span.End, prev
	}
	parent := parentSection(m, ts)
	if parent == nil {
		parent = m.Title
	}
	if parent != nil {
		return parent.Own.End, parent
	}
	return d.FrontMatterSpan.End, nil
}

// checkOrder reports sections standing out of template order: those not in
// the longest run of headings whose template order increases.
func checkOrder(c *Context, d *spec.Document, t *spec.Template, m *Match) {
	var hs []*spec.Section
	for _, h := range d.Headings {
		ts := m.Of[h]
		// Only required sections have a place: optional ones, and those the
		// built-in template merely suggests, stand wherever the author puts them.
		if ts == nil || ts.Level == 1 || ts.Variable || ts.Optional {
			continue
		}
		if f := m.Found[ts]; f[0] != h {
			continue // duplicates are reported as such
		}
		hs = append(hs, h)
	}
	keep := lis(hs, func(h *spec.Section) int { return m.Of[h].Index })
	for i, h := range hs {
		if keep[i] {
			continue
		}
		ts := m.Of[h]
		// Name the template predecessor that is present, for the message.
		var after *spec.TemplateSection
		for _, s := range t.Sections[:ts.Index] {
			if s.Level > 1 && len(m.Found[s]) > 0 && !s.Variable && !s.Optional {
				after = s
			}
		}
		moveTo, _ := InsertPoint(d, t, m, ts)
		if after != nil {
			c.Report(rules.SectionOrder, d, h.Heading, Data{Template: ts, Section: h, MoveTo: moveTo},
				"section %q is out of template order; move it after %q", h.Title, after.Title)
		} else {
			c.Report(rules.SectionOrder, d, h.Heading, Data{Template: ts, Section: h, MoveTo: moveTo},
				"section %q is out of template order; move it before the other template sections", h.Title)
		}
	}
}

// lis marks the members of one longest strictly increasing subsequence of
// key over xs.
func lis[T any](xs []T, key func(T) int) []bool {
	n := len(xs)
	keep := make([]bool, n)
	if n == 0 {
		return keep
	}
	tails := []int{} // indices into xs
	prev := make([]int, n)
	for i := range xs {
		k := key(xs[i])
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if key(xs[tails[mid]]) < k {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		prev[i] = -1
		if lo > 0 {
			prev[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		keep[i] = true
	}
	return keep
}

func firstLine(d *spec.Document) spec.Span {
	s := d.FrontMatterSpan.End
	if d.BOM && s == 0 {
		s = 3
	}
	e := s
	for e < len(d.Text) && d.Text[e] != '\n' && d.Text[e] != '\r' {
		e++
	}
	return spec.Span{Start: s, End: e}
}

var htmlComment = lazyregexp.New(`(?s)<!--.*?-->`)

// isBlank reports whether text holds nothing but space and HTML comments.
func isBlank(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || !strings.Contains(t, "<!--") {
		return t == ""
	}
	return strings.TrimSpace(htmlComment.ReplaceAllString(t, "")) == ""
}

var templateWord = lazyregexp.New(`(?i)\btemplate\b`)

// titlePlaceholder says what placeholder a title holds, or "".
func titlePlaceholder(title string) string {
	if m := placeholderRe.FindString(title); m != "" {
		return "the placeholder " + m
	}
	if templateWord.MatchString(title) {
		return "the word \"Template\""
	}
	return ""
}

// frontMatterTitle returns the YAML front matter's title, which stands for
// the document's H1.
func frontMatterTitle(d *spec.Document) string {
	if t, ok := d.FrontMatter["title"].(string); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

// renamed is the heading text a rename writes: the template's name in place
// of the author's, keeping their numbering and qualifier ("2. Test Strategy
// (draft)" becomes "2. Testing Strategy (draft)") when the heading's source
// is plain text.
func renamed(d *spec.Document, h *spec.Section, ts *spec.TemplateSection) string {
	if d.Slice(h.TitleSpan) != h.Title {
		return ts.Title
	}
	prefix, _, suffix := spec.SplitHeading(h.Title)
	_, name, _ := spec.SplitHeading(ts.Title)
	return prefix + name + suffix
}
