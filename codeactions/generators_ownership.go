package codeactions

import (
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/internal/lazyregexp"
)

// --- Data ownership --------------------------------------------------------

var ownershipCols = []string{"Service", "Database", "Data Domain"}

func (f *fixer) ownershipRows([][]string) []genRow {
	a := f.artifacts()
	var rows []genRow
	for _, s := range a.services {
		s := s
		var node *gnode
		if a.graph != nil {
			for _, n := range a.graph.nodes {
				if n.svc == s {
					node = n
				}
			}
		}
		db, domain := f.database(s), f.dataDomain(s)
		switch {
		case statelessRe.MatchString(domain):
			db = "none (stateless)" // its schema line says so
		case arch.IsInfrastructure(s.Name) && !f.statesData(s):
			db, domain = "none (stateless)", "none" // a gateway, a front end: owns no data
		}
		rows = append(rows, genRow{
			cells: []string{s.Name, db, domain},
			is: func(r []string) bool {
				return f.sameName(r[0], s.Name) || node != nil && f.named(r[0], node)
			},
			keys: f.ownershipRowKeys(s, node),
		})
	}
	return rows
}

// ownershipRowKeys are the keys of the rows that may stand for a
// service's: its name's and its graph node's.
func (f *fixer) ownershipRowKeys(s *service, node *gnode) []uint64 {
	m := &f.model().Names
	keys := arch.KeyIDs(m.NameKeyIDs(s.Name))
	if node != nil {
		keys = append(keys, arch.KeyIDs(m.NodeKeyIDs(node.nameNode()))...)
	}
	return keys
}

// statelessRe matches a schema line that says the service keeps no data.
var statelessRe = lazyregexp.New(`(?i)^(none|n/?a|no database|nothing|stateless)\b`)

// statesData reports whether a service's section says anything about data
// it keeps: a database or schema line, an engine, a table.
func (f *fixer) statesData(s *service) bool {
	text := s.Section.Span.Text(f.doc.Text)
	if createTable.MatchString(text) || tableName.MatchString(text) {
		return true
	}
	if arch.DatabaseEngine(text) != "" {
		return true
	}
	for _, l := range strings.Split(text, "\n") {
		if schemaLine.MatchString(l) && !arch.IsDependencyLine(stripMarkup(strings.TrimLeft(l, " -*"))) {
			return true
		}
	}
	return false
}

var schemaLine = lazyregexp.New(`(?i)database|schema|\bdb\b|stor(e|age)|tables?|persist`)

// database names the store a service's section describes: an engine named
// on a database or schema line, else anywhere in the section, else the
// template's placeholder "[Database]" for the author to fill: a guess would
// be a made-up fact (and section-placeholder points at the gap).
func (f *fixer) database(s *service) string {
	text := s.Section.Span.Text(f.doc.Text)
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if schemaLine.MatchString(l) && !arch.IsDependencyLine(stripMarkup(strings.TrimLeft(l, " -*"))) {
			lines = append(lines, l)
		}
	}
	for _, scope := range []string{strings.Join(lines, "\n"), text} {
		if best := arch.DatabaseEngine(scope); best != "" {
			return best
		}
	}
	return "[Database]"
}

var (
	createTable = lazyregexp.New(`(?i)create\s+table\s+(?:if\s+not\s+exists\s+)?[` + "`" + `"']?(?:\w+\.)?(\w+)`)
	tableName   = lazyregexp.New(`__tablename__\s*=\s*["'](\w+)["']`)
	schemaItem  = lazyregexp.New(`(?i)^(database\s+)?schema[^:]*:\s*(.+)$`)
)

// dataDomain names the data a service owns: its tables, else what its
// "Database schema" line says, else the service's own name.
func (f *fixer) dataDomain(s *service) string {
	text := s.Section.Span.Text(f.doc.Text)
	var names []string
	seen := map[string]bool{}
	for _, re := range []*lazyregexp.Regexp{createTable, tableName} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			n := humanize(m[1])
			if !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				names = append(names, n)
			}
		}
	}
	if len(names) > 0 {
		return strings.Join(names, ", ")
	}
	for _, it := range f.doc.Items {
		if it.Span.Start < s.Section.Span.Start || it.Span.Start >= s.Section.Span.End {
			continue
		}
		if m := schemaItem.FindStringSubmatch(stripMarkup(it.Text)); m != nil && !placeholder.MatchString(m[2]) {
			d := strings.TrimRight(strings.TrimSpace(m[2]), ".")
			d = arch.TrimEngineSuffix(d)
			if d != "" {
				return strings.ToUpper(d[:1]) + d[1:]
			}
		}
	}
	name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s.Name, " Service"), " service"))
	return name + " data"
}

// humanize turns "user_sessions" into "User Sessions".
func humanize(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
