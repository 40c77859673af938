package diagnostics

import (
	"bytes"
	"math/rand"
	"testing"
)

// TestLowerASCIIInto: the eight-bytes-at-a-time lowering is the table's, for
// every byte value in every lane and at every length.
func TestLowerASCIIInto(t *testing.T) {
	ref := func(src []byte) []byte {
		out := make([]byte, len(src))
		for i, b := range src {
			out[i] = asciiLower[b]
		}
		return out
	}
	check := func(src []byte) {
		t.Helper()
		got := make([]byte, len(src))
		lowerASCIIInto(got, src)
		if want := ref(src); !bytes.Equal(got, want) {
			t.Fatalf("lowerASCIIInto(%q) = %q, want %q", src, got, want)
		}
	}
	for b := range 256 {
		for lane := range 8 {
			src := []byte("aZ@[`{\xff\x80")
			src[lane] = byte(b)
			check(src)
		}
		check([]byte{byte(b)})
	}
	r := rand.New(rand.NewSource(1))
	for n := range 100 {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(r.Intn(256))
		}
		check(src)
	}
}
