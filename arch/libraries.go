package arch

import (
	"strings"

	"github.com/specls/specls/pyreq"
	"github.com/specls/specls/spec"
)

// Library is one Python dependency a tech spec states: a row of a
// libraries table, a line of a requirements or pyproject block, or a list
// item of the Libraries Assessment.
type Library struct {
	Name     string    // as written
	Key      string    // PEP 503 name: "opentelemetry-api"
	NameSpan spec.Span // the name in the document
	// Specifiers is the version constraint; nil when none is stated.
	Specifiers pyreq.Specifiers
	// Constraint covers the constraint as written (a version cell, or the
	// specifiers after the name); empty at the name when there is none.
	Constraint spec.Span
	// Offset maps the specifiers' spans into the document: a specifier's
	// span plus Offset is its place in the text.
	Offset int
	// BadVersion is the constraint text when it is not PEP 440 ("^2.5",
	// "latest"); "" otherwise.
	BadVersion string
	License    spec.Cell // from a License column, when the table has one
	// Rejected is true for rows whose decision rejects the library.
	Rejected bool
	Source   string // "table", "code" or "list"
}

// SpecSpan returns the document span of one of the library's specifiers.
func (l *Library) SpecSpan(s *pyreq.Specifier) spec.Span {
	return spec.Span{Start: l.Offset + s.Span.Start, End: l.Offset + s.Span.End}
}

// LibrariesSection returns the Libraries Assessment section, or nil.
func LibrariesSection(d *spec.Document) *spec.Section {
	if s := FindSection(d, "libraries assessment", "library assessment", "python libraries", "libraries", "dependencies assessment", "library selection", "library choices"); s != nil {
		return s
	}
	// Any heading naming libraries, dependencies or the tech stack, when a
	// table of libraries stands under it ("Library Choices", "Tech Stack").
	for _, h := range d.Headings {
		if !Mentions(h.Key, []string{"library", "libraries", "dependencies", "tech stack", "technology stack", "packages", "third party"}) {
			continue
		}
		for _, t := range d.Tables {
			if h.Span.Start <= t.Span.Start && t.Span.Start < h.Span.End && t.Column("library", "package", "dependency", "libraries", "packages", "crate", "module") >= 0 {
				return h
			}
		}
	}
	return nil
}

// Libraries returns the libraries a tech spec states, in document order:
// rows of tables with a Library/Package column (in the Libraries Assessment
// section, or anywhere when the table also has a Version column); lines of
// code blocks in that section and of ```toml and ```requirements blocks
// anywhere; list items of that section that start with a requirement.
func Libraries(d *spec.Document) []*Library {
	return librariesIn(d, LibrariesSection(d), &tableKeys{d: d})
}

// librariesIn is Libraries given the document's LibrariesSection and its
// tables' header keys.
func librariesIn(d *spec.Document, sec *spec.Section, keys *tableKeys) []*Library {
	in := func(off int) bool { return sec != nil && sec.Span.Start <= off && off < sec.Span.End }
	var out []*Library
	for i, t := range d.Tables {
		out = append(out, tableLibraries(d, t, keys.of(i), in(t.Span.Start))...)
	}
	for _, b := range d.Code {
		switch {
		case b.Lang == "toml":
			out = append(out, tomlLibraries(d, b)...)
		case b.Lang == "requirements" || b.Lang == "pip-requirements" || b.Lang == "pip" || in(b.Span.Start) && b.Lang != "mermaid" && b.Lang != "proto" && b.Lang != "yaml" && b.Lang != "yml" && b.Lang != "json":
			out = append(out, lineLibraries(d, b)...)
		}
	}
	if sec != nil {
		for _, it := range d.Items {
			if in(it.Span.Start) && !d.InCode(it.Span.Start) {
				if l := itemLibrary(d, it); l != nil {
					out = append(out, l)
				}
			}
		}
	}
	sortLibraries(out)
	return out
}

func sortLibraries(ls []*Library) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].NameSpan.Start < ls[j-1].NameSpan.Start; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

// rawCell returns a cell's source text with markup blanked out (same
// length, so offsets hold) and the offset of its start; a [text](url) link
// gives its text.
func rawCell(d *spec.Document, c spec.Cell) (string, int) {
	raw := d.Slice(c.Span)
	off := c.Span.Start
	if strings.HasPrefix(raw, "[") {
		if i := strings.Index(raw, "]("); i > 0 {
			raw, off = raw[1:i], off+1
		}
	}
	return blankMarkup(raw), off
}

// blankMarkup replaces emphasis and code markers by spaces and "≥"/"≤" by
// ">= "/"<= " (both three bytes), keeping every offset.
var comparisonSigns = strings.NewReplacer("≥", ">= ", "≤", "<= ")

