// Package pyreq reads Python dependency constraints the way pip does: PEP 440
// versions and specifiers ("==", ">=", "~=", "<", "!=", "===", "==1.2.*",
// comma lists) and PEP 508 requirement lines ("uvicorn[standard] >= 0.24.0").
// Every parsed piece keeps its byte offsets into the input, so that a rule
// can point at the exact specifier a user wrote.
package pyreq

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a PEP 440 version in its normalised form.
type Version struct {
	Epoch   int
	Release []int // at least one component
	// Pre is the pre-release: Phase "a", "b" or "rc" and its number.
	Pre *PreRelease
	// Post and Dev are -1 when absent.
	Post  int
	Dev   int
	Local []string // lower-cased segments of "+local"
}

// PreRelease is the "a1", "b2" or "rc3" part of a version.
type PreRelease struct {
	Phase string
	N     int
}

// ParseVersion reads a version, accepting what PEP 440 normalisation
// accepts: a leading "v", any case, "alpha"/"beta"/"c"/"pre"/"preview",
// ".", "-" or "_" as separators, implicit numbers ("1.0a" is "1.0a0") and
// the "1.0-1" post-release shorthand.
func ParseVersion(s string) (Version, error) {
	v := Version{Post: -1, Dev: -1}
	in := s
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return v, fmt.Errorf("empty version")
	}
	if s[0] == 'v' {
		s = s[1:]
	}
	// Epoch.
	if i := strings.IndexByte(s, '!'); i >= 0 {
		n, err := atoi(s[:i])
		if err != nil {
			return v, fmt.Errorf("bad epoch in version %q", in)
		}
		v.Epoch, s = n, s[i+1:]
	}
	// Local.
	if i := strings.IndexByte(s, '+'); i >= 0 {
		local := s[i+1:]
		s = s[:i]
		if local == "" {
			return v, fmt.Errorf("empty local version in %q", in)
		}
		for _, seg := range strings.Split(strings.NewReplacer("-", ".", "_", ".").Replace(local), ".") {
			if !isAlnum(seg) {
				return v, fmt.Errorf("bad local version %q in %q", local, in)
			}
			v.Local = append(v.Local, seg)
		}
	}
	// Release: digits separated by dots.
	i := 0
	for {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			return v, fmt.Errorf("version %q does not start with a number", in)
		}
		n, err := atoi(s[i:j])
		if err != nil {
			return v, fmt.Errorf("version %q: %v", in, err)
		}
		v.Release = append(v.Release, n)
		i = j
		if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
			i++
			continue
		}
		break
	}
	rest := s[i:]
	// Pre-release.
	if r, phase, ok := cutPhase(rest, preWords); ok {
		n, r2 := number(r)
		v.Pre = &PreRelease{Phase: phase, N: n}
		rest = r2
	}
	// Post-release: ".post1", "-post1", "post", "-1".
	if r, _, ok := cutPhase(rest, postWords); ok {
		n, r2 := number(r)
		v.Post, rest = n, r2
	} else if len(rest) > 1 && rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' {
		n, r2 := number(rest[1:])
		v.Post, rest = n, r2
	}
	// Dev release.
	if r, _, ok := cutPhase(rest, devWords); ok {
		n, r2 := number(r)
		v.Dev, rest = n, r2
	}
	if rest != "" {
		return v, fmt.Errorf("version %q has unexpected %q", in, rest)
	}
	return v, nil
}

// MustVersion is ParseVersion for constants; it panics on a bad version.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

var (
	preWords  = []struct{ word, phase string }{{"alpha", "a"}, {"beta", "b"}, {"preview", "rc"}, {"pre", "rc"}, {"rc", "rc"}, {"a", "a"}, {"b", "b"}, {"c", "rc"}}
	postWords = []struct{ word, phase string }{{"post", "post"}, {"rev", "post"}, {"r", "post"}}
	devWords  = []struct{ word, phase string }{{"dev", "dev"}}
)

// cutPhase strips an optional separator and one of words from the start of s.
func cutPhase(s string, words []struct{ word, phase string }) (string, string, bool) {
	t := s
	if t != "" && isSep(rune(t[0])) {
		t = t[1:]
	}
	for _, w := range words {
		if strings.HasPrefix(t, w.word) {
			return t[len(w.word):], w.phase, true
		}
	}
	return s, "", false
}

