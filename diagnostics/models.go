package diagnostics

import (
	"github.com/specls/specls/arch"
	"github.com/specls/specls/spec"
)

// Models keeps one architecture model per document version, for a caller
// that checks a feature and then fixes it (fix-all): the model the check
// built, its graph read and its names matched, serves the fixes' generators
// instead of a second one. Like arch.Model, not safe for concurrent use.
type Models map[*spec.Document]*arch.Model

// ArchOf returns the architecture model of d: the one kept in in.Models
// (made on first use), else a fresh one.
func (in Input) ArchOf(d *spec.Document) *arch.Model {
	if in.Models == nil {
		return arch.Of(d)
	}
	m := in.Models[d]
	if m == nil {
		m = arch.Of(d)
		in.Models[d] = m
	}
	return m
}

// Forget drops the model of old, a version of a document that a later
// one replaced (fix-all's next round). Nothing is handed to the next
// version's model: a Matcher keeps the names of the graph it was first
// given (Matcher.UseGraph, by node index), and the next diagram may be
// another graph; a large graph's names are shared by the parsed graph
// itself, so the next check does not compute them again.
func (ms Models) Forget(old *spec.Document) {
	delete(ms, old)
}
