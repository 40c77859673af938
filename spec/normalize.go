package spec

import (
	"strings"
	"unicode"
)

// Normalize folds a heading for matching: lower case, punctuation dropped,
// runs of space collapsed. "Non-Goals (Out of Scope)" -> "non goals out of scope".
func Normalize(s string) string {
	// ASCII fast path: rules call this on every heading and cell, per keystroke.
	buf := make([]byte, 0, len(s))
	space, changed := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return normalizeUnicode(s)
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			changed = true
		default:
			space, changed = true, true
			continue
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		buf = append(buf, c)
	}
	if !changed {
		return s // already normalised: no copy
	}
	return string(buf)
}

func normalizeUnicode(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return sb.String()
}

// NearMiss reports whether two normalised headings differ only a little: a
// singular/plural difference, or an edit distance of at most 2 (1 for short
// titles) that is no more than a fifth of the length.
func NearMiss(a, b string) bool {
	if a == b || a == "" || b == "" {
		return false
	}
	if singular(a) == singular(b) {
		return true
	}
	d := Distance(a, b)
	n := max(len([]rune(a)), len([]rune(b)))
	limit := 2
	if n < 10 {
		limit = 1
	}
	return d <= limit && d*5 <= n
}

func singular(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		switch {
		case strings.HasSuffix(w, "ies") && len(w) > 4:
			words[i] = w[:len(w)-3] + "y"
		case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
