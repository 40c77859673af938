package spec

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ReqRef is one mention of a requirement ID.
type ReqRef struct {
	ID   string // canonical, upper case: "FR-3"
	Span Span
}

// Requirement is a requirement a PRD defines: an ID-led list item, table row
// or heading, or an item of a numbered list in a requirements section.
type Requirement struct {
	ID      string
	Text    string // the requirement's line, markup removed
	Span    Span   // the defining line
	Section *Section
}

// reqID matches requirement IDs such as FR-1, NFR-2, US-3, FR-1.2.
var reqID = regexp.MustCompile(`\b(FR|NFR|US|UC|BR|REQ|AC)-(\d+(?:\.\d+)*)\b`)

// leadID is reqID anchored at the start: an ID that leads a line. Anchored,
// the regexp gives up at the first byte of a line that does not start with
// one, instead of scanning the whole line (a third of Parse on a PRD).
var leadID = regexp.MustCompile(`^` + reqID.String())

// reqPrefixes are the prefixes of requirement IDs; reqID must agree.
var reqPrefixes = map[string]bool{"FR": true, "NFR": true, "US": true, "UC": true, "BR": true, "REQ": true, "AC": true}

// findIDs scans src for requirement IDs as reqID describes them. It runs
// on every keystroke, so it avoids the regexp engine.
func findIDs(src []byte) []Span {
	var out []Span
	isWord := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c < 'A' || c > 'Z' || (i > 0 && isWord(src[i-1])) {
			continue
		}
		j := i
		for j < len(src) && src[j] >= 'A' && src[j] <= 'Z' {
			j++
		}
		if j-i > 3 || !reqPrefixes[string(src[i:j])] || j+1 >= len(src) || src[j] != '-' || !isDigit(src[j+1]) {
			i = j - 1
			continue
		}
		k := j + 1
		for k < len(src) && isDigit(src[k]) {
			k++
		}
		for k+1 < len(src) && src[k] == '.' && isDigit(src[k+1]) {
			k++
			for k < len(src) && isDigit(src[k]) {
				k++
			}
		}
		if k < len(src) && isWord(src[k]) {
			i = k - 1
			continue
		}
		out = append(out, Span{i, k})
		i = k - 1
	}
	return out
}

// RequirementIDPattern is the pattern requirement IDs follow, for completion.
const RequirementIDPattern = `(FR|NFR|US|UC|BR|REQ|AC)-N`

// IDAt returns the requirement ID mention at byte offset off, or nil.
func (d *Document) IDAt(off int) *ReqRef {
	for _, r := range d.Refs {
		if r.Span.Contains(off) {
			return r
		}
	}
	return nil
}

// Requirement returns the definition of id in d, or nil.
func (d *Document) Requirement(id string) *Requirement {
	id = strings.ToUpper(id)
	for _, r := range d.Requirements {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (d *Document) scanRequirements() {
	for _, m := range findIDs(d.Text) {
		if d.inCode(m.Start) {
			continue
		}
		d.Refs = append(d.Refs, &ReqRef{ID: string(d.Text[m.Start:m.End]), Span: m})
	}
	if d.Kind == KindTechSpec {
		return // a tech spec references requirements; it defines none
	}
	seen := map[string]bool{}
	add := func(id, text string, sp Span) {
		if seen[id] {
			return
		}
		seen[id] = true
		d.Requirements = append(d.Requirements, &Requirement{ID: id, Text: text, Span: sp, Section: d.SectionAt(sp.Start)})
	}
	// ID-led list items, table rows and headings define their ID.
	lead := func(text string) string {
		t := strings.TrimLeft(text, "*_`[ ")
		if m := leadID.FindStringIndex(t); m != nil {
			return strings.ToUpper(t[:m[1]])
		}
		return ""
	}
	for _, it := range d.Items {
		if id := lead(it.Text); id != "" {
			add(id, it.Text, it.Span)
		} else if it.Ordered && it.Depth == 0 && it.Section != nil {
			if p := numberedPrefix(it.Section); p != "" {
				add(p+"-"+strconv.Itoa(it.Number), it.Text, it.Span)
			}
		}
	}
	for _, t := range d.Tables {
		for _, row := range t.Rows {
			if len(row) > 0 {
				if id := lead(row[0].Text); id != "" {
					var parts []string
					for _, c := range row[1:] {
						parts = append(parts, c.Text)
					}
					ls, le := lineBounds(d.Text, row[0].Span.Start)
					add(id, strings.Join(parts, " — "), Span{ls, le})
				}
			}
		}
	}
	for _, h := range d.Headings {
		if id := lead(h.Title); id != "" {
			add(id, h.Title, h.Heading)
		}
	}
}

// numberedPrefix returns the ID prefix that items of a numbered list in
// section s get: FR for functional requirements and features, NFR for
// non-functional ones, "" when the section holds no requirements.
func numberedPrefix(s *Section) string {
	for ; s != nil; s = s.Parent {
		n := Normalize(s.Title)
		switch {
		case strings.Contains(n, "non functional") || strings.Contains(n, "nonfunctional"):
			return "NFR"
		case strings.Contains(n, "requirement") || strings.Contains(n, "core features") || strings.Contains(n, "functional"):
			return "FR"
		}
	}
	return ""
}

// inCode reports whether off lies inside a code block.
func (d *Document) inCode(off int) bool {
	i := sort.Search(len(d.Code), func(i int) bool { return d.Code[i].Span.Start > off }) - 1
	return i >= 0 && off < d.Code[i].Span.End
}

// InBlock reports whether off lies inside a code block (fenced or
// indented).
func (d *Document) InBlock(off int) bool { return d.inCode(off) }

// InCode reports whether off lies inside a code block or an inline code span.
func (d *Document) InCode(off int) bool {
	if d.inCode(off) {
		return true
	}
	ls, le := lineBounds(d.Text, off)
	return bytes.Count(d.Text[ls:off], []byte("`"))%2 == 1 && bytes.IndexByte(d.Text[off:le], '`') >= 0
}
