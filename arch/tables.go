package arch

import (
	"slices"
	"strings"
	"sync"

	"github.com/specls/specls/spec"
)

// MatrixRow is one row of the Communication Matrix.
type MatrixRow struct {
	From, To, Protocol, Pattern spec.Cell
	Span                        spec.Span // the row's line, trimmed
}

// Matrix returns the rows of the Communication Matrix: every table whose
// header has From and To columns (or Source/Target, Caller/Callee). It
// returns the tables found too (nil when none).
func Matrix(d *spec.Document) ([]MatrixRow, []*spec.Table) {
	return matrixIn(d, &tableKeys{d: d})
}

// matrixIn is Matrix given the document's tables' header keys.
func matrixIn(d *spec.Document, keys *tableKeys) ([]MatrixRow, []*spec.Table) {
	var rows []MatrixRow
	var tables []*spec.Table
	for i, t := range d.Tables {
		hk := keys.of(i)
		from := Column(hk, "from", "source", "caller", "producer", "client")
		to := Column(hk, "to", "target", "callee", "consumer", "server")
		if from < 0 || to < 0 {
			continue
		}
		tables = append(tables, t)
		rows = slices.Grow(rows, len(t.Rows)) // a matrix may have 50,000 rows
		proto := Column(hk, "protocol", "transport", "protocol transport", "via")
		pattern := Column(hk, "pattern", "style", "interaction", "communication pattern")
		for _, r := range t.Rows {
			mr := MatrixRow{From: CellAt(r, from), To: CellAt(r, to), Protocol: CellAt(r, proto), Pattern: CellAt(r, pattern), Span: RowSpan(d, r)}
			if mr.From.Text == "" && mr.To.Text == "" {
				continue
			}
			rows = append(rows, mr)
		}
	}
	return rows, tables
}

// OwnershipRow is one row of the Data Ownership table. A row may name
// several services ("Auth, Profile"): they share its database.
type OwnershipRow struct {
	Service, Database, Domain spec.Cell
	Services                  []string // the names in the Service cell
	Span                      spec.Span
}

// Ownership returns the rows of the Data Ownership tables: tables with a
// Service column and a Database (or Data Store) column.
func Ownership(d *spec.Document) ([]OwnershipRow, []*spec.Table) {
	return ownershipIn(d, &tableKeys{d: d})
}

// ownershipIn is Ownership given the document's tables' header keys.
func ownershipIn(d *spec.Document, keys *tableKeys) ([]OwnershipRow, []*spec.Table) {
	var rows []OwnershipRow
	var tables []*spec.Table
	for i, t := range d.Tables {
		hk := keys.of(i)
		svc := Column(hk, "service", "owner", "owning service", "owner service")
		db := Column(hk, "database", "data store", "datastore", "store", "db", "storage")
		if svc < 0 || db < 0 {
			continue
		}
		tables = append(tables, t)
		rows = slices.Grow(rows, len(t.Rows))
		dom := Column(hk, "data domain", "domain", "data", "owns", "entities")
		for _, r := range t.Rows {
			or := OwnershipRow{Service: CellAt(r, svc), Database: CellAt(r, db), Domain: CellAt(r, dom), Span: RowSpan(d, r)}
			if or.Service.Text == "" {
				continue
			}
			or.Services = SplitNames(or.Service.Text)
			rows = append(rows, or)
		}
	}
	return rows, tables
}

// NoDatabase reports whether a database cell says the service owns no
// data: "none", "n/a", "stateless", "none (stateless)".
func NoDatabase(cell string) bool {
	n := spec.Normalize(cell)
	return noDataWords[n] || strings.HasPrefix(n, "none ")
}

// DatabaseInstance names the database instance a database cell names,
// engine and name ("postgresql:orders" for "PostgreSQL (orders_db)"), or ""
// when the cell names only an engine ("PostgreSQL"): then no sharing can be
// told.
func DatabaseInstance(cell string) string {
	n := spec.Normalize(cell)
	if noDataWords[n] || strings.HasPrefix(n, "none ") { // NoDatabase
		return ""
	}
	engine := ""
	var rest []string
	for _, w := range strings.Fields(n) {
		if e := engineOfWord(w); e != "" {
			if engine == "" {
				engine = e
			}
			continue
		}
		if !databaseRoleWords[w] {
			rest = append(rest, w)
		}
	}
	if len(rest) == 0 {
		return ""
	}
	switch r := strings.Join(rest, " "); r {
	case "none", "n a", "na", "stateless", "no", "nothing":
		return ""
	default:
		return engine + ":" + r
	}
}

// engineOfWord returns the lower-cased engine a normalised word names, or "".
func engineOfWord(w string) string { return engineWords()[w] }

// engineWords maps each word of databaseEngines to the lower-cased name of
// the first engine that has it, made once.
var engineWords = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, e := range databaseEngines {
		for _, x := range e.Words {
			if _, ok := m[x]; !ok {
				m[x] = strings.ToLower(e.Name)
			}
		}
	}
	return m
})

// DatabaseEngine returns the first database engine text names that the
// Data Ownership generator proposes ("PostgreSQL" for "asyncpg pool on
// postgres"), or "".
func DatabaseEngine(text string) string {
	best, at := "", -1
	for i, e := range databaseEngines {
		if !e.Proposed {
			continue
		}
		if loc := engineWordsRe[i].FindStringIndex(text); loc != nil && (at < 0 || loc[0] < at) {
			best, at = e.Name, loc[0]
		}
	}
	return best
}

// TrimEngineSuffix drops " in PostgreSQL" from the end of a schema line.
func TrimEngineSuffix(s string) string {
	if loc := engineSuffix.FindStringIndex(s); loc != nil && loc[0] > 0 {
		return s[:loc[0]]
	}
	return s
}
