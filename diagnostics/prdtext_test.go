package diagnostics

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// blankInline jumps to the next backtick or bracket outside code; it must
// blank what the byte-by-byte loop it replaced blanked.
func TestBlankInlineSameAsByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"`", "]", "(", ")", "](", "a", " ", "\n", "[x](y)", "``"}
	for n := 0; n < 20000; n++ {
		var b []byte
		for range rng.IntN(20) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		got, want := bytes.Clone(b), bytes.Clone(b)
		blankInline(got)
		byteLoopBlank(want)
		if !bytes.Equal(got, want) {
			t.Fatalf("text %q: blankInline %q, the byte loop %q", b, got, want)
		}
	}
}

// byteLoopBlank is blankInline as it was, one byte at a time.
func byteLoopBlank(b []byte) {
	inCode := false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '`':
			inCode = !inCode
			b[i] = ' '
		case b[i] == '\n':
			inCode = false
		case inCode:
			b[i] = ' '
		case b[i] == ']' && i+1 < len(b) && b[i+1] == '(':
			j := i + 1
			for j < len(b) && b[j] != ')' && b[j] != '\n' {
				b[j] = ' '
				j++
			}
			i = j
		}
	}
}
