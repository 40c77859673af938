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
	// for it (see rowKeys): fillTable tests is only on rows that do, so
	// that completing a table of thousands of rows stays linear.
	keys []uint64
}

// rowsFunc generates rows; existing holds the author's rows of the table
// being completed (nil for a new table), whose naming the rows follow.
type rowsFunc func(existing [][]string) []genRow

// matrixKeys are the keys of a matrix row: its From and To names' keys,
// paired (arch.PairKeys).
func (f *fixer) matrixKeys(r []string) []uint64 {
	m := &f.model().Names
	return arch.PairKeyIDs(m.NameKeyIDs(r[0]), m.NameKeyIDs(r[1]))
}

// ownershipKeys are the keys of a Data Ownership row: its service's.
func (f *fixer) ownershipKeys(r []string) []uint64 {
	return arch.KeyIDs(f.model().Names.NameKeyIDs(r[0]))
}

// matrixRows gives one row per graph edge, the protocol from the edge
// label. Nodes are named by their labels, or by their IDs when the
// author's rows name them so.
func (f *fixer) matrixRows(existing [][]string) []genRow {
	g := f.artifacts().graph
	if g == nil {
		return nil
	}
	byID := false
	rowKeys := map[string]bool{}
	m := &f.model().Names
	key := func(s string) string { return m.KeyVariants(s)[0] } // nameKey, memoised
	for _, r := range existing {
		rowKeys[key(r[0])] = true
	}
	for _, n := range g.nodes {
		if k := key(n.ID); rowKeys[k] && k != key(n.Label) {
			byID = true
			break
		}
	}
	name := func(n *gnode) string {
		if byID {
			return n.ID
		}
		return n.Label
	}
	rows := make([]genRow, 0, len(g.edges))
	// Thousands of edges share a few labels: the protocol of each label
	// and the pattern of each protocol are worked out once.
	protoOf, patternOf := map[string]string{}, map[string]string{}
	for _, e := range g.edges {
		if (e.to.store && e.to.svc == nil) || (e.from.store && e.from.svc == nil) {
			continue // data access, not communication
		}
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
		rows = append(rows, genRow{
			cells: []string{name(e.from), name(e.to), proto, pat},
			is:    func(r []string) bool { return f.named(r[0], e.from) && f.named(r[1], e.to) },
			keys:  arch.PairKeyIDs(m.NodeKeyIDs(e.from.nameNode()), m.NodeKeyIDs(e.to.nameNode())),
		})
	}
	return rows
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
