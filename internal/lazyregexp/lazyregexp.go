// Package lazyregexp holds regular expressions that are compiled on first
// use instead of at program start. A package-level regexp.MustCompile runs
// in the package's init, so every pattern of every linked package is
// compiled before main, whether the command needs it or not (in specls,
// regexp compilation was 40 % of the user CPU of `specls version`). A
// lazyregexp.Regexp declared the same way compiles when a method is first
// called; call sites do not change.
//
// It follows the Go toolchain's own internal/lazyregexp, which cannot be
// imported. As there, test binaries compile every pattern as it is
// declared, so that a bad pattern still fails the tests at once rather
// than at its first use.
package lazyregexp

import (
	"os"
	"regexp"
	"strings"
	"sync"
)

// Regexp is a regexp.Regexp compiled by regexp.MustCompile on first use.
// It is safe for concurrent use, as regexp.Regexp is.
type Regexp struct {
	str  string
	once sync.Once
	rx   *regexp.Regexp
}

func (r *Regexp) re() *regexp.Regexp {
	r.once.Do(r.build)
	return r.rx
}

func (r *Regexp) build() {
	r.rx = regexp.MustCompile(r.str)
}

// inTest is true in a test binary (go test names them *.test).
var inTest = strings.HasSuffix(os.Args[0], ".test")

// New declares a regexp compiled from str on first use; like
// regexp.MustCompile it panics if str does not compile (in a test binary,
// at once).
func New(str string) *Regexp {
	r := &Regexp{str: str}
	if inTest {
		r.re()
	}
	return r
}

// Regexp returns the compiled expression, compiling it if need be: for
// APIs that take a *regexp.Regexp.
func (r *Regexp) Regexp() *regexp.Regexp { return r.re() }

func (r *Regexp) String() string { return r.re().String() }

func (r *Regexp) Match(b []byte) bool { return r.re().Match(b) }

func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

func (r *Regexp) FindString(s string) string { return r.re().FindString(s) }

func (r *Regexp) FindStringIndex(s string) []int { return r.re().FindStringIndex(s) }

func (r *Regexp) FindStringSubmatch(s string) []string { return r.re().FindStringSubmatch(s) }

func (r *Regexp) FindStringSubmatchIndex(s string) []int { return r.re().FindStringSubmatchIndex(s) }

func (r *Regexp) FindAllStringIndex(s string, n int) [][]int { return r.re().FindAllStringIndex(s, n) }

func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}

func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r.re().FindAllStringSubmatchIndex(s, n)
}

func (r *Regexp) FindIndex(b []byte) []int { return r.re().FindIndex(b) }

func (r *Regexp) FindSubmatchIndex(b []byte) []int { return r.re().FindSubmatchIndex(b) }

func (r *Regexp) FindAllIndex(b []byte, n int) [][]int { return r.re().FindAllIndex(b, n) }

func (r *Regexp) FindAllSubmatchIndex(b []byte, n int) [][]int {
	return r.re().FindAllSubmatchIndex(b, n)
}

func (r *Regexp) ReplaceAllString(src, repl string) string { return r.re().ReplaceAllString(src, repl) }

func (r *Regexp) ReplaceAllLiteralString(src, repl string) string {
	return r.re().ReplaceAllLiteralString(src, repl)
}

func (r *Regexp) Split(s string, n int) []string { return r.re().Split(s, n) }
