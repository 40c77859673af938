package lsptest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// spanOf maps a range as a mapper of the whole text does, in every
// encoding, on texts with and without "\r", byte order marks, multi-byte
// characters, and positions past the end of a line and of the text.
func TestSpanOfIsTheMappers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		text := corpus.EdgeText(rng, i)
		lines := strings.Count(text, "\n") + strings.Count(text, "\r") + 1
		pos := func() protocol.Position {
			return protocol.Position{Line: uint32(rng.IntN(lines + 2)), Character: uint32(rng.IntN(12))}
		}
		for _, enc := range []spec.Encoding{spec.UTF8, spec.UTF16, spec.UTF32} {
			r := protocol.Range{Start: pos(), End: pos()}
			if rng.IntN(3) == 0 {
				r.End = r.Start
			}
			want, werr := spec.NewMapper([]byte(text)).RangeSpan(
				spec.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)},
				spec.Position{Line: int(r.End.Line), Character: int(r.End.Character)}, enc)
			got, gerr := spanOf(text, r, enc)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("spanOf(%q, %v, %v) = %v, %v; the mapper's %v, %v", text, r, enc, got, gerr, want, werr)
			}
		}
	}
}
