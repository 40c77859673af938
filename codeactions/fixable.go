package codeactions

import "github.com/specls/specls/diagnostics"

// Fixable counts the findings that `specls check --fix` has a safe fix for
// (the first round's choice; later rounds may fix what these uncover).
func Fixable(in diagnostics.Input, findings []diagnostics.Finding) int {
	if in.Feature == nil {
		return 0
	}
	n := 0
	for _, doc := range in.Feature.Docs() {
		var f *fixer
		for _, fd := range findings {
			if fd.Path != doc.Path {
				continue
			}
			if f == nil {
				f = newFixer(in, doc)
				f.findings, f.hasFindings = findings, true
			}
			if _, ok := safeAction(f.actionsFor(fd)); ok {
				n++
			}
		}
	}
	return n
}
