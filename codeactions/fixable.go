package codeactions

import "github.com/specls/specls/diagnostics"

// Fixable counts the findings that `specls check --fix` has a safe fix for
// (the first round's choice; later rounds may fix what these uncover).
// It asks only whether each fix exists: a table generator stops at the
// first row it would add (fixer.probe), so that counting 50,000 findings
// of a matrix that lacks 50,000 rows does not generate the rows.
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
				f.probe = true
			}
			if _, ok := f.safeFix(fd); ok {
				n++
			}
		}
	}
	return n
}