// number reads an optional separator and digits; absent digits mean 0.
func number(s string) (int, string) {
	t := s
	if t != "" && isSep(rune(t[0])) && len(t) > 1 && t[1] >= '0' && t[1] <= '9' {
		t = t[1:]
	}
	j := 0
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == 0 {
		return 0, s
	}
	n, err := atoi(t[:j])
	if err != nil {
		return 0, s
	}
	return n, t[j:]
}

// atoi reads a non-negative decimal that fits comfortably in an int.
func atoi(s string) (int, error) {
	if s == "" || len(s) > 15 {
		return 0, fmt.Errorf("number %q out of range", s)
	}
	return strconv.Atoi(s)
}

func isSep(r rune) bool { return r == '.' || r == '-' || r == '_' }

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return s != ""
}

// String returns the normalised form: "1!2.0rc1.post2.dev3+ubuntu.1".
func (v Version) String() string {
	var sb strings.Builder
	if v.Epoch != 0 {
		fmt.Fprintf(&sb, "%d!", v.Epoch)
	}
	for i, n := range v.Release {
		if i > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(strconv.Itoa(n))
	}
	if v.Pre != nil {
		fmt.Fprintf(&sb, "%s%d", v.Pre.Phase, v.Pre.N)
	}
	if v.Post >= 0 {
		fmt.Fprintf(&sb, ".post%d", v.Post)
	}
	if v.Dev >= 0 {
		fmt.Fprintf(&sb, ".dev%d", v.Dev)
	}
	if len(v.Local) > 0 {
		sb.WriteString("+" + strings.Join(v.Local, "."))
	}
	return sb.String()
}

// IsPrerelease reports whether v is a pre- or dev release.
func (v Version) IsPrerelease() bool { return v.Pre != nil || v.Dev >= 0 }

// Public returns v without its local part.
func (v Version) Public() Version {
	v.Local = nil
	return v
}

// Base returns the epoch and release only.
func (v Version) Base() Version {
	return Version{Epoch: v.Epoch, Release: v.Release, Post: -1, Dev: -1}
}

// Compare orders versions as PEP 440 does: -1, 0 or +1.
func (v Version) Compare(w Version) int {
	if c := cmpInt(v.Epoch, w.Epoch); c != 0 {
		return c
	}
	if c := cmpRelease(v.Release, w.Release); c != 0 {
		return c
	}
	if c := cmpInt(v.preKey(), w.preKey()); c != 0 {
		return c
	}
	if c := cmpInt(v.Post, w.Post); c != 0 { // absent post (-1) sorts first
		return c
	}
	if c := cmpInt(v.devKey(), w.devKey()); c != 0 {
		return c
	}
	return cmpLocal(v.Local, w.Local)
}

// preKey ranks the pre-release part: a dev release of a final version sorts
// before its pre-releases, and a final version after them.
func (v Version) preKey() int {
	const big = 1 << 40
	switch {
	case v.Pre != nil:
		return map[string]int{"a": 0, "b": 1, "rc": 2}[v.Pre.Phase]*(1<<20) + min(v.Pre.N, 1<<20-1)
	case v.Post < 0 && v.Dev >= 0:
		return -1
	}
	return big
}

func (v Version) devKey() int {
	if v.Dev < 0 {
		return 1 << 40
	}
	return v.Dev
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpRelease compares release tuples, trailing zeros ignored.
func cmpRelease(a, b []int) int {
	n := max(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := 0, 0
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmpInt(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// cmpLocal orders local parts: none first, numeric segments above
// alphanumeric ones, longer above shorter when one is a prefix.
func cmpLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, errx := strconv.Atoi(a[i])
		y, erry := strconv.Atoi(b[i])
		switch {
		case errx == nil && erry == nil:
			if c := cmpInt(x, y); c != 0 {
				return c
			}
		case errx == nil:
			return 1
		case erry == nil:
			return -1
		default:
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
	}
	return cmpInt(len(a), len(b))
}
