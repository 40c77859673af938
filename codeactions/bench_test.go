package codeactions

import (
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// BenchmarkFor is one code-action request on the failing tech spec with
// every kind asked for: the quick fixes at a cursor, the source actions
// and fix-all (settled in memory).
func BenchmarkFor(b *testing.B) {
	a := readArchive(b, "testdata/fixall/derived-graph.txtar")
	in, d := techSpec(a.files["_techspec.md"])
	findings := diagnostics.Check(in)
	cursor := d.Find("Communication Matrix")[0].Span
	b.ResetTimer()
	for b.Loop() {
		For(Request{Input: in, Findings: findings, Doc: d, Span: spec.Span{Start: cursor.Start, End: cursor.Start}})
	}
}

// BenchmarkFixAll fixes the failing feature in memory, as --fix does.
func BenchmarkFixAll(b *testing.B) {
	a := readArchive(b, "testdata/fixall/derived-graph.txtar")
	in, _ := techSpec(a.files["_techspec.md"])
	b.ResetTimer()
	for b.Loop() {
		if _, err := FixAll(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}
