package gfm

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/yuin/goldmark/extension/ast"
)

// delimAlignment tells every cell as goldmark's four regexps do, tried in
// goldmark's order, on random cells of spaces (RE2's \s and \v, which it
// is not), colons, dashes and other bytes.
func TestDelimAlignmentSameAsRegexps(t *testing.T) {
	res := []struct {
		re *regexp.Regexp
		a  ast.Alignment
	}{
		{regexp.MustCompile(`^\s*\:\-+\s*$`), ast.AlignLeft},
		{regexp.MustCompile(`^\s*\-+\:\s*$`), ast.AlignRight},
		{regexp.MustCompile(`^\s*\:\-+\:\s*$`), ast.AlignCenter},
		{regexp.MustCompile(`^\s*\-+\s*$`), ast.AlignNone},
	}
	alphabet := []byte{' ', '\t', '\n', '\f', '\r', '\v', ':', '-', '-', '-', 'x', '|'}
	r := rand.New(rand.NewPCG(11, 11))
	matched := 0
	for range 200000 {
		col := make([]byte, r.IntN(8))
		for i := range col {
			col[i] = alphabet[r.IntN(len(alphabet))]
		}
		want, wantOK := ast.AlignNone, false
		for _, e := range res {
			if e.re.Match(col) {
				want, wantOK = e.a, true
				break
			}
		}
		if got, ok := delimAlignment(col); got != want || ok != wantOK {
			t.Fatalf("delimAlignment(%q) = %v, %t; the regexps %v, %t", col, got, ok, want, wantOK)
		}
		if wantOK {
			matched++
		}
	}
	if matched < 1000 {
		t.Errorf("only %d of the random cells were delimiters", matched)
	}
}
