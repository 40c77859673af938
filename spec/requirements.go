package spec

import (
	"bytes"
	"encoding/binary"
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
)

// ReqRef is one mention of a requirement ID.
type ReqRef struct {
	ID   string // as written: "FR-3", "R2.1", "FR-ADM-01"
	Key  string // canonical, for matching: "FR-3", "R-2.1", "FR-ADM-1"
	Span Span
}

// Requirement is a requirement a PRD defines: an ID-led list item, table row
// or heading, or an item of a numbered list directly under a requirements
// heading.
type Requirement struct {
	ID      string // as written, or "FR-n" for the n-th item of a numbered list
	Key     string // canonical (see ReqRef.Key)
	Text    string // the requirement's line, markup removed
	Span    Span   // the defining line
	Section *Section
	// Implicit marks the item of a numbered list: its ID is specls's, not
	// the PRD's, so messages name it by its number and text.
	Implicit bool
}

// reqPrefixes are the prefixes of requirement IDs real PRDs use: FR-1,
// FR-001, NFR-2, REQ-12, R1, R2.1, RF1, RF-1.1, RNF-3, F1, US-1, UC-4,
// BR-2, AC-3; a sub-prefix may follow (FR-ADM-01, NFR-RELI-01).
var reqPrefixes = map[string]bool{
	"FR": true, "NFR": true, "REQ": true, "R": true, "RF": true, "RNF": true, "F": true,
	"US": true, "UC": true, "BR": true, "AC": true,
}

// idAt returns the end of a requirement ID starting at src[i], and its
// canonical key, or -1. The prefix is upper case and in reqPrefixes; a
// dash may separate it from the number, and a sub-prefix of two to six
// capitals with its own dash may stand between them; the number may have
// dotted parts. No letter, digit or underscore may touch either end.
func idAt(src []byte, i int) (int, string) { return idAtWith(src, i, reqPrefixes) }

// idAtWith is idAt for a set of prefixes.
func idAtWith(src []byte, i int, prefixes map[string]bool) (int, string) {
	isWord := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	if i > 0 && isWord(src[i-1]) {
		return -1, ""
	}
	j := i
	for j < len(src) && isUpper(src[j]) {
		j++
	}
	// A dash or a digit must follow the prefix (checked below too): most
	// capitalised words fail here, before the map lookup.
	if j-i > 6 || j >= len(src) || src[j] != '-' && !isDigit(src[j]) || !prefixes[string(src[i:j])] {
		return -1, ""
	}
	key := []byte(string(src[i:j]))
	key = append(key, '-')
	k := j
	if k < len(src) && src[k] == '-' {
		k++
		// A sub-prefix: FR-ADM-01.
		m := k
		for m < len(src) && isUpper(src[m]) {
			m++
		}
		if m-k >= 2 && m-k <= 6 && m+1 < len(src) && src[m] == '-' && isDigit(src[m+1]) {
			key = append(key, src[k:m+1]...)
			k = m + 1
		}
	}
	if k >= len(src) || !isDigit(src[k]) {
		return -1, ""
	}
	for {
		n := k
		for k < len(src) && isDigit(src[k]) {
			k++
		}
		part := strings.TrimLeft(string(src[n:k]), "0")
		if part == "" {
			part = "0"
		}
		key = append(key, part...)
		if k+1 < len(src) && src[k] == '.' && isDigit(src[k+1]) {
			key = append(key, '.')
			k++
			continue
		}
		break
	}
	if k < len(src) && isWord(src[k]) {
		return -1, ""
	}
	return k, string(key)
}

// IDKey returns the canonical key of a requirement ID ("FR-001" -> "FR-1",
// "R2.1" -> "R-2.1"), or "" when id is not one.
func IDKey(id string) string {
	if end, key := idAt([]byte(id), 0); end == len(id) {
		return key
	}
	return ""
}

