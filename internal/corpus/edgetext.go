package corpus

import (
	"math/rand/v2"
	"strings"
)

// edgeParts are what EdgeText joins: ASCII, two-, three- and four-byte
// runes (the last two UTF-16 units), a BOM and every line ending.
var edgeParts = [...]string{"a", "bc", " ", "é", "€", "😀", "\n", "\n", "\n", "\ufeff", "\r\n", "\r"}

// EdgeText returns the i-th of a series of short random texts for tests of
// position mapping: up to 40 parts drawn by r; every seventh text starts
// with a BOM, and the even ones have no "\r" at all, so that both a
// mapper's LF-only path and its CR path are taken. A test that holds a
// fast mapping to spec.Mapper draws its texts here.
func EdgeText(r *rand.Rand, i int) string {
	var sb strings.Builder
	if i%7 == 0 {
		sb.WriteString("\ufeff")
	}
	for range r.IntN(40) {
		p := edgeParts[r.IntN(len(edgeParts))]
		if i%2 == 0 && strings.Contains(p, "\r") {
			p = "\n"
		}
		sb.WriteString(p)
	}
	return sb.String()
}
