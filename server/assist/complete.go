package assist

import (
	"fmt"
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"

	"github.com/specls/specls/spec"
)

// ItemKind says what a completion candidate is.
type ItemKind int

const (
	ItemHeading ItemKind = iota
	ItemService
	ItemValue
	ItemRequirement
)

// Item is one completion candidate: Insert replaces the bytes of Replace.
type Item struct {
	Label   string
	Kind    ItemKind
	Detail  string
	Doc     string // markdown
	Insert  string
	Replace spec.Span
	Filter  string // what the client filters on; "" means Label
	Sort    string
}

// Protocols and Patterns are the Communication Matrix values offered.
var (
	Protocols = arch.MatrixProtocols
	Patterns  = arch.MatrixPatterns
)

var headingLine = lazyregexp.New(`^ {0,3}(#{1,6})(?:[ \t]|$)`)

// Complete returns the candidates at off: template headings on a heading
// line, service names in tables and mermaid blocks, protocol and pattern
// values in the Communication Matrix, and requirement IDs.
func Complete(c Context, off int) []Item {
	d := c.Doc
	if d == nil || off < 0 || off > len(d.Text) {
		return nil
	}
	ln := lineAt(d.Text, off)
	line := d.Text[ln.Start:ln.End]
	if cb := codeAt(d, off); cb != nil {
		if cb.Lang == "mermaid" && off >= cb.Content.Start && off <= max(cb.Content.End, cb.Content.Start) {
			return mermaidItems(c, off)
		}
		return nil
	}
	if m := headingLine.FindSubmatchIndex(line); m != nil && off >= ln.Start+m[3] {
		return headingItems(c, ln, len(line[m[2]:m[3]]))
	}
	if items := requirementItems(c, off); len(items) > 0 {
		return items
	}
	if cell, ok := cellAt(d, off); ok && cell.Row >= 0 {
		return cellItems(c, cell)
	}
	return nil
}

func headingItems(c Context, ln spec.Span, level int) []Item {
	if c.Template == nil {
		return nil
	}
	present := map[*spec.TemplateSection]bool{}
	m := matchOf(c)
	for h, ts := range m {
		if h.Heading != ln { // the line being typed does not count as present
			present[ts] = true
		}
	}
	var out []Item
	for _, ts := range c.Template.Sections {
		if ts.Variable || ts.Level == 1 {
			continue
		}
		text := strings.Repeat("#", ts.Level) + " " + ts.Title
		sort := "1"
		detail := "template section"
		if ts.Optional {
			detail = "optional template section"
		}
		if present[ts] {
			sort = "3"
			detail += " (already present)"
		} else if ts.Level != level {
			sort = "2"
		}
		doc := trimMarkdown(ts.Body)
		if p := ts.Path(); strings.Contains(p, " > ") {
			doc = "Under " + p[:strings.LastIndex(p, " > ")] + ".\n\n" + doc
		}
		out = append(out, Item{
			Label:   ts.Title,
			Kind:    ItemHeading,
			Detail:  detail,
			Doc:     doc,
			Insert:  text,
			Replace: ln,
			Filter:  text,
			Sort:    fmt.Sprintf("%s-%03d", sort, ts.Index),
		})
	}
	return out
}

func matchOf(c Context) map[*spec.Section]*spec.TemplateSection {
	if c.Template == nil {
		return nil
	}
	return matchTemplate(c.Doc, c.Template)
}

var reqPrefix = lazyregexp.New(`(?i)\b(FR|NFR|US|UC|BR|REQ|AC)(-[\d.]*)?$`)

// requirementItems offers the PRD's requirement IDs where the text before
// the cursor starts one ("FR", "FR-", "nfr-1").
func requirementItems(c Context, off int) []Item {
	if c.Doc.Kind == spec.KindPRD || c.Feature == nil || c.Feature.PRD == nil {
		return nil
	}
	ln := lineAt(c.Doc.Text, off)
	before := c.Doc.Text[ln.Start:off]
	m := reqPrefix.FindIndex(before)
	if m == nil {
		return nil
	}
	typed := strings.ToUpper(string(before[m[0]:m[1]]))
	replace := spec.Span{Start: ln.Start + m[0], End: off}
	var out []Item
	for i, r := range c.Feature.PRD.Requirements {
		if !strings.HasPrefix(r.ID, typed) {
			continue
		}
		doc := r.Text
		if r.Section != nil {
			doc = r.Text + "\n\n— " + r.Section.Title + ", `_prd.md`"
		}
		out = append(out, Item{
			Label:   r.ID,
			Kind:    ItemRequirement,
			Detail:  oneLine(r.Text),
			Doc:     doc,
			Insert:  r.ID,
			Replace: replace,
			Sort:    fmt.Sprintf("%04d", i),
		})
	}
	return out
}

// cellItems offers values for a table cell by its column header.
func cellItems(c Context, cell Cell) []Item {
	t := cell.Table
	isMatrix := t.Column("from") >= 0 && t.Column("to") >= 0
	isOwnership := t.Column("service") >= 0 && t.Column("database") >= 0
	h := cell.Header()
	var values []string
	kind, detail := ItemValue, ""
	switch {
	case isMatrix && (h == "from" || h == "to"), isOwnership && h == "service":
		for _, s := range Services(c.Doc, c.Template) {
			values = append(values, s.Name)
		}
		kind, detail = ItemService, "service"
	case isMatrix && h == "protocol":
		values, detail = Protocols, "protocol"
	case isMatrix && h == "pattern":
		values, detail = Patterns, "communication pattern"
	}
	out := make([]Item, 0, len(values))
	for i, v := range values {
		out = append(out, Item{Label: v, Kind: kind, Detail: detail, Insert: v, Replace: cell.Content, Sort: fmt.Sprintf("%03d", i)})
	}
	return out
}

// mermaidItems offers service names as graph nodes: the ID a node for the
// service already has, else "ID[Name]".
func mermaidItems(c Context, off int) []Item {
	services := Services(c.Doc, c.Template)
	if len(services) == 0 {
		return nil
	}
	cb := codeAt(c.Doc, off)
	g := graphOf(c.Doc, cb)
	w := wordAt(c.Doc.Text, off)
	w.End = off // replace what was typed before the cursor
	var out []Item
	for i, s := range services {
		insert := ""
		if g != nil {
			for _, n := range g.Nodes {
				if arch.NamesNode(s.Name, n) {
					insert = n.ID
					break
				}
			}
		}
		if insert == "" {
			insert = nodeID(s.Name) + "[" + s.Name + "]"
		}
		out = append(out, Item{Label: s.Name, Kind: ItemService, Detail: "service → " + insert, Insert: insert, Replace: w, Filter: s.Name, Sort: fmt.Sprintf("%03d", i)})
	}
	return out
}

// nodeID makes a mermaid node ID from a service name: "Auth Service" -> "Auth".
func nodeID(name string) string {
	var sb strings.Builder
	for _, w := range strings.Fields(name) {
		if strings.EqualFold(w, "service") && sb.Len() > 0 {
			continue
		}
		for _, r := range w {
			if r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				sb.WriteRune(r)
			}
		}
	}
	if sb.Len() == 0 {
		return "Service"
	}
	return sb.String()
}
