package codeactions

import (
	"fmt"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// versionAfterOp matches a lower-bound or exact constraint and its version:
// ">= 0.100.0", "==0.100", "~=1.2", "^0.9".
var versionAfterOp = lazyregexp.New(`(>=|==|~=|\^|~|>)\s*v?(\d+(?:\.\d+)*(?:[a-z]+\d*)?)`)

// bareVersion matches a version alone.
var bareVersion = lazyregexp.New(`^v?\d+(?:\.\d+)*(?:[a-z]+\d*)?$`)

// raiseLibrary raises a core-stack library's constraint to its approved
// minimum (Data.Want), replacing the version only: the operator and
// everything around it stay. An upper bound below the minimum ("< 0.100")
// is not rewritten: that needs the author's decision.
func (f *fixer) raiseLibrary(fd diagnostics.Finding) []Action {
	want := fd.Data.Want
	if want == "" {
		return nil
	}
	text := fd.Span.Text(f.t.src)
	var span spec.Span
	newText := want
	switch {
	case bareVersion.MatchString(text):
		// A bare version pins it: the fix writes what the message asks
		// for, a lower bound.
		span, newText = fd.Span, ">="+want
	default:
		m := versionAfterOp.FindAllStringSubmatchIndex(text, -1)
		if len(m) == 0 {
			return nil
		}
		last := m[len(m)-1]
		span = spec.Span{Start: fd.Span.Start + last[4], End: fd.Span.Start + last[5]}
		if op := text[last[2]:last[3]]; op == "==" {
			// "==1.10.13" pins an old version: ">= 2.5.0", as the message says.
			span.Start = fd.Span.Start + last[2]
			newText = ">=" + text[last[3]:last[4]] + want
		}
	}
	name := fd.Data.Target
	if name == "" {
		name = "the library"
	}
	return []Action{{
		Title:     fmt.Sprintf("Raise %s to %s", name, want),
		Preferred: true,
		Safe:      true,
		Edits:     []Edit{{Path: f.doc.Path, Span: span, NewText: newText}},
	}}
}
