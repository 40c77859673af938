package codeactions

import (
	"strings"

	"github.com/specls/specls/arch"
)

// --- Communication matrix --------------------------------------------------

var matrixCols = []string{"From", "To", "Protocol", "Pattern"}

// genRow is a generated table row and the test that tells whether an
// existing row (its cells in the generator's column order) stands for it.
type genRow struct {
	cells []string
	is    func(existing []string) bool
	// keys are the numbered name keys an existing row must share to stand
	// for it (see rowsIndex): fillTable tests is only on rows that do, so
	// that completing a table of thousands of rows stays linear.
	keys []uint64
	// from and to are the edge's nodes, for a matrix row.
	from, to *gnode
}

// rowsFunc generates rows; existing holds the author's rows of the table
// being completed (nil for a new table), whose naming the rows follow.
type rowsFunc func(existing [][]string) rowList

// rowList is n generated rows, each made when asked for (row): the
// fixable count asks for the first few of 50,000 (fixer.probe).
type rowList struct {
	n   int
	row func(i int) genRow
}

func rowsOf(rows []genRow) rowList {
	return rowList{n: len(rows), row: func(i int) genRow { return rows[i] }}
}

// all makes every row.
func (l rowList) all() []genRow {
	out := make([]genRow, l.n)
	for i := range out {
		out[i] = l.row(i)
	}
	return out
}

// matrixRowsIndex files the rows of a Communication Matrix by the keys of
// their From and To names (arch.PairKeyIDs) and tests them with each
// cell's arch.Name, made once per row: a table of 50,000 rows is not
// 100,000 names memoised in the Matcher's maps. It answers as the
// generated rows' is (NamesNode on From and To) and the keys of
// NameKeyIDs would: a key that no graph node has is not numbered (Name
// leaves it out), and no generated row has it either, since the graph's
// keys are all numbered before a row is filed (fillTable); the cell's
// case-folded text is left out when it has a space, as no node ID has one.
type matrixRowsIndex struct {
	m     *arch.Matcher
	names [][2]arch.Name // by row
	ids   []int32        // the Names' keys, in one array
	// last is the Names of the row tested last (test), which file takes
	// for the same cells: a row is tested before it is added.
	last    [2]arch.Name
	hasLast bool
}

func (f *fixer) newMatrixRowsIndex(rows int) rowsIndex {
	// A name has a few keys: its variants and its folded text.
	return &matrixRowsIndex{m: &f.model().Names, names: make([][2]arch.Name, 0, rows), ids: make([]int32, 0, 6*rows)}
}

func (x *matrixRowsIndex) namesOf(r []string) [2]arch.Name {
	if x.hasLast && x.last[0].Text == r[0] && x.last[1].Text == r[1] {
		return x.last
	}
	var nm [2]arch.Name
	nm[0], x.ids = x.m.Name(r[0], x.ids)
	nm[1], x.ids = x.m.Name(r[1], x.ids)
	return nm
}

func (x *matrixRowsIndex) file(r []string) []uint64 {
	nm := x.namesOf(r)
	x.names = append(x.names, nm)
	return arch.PairKeyIDs(nm[0].Keys, nm[1].Keys)
}

func (x *matrixRowsIndex) stands(i int, g *genRow) bool {
	return x.namesNodes(&x.names[i], g)
}

func (x *matrixRowsIndex) test(r []string, g *genRow) bool {
	x.last, x.hasLast = x.namesOf(r), true
	return x.namesNodes(&x.last, g)
}

func (x *matrixRowsIndex) namesNodes(nm *[2]arch.Name, g *genRow) bool {
	return x.m.NameNamesNode(&nm[0], g.from.nameNode()) && x.m.NameNamesNode(&nm[1], g.to.nameNode())
}

// newOwnershipRowsIndex files Data Ownership rows by their service's keys.
func (f *fixer) newOwnershipRowsIndex(int) rowsIndex {
	return &cellsIndex{keys: func(r []string) []uint64 { return arch.KeyIDs(f.model().Names.NameKeyIDs(r[0])) }}
}

// matrixRows gives one row per graph edge, the protocol from the edge
// label. Nodes are named by their labels, or by their IDs when the
// author's rows name them so.
func (f *fixer) matrixRows(existing [][]string) []genRow {
	return f.matrixRowList(existing).all()
}

// matrixRowList is matrixRows, each row made when asked for. The keys of
// every edge's nodes are numbered before it returns, as making every row
// would: the author's rows are filed after (matrixRowsIndex).
func (f *fixer) matrixRowList(existing [][]string) rowList {
	g := f.artifacts().graph
	if g == nil {
		return rowList{}
	}
	m := &f.model().Names
	// Rows name nodes by ID when one of the author's From cells has the
	// key of a node's ID but not of its label. The nodes' keys are the
	// Matcher's already (NodeVariants); the cells' are worked out here, not
	// memoised: a table of 50,000 rows would fill the Matcher's maps.
	byID := false
	if len(existing) > 0 {
		rowKeys := make(map[string]bool, len(existing))
		for _, r := range existing {
			rowKeys[arch.ServiceKey(r[0])] = true
		}
		for _, n := range g.nodes {
			id, label := m.NodeVariants(n.nameNode())
			if k := id[0]; rowKeys[k] && k != label[0] {
				byID = true
				break
			}
		}
	}
	name := func(n *gnode) string {
		if byID {
			return n.ID
		}
		return n.Label
	}
	edges := make([]*gedge, 0, len(g.edges))
	for _, e := range g.edges {
		if (e.to.store && e.to.svc == nil) || (e.from.store && e.from.svc == nil) {
			continue // data access, not communication
		}
		edges = append(edges, e)
		m.NodeKeyIDs(e.from.nameNode())
		m.NodeKeyIDs(e.to.nameNode())
	}
	// Thousands of edges share a few labels: the protocol of each label
	// and the pattern of each protocol are worked out once.
	protoOf, patternOf := map[string]string{}, map[string]string{}
	row := func(i int) genRow {
		e := edges[i]
		// The protocol family the rules compare ("gRPC" for "gRPC stream").
		proto, ok := protoOf[e.label]
		if !ok {
			proto = arch.ProtocolOf(e.label)
			if proto == "" {
				proto = e.label
			}
			protoOf[e.label] = proto
		}
		if proto == "" {
			proto = defaultProtocol(e.to)
		}
		if proto == "" {
			proto = "unspecified"
		}
		pat, ok := patternOf[proto]
		if !ok {
			pat = pattern(proto)
			patternOf[proto] = pat
		}
		if e.streaming {
			pat = arch.PatternStreaming
		}
		return genRow{
			cells: []string{name(e.from), name(e.to), proto, pat},
			is:    func(r []string) bool { return f.named(r[0], e.from) && f.named(r[1], e.to) },
			keys:  arch.PairKeyIDs(m.NodeKeyIDs(e.from.nameNode()), m.NodeKeyIDs(e.to.nameNode())),
			from:  e.from,
			to:    e.to,
		}
	}
	return rowList{n: len(edges), row: row}
}

// pattern names the interaction style of a protocol.
func pattern(proto string) string {
	switch {
	case strings.Contains(strings.ToLower(proto), "stream"):
		return arch.PatternStreaming
	case arch.MessagingPattern(proto):
		return arch.PatternPubSub
	}
	return arch.PatternRequestReply
}
