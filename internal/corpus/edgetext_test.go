package corpus

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The texts the mapping tests draw must hold what those tests are for:
// every part somewhere, a BOM first in every seventh, no "\r" in the even
// ones and some "\r" and "\r\n" in the odd ones.
func TestEdgeTextCoversItsParts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := range 3000 {
		text := EdgeText(r, i)
		if i%7 == 0 && !strings.HasPrefix(text, "\ufeff") {
			t.Fatalf("text %d has no leading BOM: %q", i, text)
		}
		if i%2 == 0 && strings.Contains(text, "\r") {
			t.Fatalf("even text %d has a \\r: %q", i, text)
		}
		for _, p := range edgeParts {
			if i%2 == 1 && strings.Contains(text, p) {
				seen[p] = true
			}
		}
	}
	for _, p := range edgeParts {
		if !seen[p] {
			t.Errorf("no odd text holds %q", p)
		}
	}
}
