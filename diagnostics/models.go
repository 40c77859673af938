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

// Carry hands the name matching of old's model to next, a later version of
// the same document (fix-all's next round), and forgets old's model. What a
// Matcher keeps depends on the text of each name and on each graph node's
// ID and label alone, and a diagram that did not change is the same parsed
// graph in both versions (mermaid shares it by its text): the next check
// finds the names and nodes of the unchanged parts already matched.
func (ms Models) Carry(old, next *spec.Document) {
	m := ms[old]
	if m == nil {
		return
	}
	delete(ms, old)
	n := arch.Of(next)
	n.Names = m.Names
	ms[next] = n
}
