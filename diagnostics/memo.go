package diagnostics

import (
	"strings"
	"sync"

	"github.com/specls/specls/spec"
)

// Memo keeps the findings of the rules that read one document alone (its
// template match, placeholders and, for a PRD, the PRD rules), keyed by
// the parsed document. A language server that re-checks a feature on
// every keystroke in the tech spec gets the PRD's findings back instead
// of recomputing them, as long as it hands the engine the same parsed PRD
// (spec.Cache does). A Memo belongs to one configuration and set of
// templates: make a new one when they change. It holds at most Size
// documents (16 when 0) and is safe for concurrent use.
type Memo struct {
	Size int

	mu    sync.Mutex
	byDoc map[*spec.Document][]Finding
	yaml  map[string]yamlResult // by block text: the blocks of the edited file
}

type yamlResult struct {
	msg  string
	line int
}

// yamlError is yamlError through the memo: a YAML block is decoded again
// only when its text changed.
func (m *Memo) yamlError(src string) (string, int) {
	if m == nil {
		return yamlError(src)
	}
	m.mu.Lock()
	r, ok := m.yaml[src]
	m.mu.Unlock()
	if ok {
		return r.msg, r.line
	}
	r.msg, r.line = yamlError(src)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.yaml == nil || len(m.yaml) >= 256 {
		m.yaml = map[string]yamlResult{}
	}
	m.yaml[strings.Clone(src)] = r // not a slice of the document: that would keep its text
	return r.msg, r.line
}

func (m *Memo) get(d *spec.Document) ([]Finding, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	fs, ok := m.byDoc[d]
	return fs, ok
}

func (m *Memo) put(d *spec.Document, fs []Finding) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byDoc == nil {
		m.byDoc = map[*spec.Document][]Finding{}
	}
	size := m.Size
	if size <= 0 {
		size = 16
	}
	if _, ok := m.byDoc[d]; !ok && len(m.byDoc) >= size {
		for k := range m.byDoc { // any one: the map's order is random
			delete(m.byDoc, k)
			break
		}
	}
	m.byDoc[d] = append([]Finding(nil), fs...)
}

// checkDocuments runs the one-document rules over every document of the
// feature, through the memo.
func checkDocuments(c *Context) {
	for _, d := range c.Feature.Docs() {
		if fs, ok := c.Memo.get(d); ok {
			c.findings = append(c.findings, fs...)
			continue
		}
		n := len(c.findings)
		checkTemplate(c, d)
		if d == c.Feature.PRD {
			checkPRD(c)
		}
		c.Memo.put(d, c.findings[n:])
	}
}
