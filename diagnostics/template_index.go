package diagnostics

import (
	"sync"

	"github.com/specls/specls/spec"
)

// templateIndex is what the template match and the placeholder scan read
// of one template, prepared once per template rather than once per
// document: a template does not change once built, and every document of
// its kind is checked against it.
type templateIndex struct {
	// byKey lists, per MatchKey, the template sections a heading can match
	// exactly (level 2 and below, not variable), in template order.
	byKey map[string][]*spec.TemplateSection
	// lead is leadPart of each such section: the part of its title a
	// joined heading may name it by.
	lead map[*spec.TemplateSection]string
	// lines holds, per section below the title with a body, the keys of
	// the body lines a document may have copied; absent when none.
	lines map[*spec.TemplateSection]*lineKeys
}

// lineKeys is one template section's body lines, as the placeholder scan
// looks them up.
type lineKeys struct {
	keys map[string]bool // bodyLines
	// prefixes holds the keyPrefix of each key: a line whose key starts
	// with none of them cannot be a copy, and is not normalised whole
	// (mayBeKey).
	prefixes map[string]bool
	// lead is a bit set of the keys' first two bytes (a key is 8 bytes or
	// more), hashed: a cheaper first test than a prefix.
	lead [leadBits / 64]uint64
}

const leadBits = 1024

func leadBit(a, b byte) uint { return (uint(a)*37 + uint(b)) % leadBits }

func (lk *lineKeys) hasLead(a, b byte) bool {
	i := leadBit(a, b)
	return lk.lead[i/64]&(1<<(i%64)) != 0
}

func newTemplateIndex(t *spec.Template) *templateIndex {
	x := &templateIndex{
		byKey: map[string][]*spec.TemplateSection{},
		lead:  map[*spec.TemplateSection]string{},
		lines: map[*spec.TemplateSection]*lineKeys{},
	}
	for _, ts := range t.Sections {
		if ts.Level > 1 && !ts.Variable {
			x.byKey[ts.MatchKey] = append(x.byKey[ts.MatchKey], ts)
			x.lead[ts] = leadPart(ts)
		}
		if ts.Level > 1 && ts.Body != "" {
			if lk := newLineKeys(ts.Body); lk != nil {
				x.lines[ts] = lk
			}
		}
	}
	return x
}

// newLineKeys returns the line keys of a template body, or nil when no
// line is worth recognising (then no line of the section is a copy).
func newLineKeys(body string) *lineKeys {
	return lineKeysOf(bodyLines(body))
}

// lineKeysOf returns the lookup of keys, or nil when there are none.
func lineKeysOf(keys map[string]bool) *lineKeys {
	if len(keys) == 0 {
		return nil
	}
	lk := &lineKeys{keys: keys, prefixes: make(map[string]bool, len(keys))}
	for k := range keys {
		lk.prefixes[keyPrefix(k)] = true
		if len(k) >= 2 {
			i := leadBit(k[0], k[1])
			lk.lead[i/64] |= 1 << (i % 64)
		}
	}
	return lk
}

// maxIndexes bounds the templates whose index is kept. The built-in ones
// are a handful; a language server that reloads a workspace's own
// templates makes a new Template each time, and the old ones must not be
// kept alive for ever. Past the bound the cache starts over.
const maxIndexes = 32

var indexes struct {
	sync.Mutex
	m map[*spec.Template]*templateIndex
}

// indexOf returns t's index, built on first use. Checks of several
// features run at once, hence the lock (held for a map lookup; an index
// takes tens of microseconds to build, once).
func indexOf(t *spec.Template) *templateIndex {
	if len(t.Sections) == 0 {
		return newTemplateIndex(t) // nothing to keep: a fixer's empty stand-in
	}
	indexes.Lock()
	defer indexes.Unlock()
	if x := indexes.m[t]; x != nil {
		return x
	}
	if indexes.m == nil || len(indexes.m) >= maxIndexes {
		indexes.m = map[*spec.Template]*templateIndex{}
	}
	x := newTemplateIndex(t)
	indexes.m[t] = x
	return x
}
