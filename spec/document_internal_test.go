package spec

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
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

// between marks exactly the bytes in its range, in every byte position.
func TestBetween(t *testing.T) {
	for _, r := range [][2]uint64{{'A' - 1, 'Z' + 1}, {'-' - 1, '9' + 1}, {0, 128}, {127, 128}} {
		for pos := range 8 {
			for c := range 256 {
				for _, fill := range []byte{0, 'a', '@', '[', ',', ':', 0x7f, 0x80, 0xff} {
					var b [8]byte
					for i := range b {
						b[i] = fill
					}
					b[pos] = byte(c)
					var want uint64
					for i, v := range b {
						if uint64(v) > r[0] && uint64(v) < r[1] {
							want |= 0x80 << (8 * i)
						}
					}
					if got := between(binary.LittleEndian.Uint64(b[:]), r[0], r[1]); got != want {
						t.Fatalf("between(%q, %d, %d) = %#x, want %#x", b, r[0], r[1], got, want)
					}
				}
			}
		}
	}
}

// findIDs finds what the byte-at-a-time scan it replaced found, on random
// texts of ID pieces, prose and the bytes around the capitals.
func TestFindIDsSameAsByteScan(t *testing.T) {
	scan := func(src []byte, prefixes map[string]bool) (spans []Span, keys []string) {
		for i := 0; i < len(src); i++ {
			if c := src[i]; c < 'A' || c > 'Z' {
				continue
			}
			if end, key := idAtWith(src, i, prefixes); end > 0 {
				spans = append(spans, Span{i, end})
				keys = append(keys, key)
				i = end - 1
				continue
			}
			for i+1 < len(src) && src[i+1] >= 'A' && src[i+1] <= 'Z' {
				i++
			}
		}
		return spans, keys
	}
	pieces := []string{"FR-1", "FR-001", "NFR", "-", "2", ".", "R2.1", "US-3", "ADM", "Z", "@", "[", "`", "a", "word ", " ", "\n", "é", "FR", "_", "0",
		"FR-ADM-01", "ABCDEFGH", "/", ",", ":", "9", "REQ", "AC-", "-1", "NFR-RELI-", "F"}
	r := rand.New(rand.NewPCG(3, 3))
	for range 100000 {
		var b strings.Builder
		for range r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		src := []byte(b.String())
		gs, gk := findIDs(src, reqPrefixes)
		ws, wk := scan(src, reqPrefixes)
		if !reflect.DeepEqual(gs, ws) || !reflect.DeepEqual(gk, wk) {
			t.Fatalf("findIDs(%q) = %v %v, the byte scan %v %v", src, gs, gk, ws, wk)
		}
	}
}

// HeadingKey and stripNumbering read as they did before the title's key
// was reused and the lowering skipped, on random titles of numbering,
// qualifiers, the numbering words in any case, and runes whose lower case
// changes their length or is ASCII.
func TestHeadingKeySameAsBefore(t *testing.T) {
	oldStrip := func(t string) string {
		s := strings.TrimLeft(t, "§ ")
		lower := strings.ToLower(s)
		for _, w := range []string{"step ", "section ", "part ", "chapter "} {
			if strings.HasPrefix(lower, w) {
				rest := strings.TrimLeft(s[len(w):], " ")
				if n := numberPrefix(rest); n > 0 {
					return trimSeparator(rest[n:], t)
				}
			}
		}
		if n := numberPrefix(s); n > 0 {
			rest := s[n:]
			if rest == "" || strings.ContainsRune(".):-–— ", rune(rest[0])) || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") {
				return trimSeparator(rest, t)
			}
		}
		if i := strings.IndexAny(s, ".)"); i > 0 && i <= 4 && i+1 < len(s) && s[i+1] == ' ' {
			head := s[:i]
			if strings.Trim(head, "IVXLivxl") == "" || (len(head) == 1 && head[0] >= 'A' && head[0] <= 'Z') {
				return trimSeparator(s[i+1:], t)
			}
		}
		return t
	}
	oldKey := func(title string) string {
		t := strings.TrimSpace(title)
		t = oldStrip(t)
		k := Normalize(stripQualifier(t))
		if k == "" {
			k = Normalize(t)
		}
		if en, ok := headingSynonyms[k]; ok {
			return en
		}
		return k
	}
	pieces := []string{"Step ", "STEP ", "step", "Section ", "SECTİON ", "sect", "Part ", "PART", "chapter ", "Chapter",
		"3", "4.1", ".", ")", ": ", " - ", " — ", "(draft)", "(", " ", "§", "IV", "A", "x", "é", "İ", "Ⱥ", "ſ", "K",
		"Data Models", "Visão Geral", "Overview", ":"}
	r := rand.New(rand.NewPCG(5, 5))
	for range 50000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		title := b.String()
		if got, want := stripNumbering(title), oldStrip(title); got != want {
			t.Fatalf("stripNumbering(%q) = %q, before %q", title, got, want)
		}
		trimmed := strings.TrimSpace(title)
		for _, got := range []string{HeadingKey(title), headingKey(trimmed, Normalize(trimmed), true)} {
			if want := oldKey(title); got != want {
				t.Fatalf("HeadingKey(%q) = %q, before %q", title, got, want)
			}
		}
	}
}