func blankMarkup(s string) string {
	if strings.ContainsAny(s, "≥≤") {
		s = comparisonSigns.Replace(s)
	}
	if !strings.ContainsAny(s, "*`") {
		return s // most cells have no markup: no copy
	}
	b := []byte(s)
	for i, c := range b {
		if c == '*' || c == '`' {
			b[i] = ' '
		}
	}
	return string(b)
}

var unpinnedWords = map[string]bool{"": true, "-": true, "—": true, "–": true, "latest": true, "any": true, "*": true, "n/a": true, "na": true, "none": true, "unpinned": true, "tbd": true, "todo": true, "?": true}

func tableLibraries(d *spec.Document, t *spec.Table, hk []string, inSection bool) []*Library {
	name := Column(hk, "library", "package", "dependency", "python package", "pypi package", "lib")
	if name < 0 && inSection {
		name = Column(hk, "name")
	}
	ver := Column(hk, "version", "constraint", "version constraint", "pin", "min version", "minimum version", "versions", "requirement")
	if name < 0 || !inSection && ver < 0 {
		return nil
	}
	lic := Column(hk, "license", "licence")
	dec := Column(hk, "decision", "status", "verdict", "choice")
	var out []*Library
	for _, r := range t.Rows {
		nc := CellAt(r, name)
		text, off := rawCell(d, nc)
		req, err := pyreq.ScanRequirement(text)
		if req == nil {
			continue
		}
		l := &Library{Name: req.Name, Key: req.Key(), NameSpan: spec.Span{Start: off + req.NameSpan.Start, End: off + req.NameSpan.End}, License: CellAt(r, lic), Source: "table"}
		l.Constraint = spec.Span{Start: l.NameSpan.End, End: l.NameSpan.End}
		if dec >= 0 {
			l.Rejected = rejected(CellAt(r, dec).Text)
		}
		if err == nil && len(req.Specifiers) > 0 {
			l.Specifiers, l.Offset = req.Specifiers, off
			l.Constraint = spec.Span{Start: off + req.SpecSpan.Start, End: off + req.SpecSpan.End}
		} else if ver >= 0 {
			vc := CellAt(r, ver)
			vt, voff := rawCell(d, vc)
			setConstraint(l, vt, voff, vc.Span)
		}
		out = append(out, l)
	}
	return out
}

// setConstraint reads a version cell: specifiers, a bare version (an exact
// pin), or words that mean "unpinned".
func setConstraint(l *Library, text string, off int, cell spec.Span) {
	t := strings.TrimSpace(text)
	lead := len(text) - len(strings.TrimLeft(text, " \t"))
	if unpinnedWords[strings.ToLower(t)] {
		if t != "" {
			l.Constraint = spec.Span{Start: off + lead, End: off + lead + len(t)}
			l.BadVersion = t
		}
		return
	}
	l.Constraint = spec.Span{Start: off + lead, End: off + lead + len(t)}
	if ss, err := pyreq.ParseSpecifiers(t); err == nil {
		l.Specifiers, l.Offset = ss, off+lead
		l.Constraint = spec.Span{Start: off + lead + ss[0].Span.Start, End: off + lead + ss[len(ss)-1].Span.End}
		return
	}
	// A bare version in a Version column is the version chosen: "== v".
	if _, err := pyreq.ParseVersion(t); err == nil && t[0] >= '0' && t[0] <= '9' {
		ss, _ := pyreq.ParseSpecifiers("==" + t)
		for i := range ss {
			ss[i].Span = pyreq.Span{Start: 0, End: len(t)}
		}
		l.Specifiers, l.Offset = ss, off+lead
		return
	}
	l.BadVersion = t
}

// rejectWords are the decisions that reject a library: the whole
// normalised decision, or its first words.
var rejectWords = []string{"reject", "rejected", "avoid", "drop", "dropped", "no", "not adopted", "declined", "replaced", "deprecated", "remove", "removed"}

func rejected(decision string) bool {
	// Normalised in a buffer on the stack: every row of a libraries
	// table has a decision.
	var arr [64]byte
	n := spec.AppendNormalize(arr[:0], decision)
	for _, w := range rejectWords {
		if string(n) == w || len(n) > len(w) && string(n[:len(w)]) == w && n[len(w)] == ' ' {
			return true
		}
	}
	return false
}

// lineLibraries reads requirement lines of a code block. In a Python block
// only lines with a version constraint count: a bare word there is code.
func lineLibraries(d *spec.Document, b *spec.CodeBlock) []*Library {
	var out []*Library
	text := d.Slice(b.Content)
	strict := b.Lang == "python" || b.Lang == "py" || b.Lang == "bash" || b.Lang == "sh" || b.Lang == "shell" || b.Lang == "console" || b.Lang == "dockerfile" || b.Lang == "docker"
	pos := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		start := b.Content.Start + pos
		pos += len(line)
		l := strings.TrimRight(line, "\r\n")
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' || t[0] == '-' {
			continue
		}
		req, err := pyreq.ParseRequirement(l)
		if err != nil || req == nil || strict && len(req.Specifiers) == 0 {
			continue
		}
		out = append(out, fromRequirement(req, start, "code"))
	}
	return out
}