// findIDs scans src for requirement IDs. It runs on every keystroke, so it
// avoids the regexp engine, and it reads eight bytes at a time: an ID holds
// a capital followed by a dash or a digit (its prefix, then the number or
// the dash before it), and most stretches of eight bytes hold no capital
// followed by a byte of '-' to '9'. Where one does, the run of capitals
// before it is the only place an ID may start; idAtWith decides.
func findIDs(src []byte, prefixes map[string]bool) (spans []Span, keys []string) {
	last := 0 // the end of the last ID found: no other starts inside it
	for i := 0; i < len(src); i++ {
		if i+9 <= len(src) {
			x := binary.LittleEndian.Uint64(src[i:])
			y := binary.LittleEndian.Uint64(src[i+1:])
			if between(x, 'A'-1, 'Z'+1)&between(y, '-'-1, '9'+1) == 0 {
				i += 7
				continue
			}
		}
		if !isUpper(src[i]) || i+1 >= len(src) || src[i+1] < '-' || src[i+1] > '9' {
			continue
		}
		s := i
		for s > 0 && isUpper(src[s-1]) {
			s--
		}
		if s < last {
			continue
		}
		if end, key := idAtWith(src, s, prefixes); end > 0 {
			spans = append(spans, Span{s, end})
			keys = append(keys, key)
			last = end
		}
	}
	return spans, keys
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// between returns the high bit of each of the eight bytes of x that lies
// strictly between m and n, for 0 <= m <= 127 and 0 <= n <= 128
// ("hasbetween" of Bit Twiddling Hacks: each byte is computed apart, with
// no carry between bytes, so the mask is exact).
func between(x uint64, m, n uint64) uint64 {
	const ones, low7, highs = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	return (ones*(127+n) - x&low7) &^ x & (x&low7 + ones*(127-m)) & highs
}

// RequirementIDPattern is the pattern requirement IDs follow, for completion.
const RequirementIDPattern = `(FR|NFR|REQ|R|RF|RNF|F|US|UC|BR|AC)-N`

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
	key := IDKey(strings.ToUpper(id))
	for _, r := range d.Requirements {
		if r.Key == key || r.ID == id {
			return r
		}
	}
	return nil
}

func (d *Document) scanRequirements() {
	d.Refs, d.Requirements = d.scanIDs(reqPrefixes)
}

// RequirementsWith returns the document's requirement mentions and
// definitions when the ID schemes also include extra prefixes
// (requirements.id-patterns): the parsed ones when there are none.
func (d *Document) RequirementsWith(extra []string) ([]*ReqRef, []*Requirement) {
	if len(extra) == 0 {
		return d.Refs, d.Requirements
	}
	set := maps.Clone(reqPrefixes)
	for _, p := range extra {
		set[p] = true
	}
	return d.scanIDs(set)
}

func (d *Document) scanIDs(prefixes map[string]bool) (refs []*ReqRef, reqs []*Requirement) {
	spans, keys := findIDs(d.Text, prefixes)
	for i, m := range spans {
		if d.inCode(m.Start) {
			continue
		}
		refs = append(refs, &ReqRef{ID: string(d.Text[m.Start:m.End]), Key: keys[i], Span: m})
	}
	if d.Kind == KindTechSpec {
		return refs, nil // a tech spec references requirements; it defines none
	}
	seen := map[string]bool{}
	add := func(id, key, text string, sp Span, implicit bool) {
		if seen[key] {
			return
		}
		seen[key] = true
		reqs = append(reqs, &Requirement{ID: id, Key: key, Text: text, Span: sp, Section: d.SectionAt(sp.Start), Implicit: implicit})
	}
	// ID-led list items, table rows and headings define their ID.
	lead := func(text string) (string, string) {
		t := strings.TrimLeft(text, "*_`[ ")
		if end, key := idAtWith([]byte(t), 0, prefixes); end > 0 {
			return t[:end], key
		}
		return "", ""
	}
	for _, h := range d.Headings {
		if id, key := lead(h.Title); id != "" {
			add(id, key, h.Title, h.Heading, false)
		} else if p := numberedPrefix(h.Parent); p != "" {
			// "### 1. Draft as a Job Stage" under Core Features: a numbered
			// feature, its bullets the body.
			if m := numberedHeading.FindStringSubmatch(h.Title); m != nil {
				n, _ := strconv.Atoi(m[1])
				id := p + "-" + strconv.Itoa(n)
				add(id, id, h.Title, h.Heading, true)
			}
		}
	}
	for _, it := range d.Items {
		if id, key := lead(it.Text); id != "" {
			add(id, key, it.Text, it.Span, false)
		} else if it.Ordered && it.Depth == 0 && it.Section != nil {
			if p := numberedPrefix(it.Section); p != "" {
				id := p + "-" + strconv.Itoa(it.Number)
				add(id, id, it.Text, it.Span, true)
			}
		}
	}
	for _, t := range d.Tables {
		for _, row := range t.Rows {
			if len(row) > 0 {
				if id, key := lead(row[0].Text); id != "" {
					var parts []string
					for _, c := range row[1:] {
						parts = append(parts, c.Text)
					}
					ls, le := lineBounds(d.Text, row[0].Span.Start)
					add(id, key, strings.Join(parts, " — "), Span{ls, le}, false)
				}
			}
		}
	}
	return refs, reqs
}

// numberedHeading is a heading that leads with its number: "1. Draft as a
// Job Stage", "2) Search".
var numberedHeading = lazyregexp.New(`^0*([1-9]\d*)[.)]\s`)

// numberedPrefix returns the ID prefix that items of a numbered list
// directly under section s get: FR for functional requirements and
// features, NFR for non-functional ones, "" when s holds no requirements.
// Only s itself counts, never the document's title: "Product Requirements
// Document" does not make Goals or rollout steps requirements.
func numberedPrefix(s *Section) string {
	if s != nil && s.Level > 1 {
		n := s.MatchKey
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
