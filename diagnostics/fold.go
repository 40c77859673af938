package diagnostics

import (
	"unicode"
	"unicode/utf8"
)

// indexFold returns the first offset at or after from where s holds sub
// under Unicode case folding (as strings.EqualFold compares), and the
// length of that match in s; -1, 0 when there is none. It folds s where it
// stands: the offsets of a lower-cased copy drift after any character
// whose lower case has another length in UTF-8 (the Kelvin sign, 'İ', an
// invalid byte), and spans found there would name other text.
func indexFold(s []byte, from int, sub string) (int, int) {
	if sub == "" {
		return -1, 0
	}
	first := sub[0]
	for i := from; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf || first >= utf8.RuneSelf || lowerByte(c) == lowerByte(first) {
			if n := prefixFold(s[i:], sub); n > 0 {
				return i, n
			}
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
	}
	return -1, 0
}

// wordAt reports whether s[i:j] stands alone: no ASCII letter, digit or
// underscore touches it on either side.
func wordAt(s []byte, i, j int) bool {
	return (i == 0 || !isWordByte(lowerByte(s[i-1]))) && (j == len(s) || !isWordByte(lowerByte(s[j])))
}

// prefixFold returns the length in s of a prefix equal to t under Unicode
// case folding, or 0.
func prefixFold(s []byte, t string) int {
	i := 0
	for _, tr := range t {
		if i >= len(s) {
			return 0
		}
		sr, size := utf8.DecodeRune(s[i:])
		if sr != tr && !foldEqual(sr, tr) {
			return 0
		}
		i += size
	}
	return i
}

// foldEqual reports whether a and b are one letter in another case.
func foldEqual(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// lowerByte is c in ASCII lower case.
func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
