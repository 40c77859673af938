package server

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

func rng(l1, c1, l2, c2 uint32) protocol.Range {
	return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
}

func TestApplyChanges(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		enc     spec.Encoding
		changes []protocol.TextDocumentContentChangeEvent
		want    string
		bad     bool
	}{
		{"insert ascii", "ab\ncd\n", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(1, 1, 1, 1), Text: "X"}}, "ab\ncXd\n", false},
		{"emoji counts two UTF-16 units", "😀b\n", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 2, 0, 3), Text: "B"}}, "😀B\n", false},
		{"emoji counts four UTF-8 bytes", "😀b\n", spec.UTF8, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 4, 0, 5), Text: "B"}}, "😀B\n", false},
		{"CJK is one UTF-16 unit, three bytes", "日本語\n", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 1, 0, 2), Text: "x"}}, "日x語\n", false},
		{"CJK in UTF-8", "日本語\n", spec.UTF8, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 3, 0, 6), Text: "x"}}, "日x語\n", false},
		{"CRLF line breaks", "a\r\nb\r\nc", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(1, 0, 2, 0), Text: ""}}, "a\r\nc", false},
		{"changes apply in order", "abc", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 0, 0, 1), Text: "xy"},
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 2, 0, 3), Text: "Z"}}, "xyZc", false},
		{"whole document", "old", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangeWholeDocument{Text: "new"}}, "new", false},
		{"character past the line end clamps to it", "ab\ncd", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(0, 9, 0, 9), Text: "!"}}, "ab!\ncd", false},
		{"line past the end appends and reports", "ab", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(5, 0, 5, 0), Text: "!"}}, "ab!", true},
		{"insert after the final line break", "ab\n", spec.UTF16, []protocol.TextDocumentContentChangeEvent{
			&protocol.TextDocumentContentChangePartial{Range: rng(1, 0, 1, 0), Text: "c"}}, "ab\nc", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyChanges([]byte(tt.text), tt.changes, tt.enc)
			if string(got) != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
			if bad := errors.Is(err, errPosition); bad != tt.bad {
				t.Errorf("error %v, want a position error: %v", err, tt.bad)
			}
		})
	}
}

// An edit's positions map as a mapper of the whole text maps them, in
// every encoding, on texts with and without "\r", byte order marks,
// multi-byte characters, and positions past the end of a line and of the
// text: the line-alone path changes no offset and no error.
func TestOffsetIsTheMappers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		text := []byte(corpus.EdgeText(r, i))
		lines := bytes.Count(text, []byte("\n")) + bytes.Count(text, []byte("\r")) + 1
		for _, enc := range []spec.Encoding{spec.UTF8, spec.UTF16, spec.UTF32} {
			p := protocol.Position{Line: uint32(r.IntN(lines + 2)), Character: uint32(r.IntN(12))}
			want, werr := spec.NewMapper(text).PositionOffset(spec.Position{Line: int(p.Line), Character: int(p.Character)}, enc)
			if werr != nil {
				want = len(text)
			}
			var m *spec.Mapper
			got, gerr := changeOffset(text, &m, p, enc)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("changeOffset(%q, %v, %v) = %d, %v; the mapper's %d, %v", text, p, enc, got, gerr, want, werr)
			}
		}
	}
}
