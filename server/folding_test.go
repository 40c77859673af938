package server_test

import (
	"testing"

	"go.lsp.dev/protocol"
)

func TestFoldingRanges(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	folds := ed.Folding(techspec)
	starts := map[uint32]protocol.FoldingRange{}
	for _, f := range folds {
		if f.EndLine <= f.StartLine {
			t.Errorf("fold %+v does not span lines", f)
		}
		starts[f.StartLine] = f
	}
	for _, tt := range []struct {
		line string
		last string
	}{
		{"```mermaid", "```"},
		{"| From | To | Protocol | Pattern |", "| Identity | Mailer | Kafka | Pub-Sub |"},
		{"## Service Definitions", "Sends reset emails."},
	} {
		at := ed.Pos(techspec, tt.line).Line
		f, ok := starts[at]
		if !ok {
			t.Errorf("no fold starts at %q (line %d)", tt.line, at)
			continue
		}
		r := protocol.Range{Start: protocol.Position{Line: f.EndLine}, End: protocol.Position{Line: f.EndLine, Character: 200}}
		if got := ed.Slice(techspec, r); got != tt.last {
			t.Errorf("fold from %q ends at %q, want %q", tt.line, got, tt.last)
		}
	}
}
