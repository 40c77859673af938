package arch

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// TestMayNamePhase: the prefilter never says no where phaseRe matches.
func TestMayNamePhase(t *testing.T) {
	// The letters of the pairs fold (as the regexp folds, unicode.SimpleFold)
	// only to ASCII letters.
	for _, c := range "hagevp" {
		for r := unicode.SimpleFold(c); r != c; r = unicode.SimpleFold(r) {
			if r >= 0x80 {
				t.Errorf("%q folds to %q", c, r)
			}
		}
	}
	texts := []string{"Phase 1: Auth", "**Phase 2** — Orders", "PHASE3", "Stage 1", "STEP 2", "Wave 10", "ſtep 1", "Phaſe 1", "phase one", "1. Deploy",
		"Step: 1", "— Phase 4", "ÉPhase 5", "Ｐhase 1", "step\t7", "[Phase 1](#x)", "wave", "2 waves"}
	parts := []string{"phase", "PHASE", "Phase", "stage", "step", "STEP", "wave", "ſ", "K", "é", " ", "-", "*", "1", "12", "ha", "ag", "ep", "av", ":", "x", "\t"}
	r := rand.New(rand.NewSource(1))
	for range 20000 {
		var sb strings.Builder
		for range 1 + r.Intn(6) {
			sb.WriteString(parts[r.Intn(len(parts))])
		}
		texts = append(texts, sb.String())
	}
	matched := 0
	for _, s := range texts {
		if phaseRe.MatchString(s) {
			matched++
			if !mayNamePhase(s) {
				t.Errorf("mayNamePhase(%q) = false, but phaseRe matches", s)
			}
		}
	}
	if matched < 300 {
		t.Fatalf("only %d texts match phaseRe", matched)
	}
}
