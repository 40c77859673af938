package spec

import (
	"strings"
	"testing"
)

// dropMarks must read as the strings.Replacer it replaced, on every
// arrangement of the marks and the characters near them.
func TestDropMarksSameAsReplacer(t *testing.T) {
	r := strings.NewReplacer("**", "", "__", "", "`", "")
	alphabet := []string{"*", "_", "`", "a", " ", "é"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		if got, want := dropMarks(prefix), r.Replace(prefix); got != want {
			t.Fatalf("dropMarks(%q) = %q, the replacer %q", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, n-1)
		}
	}
	gen("", 6)
}

// AppendNormalize appends exactly Normalize's result, after what dst holds.
func TestAppendNormalizeIsNormalize(t *testing.T) {
	alphabet := []string{"A", "b", "9", " ", "-", "(", "É", "ß", "\t"}
	var gen func(s string, n int)
	gen = func(s string, n int) {
		if got := string(AppendNormalize([]byte("x"), s)); got != "x"+Normalize(s) {
			t.Fatalf("AppendNormalize(x, %q) = %q, Normalize %q", s, got, Normalize(s))
		}
		if n > 0 {
			for _, a := range alphabet {
				gen(s+a, n-1)
			}
		}
	}
	gen("", 5)
}
