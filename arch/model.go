package arch

import (
	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// Model is the architecture of one tech spec, each artifact parsed on first
// use and kept: a check or a code-action request asks for the same table
// many times. A Model belongs to one document version (documents are
// immutable) and is not safe for concurrent use.
type Model struct {
	Doc *spec.Document

	// Names memoises name matching for this document's names.
	Names Matcher

	services       []*Service
	serviceSection *spec.Section
	flowcharts     []*DepGraph
	graph          *DepGraph
	matrix         []MatrixRow
	matrixTables   []*spec.Table
	ownership      []OwnershipRow
	ownerTables    []*spec.Table
	libraries      []*Library
	libSection     *spec.Section
	phases         []Phase
	keys           tableKeys // the tables' header keys, shared by the readers of tables
	done           uint16
}

const (
	doneServices = 1 << iota
	doneGraph
	doneMatrix
	doneOwnership
	doneLibraries
	donePhases
)

// Of returns the model of a tech spec; nothing is parsed yet.
func Of(d *spec.Document) *Model {
	m := &Model{Doc: d, keys: tableKeys{d: d}}
	// Names numbers keys after the dependency graph's (UseGraph), so the
	// graph is read before the first key is numbered.
	m.Names.beforeNumbering = func() { m.Graph() }
	return m
}

func (m *Model) once(bit uint16) bool {
	if m.done&bit != 0 {
		return false
	}
	m.done |= bit
	return true
}

// Services returns the services of Service Definitions and that section.
func (m *Model) Services() ([]*Service, *spec.Section) {
	if m.once(doneServices) {
		m.services, m.serviceSection = Services(m.Doc)
	}
	return m.services, m.serviceSection
}

// Graph returns the dependency graph (nil when none) and every flowchart.
func (m *Model) Graph() (*DepGraph, []*DepGraph) {
	if m.once(doneGraph) {
		m.flowcharts = Flowcharts(m.Doc)
		m.graph = PickGraph(m.Doc, m.flowcharts)
		m.Names.UseGraph(m.graph.OK())
	}
	return m.graph, m.flowcharts
}

// Matrix returns the Communication Matrix rows and tables.
func (m *Model) Matrix() ([]MatrixRow, []*spec.Table) {
	if m.once(doneMatrix) {
		m.matrix, m.matrixTables = matrixIn(m.Doc, &m.keys)
	}
	return m.matrix, m.matrixTables
}

// Ownership returns the Data Ownership rows and tables.
func (m *Model) Ownership() ([]OwnershipRow, []*spec.Table) {
	if m.once(doneOwnership) {
		m.ownership, m.ownerTables = ownershipIn(m.Doc, &m.keys)
	}
	return m.ownership, m.ownerTables
}

// Libraries returns the libraries and the Libraries Assessment section.
func (m *Model) Libraries() ([]*Library, *spec.Section) {
	if m.once(doneLibraries) {
		m.libSection = LibrariesSection(m.Doc)
		m.libraries = librariesIn(m.Doc, m.libSection, &m.keys)
	}
	return m.libraries, m.libSection
}

// Phases returns the deployment phases.
func (m *Model) Phases() []Phase {
	if m.once(donePhases) {
		m.phases = Phases(m.Doc)
	}
	return m.phases
}

// NodeService returns the service graph node n stands for, or nil.
func (m *Model) NodeService(n *mermaid.Node) *Service {
	svcs, _ := m.Services()
	if n == nil {
		return nil
	}
	for _, s := range svcs {
		if m.Names.NamesNode(s.Name, n) {
			return s
		}
	}
	return nil
}