func fromRequirement(req *pyreq.Requirement, off int, source string) *Library {
	l := &Library{Name: req.Name, Key: req.Key(), NameSpan: spec.Span{Start: off + req.NameSpan.Start, End: off + req.NameSpan.End}, Source: source}
	l.Constraint = spec.Span{Start: off + req.SpecSpan.Start, End: off + req.SpecSpan.End}
	if len(req.Specifiers) > 0 {
		l.Specifiers, l.Offset = req.Specifiers, off
	} else if req.URL == "" {
		l.Constraint = spec.Span{Start: l.NameSpan.End, End: l.NameSpan.End}
	}
	if req.URL != "" {
		// A direct reference pins the code it points at.
		l.Specifiers = pyreq.Specifiers{{Op: "===", Raw: req.URL}}
	}
	return l
}

// tomlLibraries reads the quoted requirements of "dependencies = [...]"
// arrays (PEP 621 [project], [dependency-groups], [tool.uv]).
func tomlLibraries(d *spec.Document, b *spec.CodeBlock) []*Library {
	var out []*Library
	text := d.Slice(b.Content)
	inArray := false
	pos := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		start := b.Content.Start + pos
		pos += len(line)
		l := strings.TrimRight(line, "\r\n")
		t := strings.TrimSpace(l)
		if !inArray {
			k, v, ok := strings.Cut(t, "=")
			key := strings.TrimSpace(k)
			if !ok || !(strings.HasSuffix(key, "dependencies") || key == "requires" || key == "dev" || key == "test") || !strings.HasPrefix(strings.TrimSpace(v), "[") {
				continue
			}
			inArray = true
			i := strings.Index(l, "[")
			l = strings.Repeat(" ", i+1) + l[i+1:]
		}
		// Quoted strings on the line.
		for i := 0; i < len(l); i++ {
			if l[i] == '#' {
				break
			}
			if l[i] == ']' {
				inArray = false
				break
			}
			if l[i] != '"' && l[i] != '\'' {
				continue
			}
			j := strings.IndexByte(l[i+1:], l[i])
			if j < 0 {
				break
			}
			s := l[i+1 : i+1+j]
			if req, err := pyreq.ParseRequirement(s); err == nil && req != nil {
				out = append(out, fromRequirement(req, start+i+1, "code"))
			}
			i += j + 1
		}
	}
	return out
}

// itemLibrary reads a list item that starts with a requirement:
// "fastapi >= 0.110.0 — web framework", "**redis** (`>=5.0.1`)". An item
// that is a bare package name alone ("structlog") is an unpinned library.
func itemLibrary(d *spec.Document, it *spec.ListItem) *Library {
	line := d.Slice(it.Span)
	// Skip the list marker and a task box.
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i < len(line) && strings.ContainsRune("-*+", rune(line[i])) {
		i++
	} else {
		for i < len(line) && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i < len(line) && (line[i] == '.' || line[i] == ')') {
			i++
		}
	}
	rest := line[i:]
	if t := strings.TrimLeft(rest, " "); strings.HasPrefix(t, "[ ]") || strings.HasPrefix(strings.ToLower(t), "[x]") {
		i += len(rest) - len(t) + 3
		rest = line[i:]
	}
	text := blankMarkup(rest)
	off := it.Span.Start + i
	req, err := pyreq.ScanRequirement(text)
	if req == nil || err != nil {
		return nil
	}
	after := strings.TrimSpace(text[req.Span.End:])
	// "(>=5.0.1)" written after the name in parentheses.
	if len(req.Specifiers) == 0 && strings.HasPrefix(after, "(") {
		inner := after[1:]
		if k := strings.IndexByte(inner, ')'); k > 0 {
			at := strings.Index(text, "(") + 1
			if ss, err := pyreq.ParseSpecifiers(inner[:k]); err == nil {
				l := fromRequirement(req, off, "list")
				l.Specifiers, l.Offset = ss, off+at
				l.Constraint = spec.Span{Start: off + at + ss[0].Span.Start, End: off + at + ss[len(ss)-1].Span.End}
				return l
			}
		}
	}
	if len(req.Specifiers) == 0 && after != "" && !strings.HasPrefix(after, "(") {
		return nil // prose that happens to start with a word
	}
	if len(req.Specifiers) == 0 && strings.Count(strings.TrimSpace(text[:req.Span.End]), " ") > 0 {
		return nil
	}
	if len(req.Specifiers) == 0 && !strings.Contains(rest, "`"+req.Name+"`") && !strings.ContainsAny(req.Name, "-_") {
		// A bare word is prose ("- none", "- Decisions") unless it is
		// written as code or has a package-like name.
		return nil
	}
	return fromRequirement(req, off, "list")
}
