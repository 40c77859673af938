package codeactions

import (
	"github.com/specls/specls/spec"
)

// generator derives one template section from what the spec already says.
type generator struct {
	title string // the template section it writes
	from  string // what it derives the content from, for action titles
	// children is true when body writes the section's subsections too.
	children bool
	// body returns the content of a new section (no heading), "" when
	// nothing can be derived. ts is the template section, nil when the
	// template has none.
	body func(f *fixer, ts *spec.TemplateSection) string
	// fill returns the edits that complete an existing section, nil when
	// there is nothing to add.
	fill func(f *fixer, sec *spec.Section) []Edit
}

var (
	genGraph = &generator{title: "Service Dependency Graph", from: "from the service definitions",
		body: graphBody, fill: fillGraph}
	genMatrix = &generator{title: "Communication Matrix", from: "from the graph edges",
		body: func(f *fixer, _ *spec.TemplateSection) string { return tableText(matrixCols, f.matrixRows(nil)) },
		fill: func(f *fixer, sec *spec.Section) []Edit {
			return f.fillTable(sec, matrixCols, f.matrixRowList, f.newMatrixRowsIndex)
		}}
	genOwnership = &generator{title: "Data Ownership", from: "from the services",
		body: func(f *fixer, _ *spec.TemplateSection) string { return tableText(ownershipCols, f.ownershipRows(nil)) },
		fill: func(f *fixer, sec *spec.Section) []Edit {
			return f.fillTable(sec, ownershipCols, func(e [][]string) rowList { return rowsOf(f.ownershipRows(e)) }, f.newOwnershipRowsIndex)
		}}
	genPhases = &generator{title: "Deployment Sequencing", from: "in dependency order",
		body: phasesBody, fill: fillPhases}
	genServices = &generator{title: "Service Definitions", from: "for the graph's services", children: true,
		body: servicesBody, fill: fillServices}
	genChecklist = &generator{title: "Python Production Checklist", from: "with every item",
		body: checklistBody, fill: fillChecklist}
	genProto = &generator{title: "Proto Definitions", from: "with a stub per service",
		body: protoBody, fill: fillProto}
)

// generators lists every deterministic generator.
var generators = []*generator{genGraph, genMatrix, genOwnership, genPhases, genServices, genChecklist, genProto}

// generatorFor returns the generator of a template section key, or nil.
func generatorFor(key string) *generator {
	for _, g := range generators {
		if spec.Normalize(g.title) == key {
			return g
		}
	}
	return nil
}
