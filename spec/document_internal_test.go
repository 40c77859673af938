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

// lineBounds must give the bounds the byte-at-a-time loops it replaced
// gave, for every offset (out of range too) of texts of '\n', '\r' and
// other bytes.
func TestLineBoundsSameAsLoops(t *testing.T) {
	loops := func(src []byte, off int) (int, int) {
		off = min(max(off, 0), len(src))
		s := off
		for s > 0 && src[s-1] != '\n' && src[s-1] != '\r' {
			s--
		}
		e := off
		for e < len(src) && src[e] != '\n' && src[e] != '\r' {
			e++
		}
		return s, e
	}
	alphabet := []string{"a", "\n", "\r", "é"}
	var gen func(text string, n int)
	gen = func(text string, n int) {
		src := []byte(text)
		for off := -1; off <= len(src)+1; off++ {
			gs, ge := lineBounds(src, off)
			ws, we := loops(src, off)
			if gs != ws || ge != we {
				t.Fatalf("lineBounds(%q, %d) = %d, %d; the loops %d, %d", text, off, gs, ge, ws, we)
			}
		}
		if n > 0 {
			for _, a := range alphabet {
				gen(text+a, n-1)
			}
		}
	}
	gen("", 7)
}

// stripInline is the old ContainsAny test, dropMarks and TrimSpace.
func TestStripInlineSameAsBefore(t *testing.T) {
	old := func(s string) string {
		if strings.ContainsAny(s, "*_`") {
			s = strings.NewReplacer("**", "", "__", "", "`", "").Replace(s)
		}
		return strings.TrimSpace(s)
	}
	alphabet := []string{"*", "_", "`", "a", " ", "é"}
	var gen func(s string, n int)
	gen = func(s string, n int) {
		if got, want := stripInline(s), old(s); got != want {
			t.Fatalf("stripInline(%q) = %q, before %q", s, got, want)
		}
		if n > 0 {
			for _, a := range alphabet {
				gen(s+a, n-1)
			}
		}
	}
	gen("", 6)
}
