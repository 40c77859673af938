package lazyregexp

import (
	"reflect"
	"regexp"
	"sync"
	"testing"
)

// Each method answers what the compiled regexp answers.
func TestSameAsRegexp(t *testing.T) {
	const pat = `(?i)\b(FR|NFR)-(\d+)\b`
	const s = "See FR-1, nfr-22 and FR-x; fr-3."
	b := []byte(s)
	rx := regexp.MustCompile(pat)
	lr := &Regexp{str: pat}
	tests := []struct {
		name      string
		got, want any
	}{
		{"String", lr.String(), rx.String()},
		{"Match", lr.Match(b), rx.Match(b)},
		{"MatchString", lr.MatchString(s), rx.MatchString(s)},
		{"MatchString no match", lr.MatchString("none"), rx.MatchString("none")},
		{"FindString", lr.FindString(s), rx.FindString(s)},
		{"FindStringIndex", lr.FindStringIndex(s), rx.FindStringIndex(s)},
		{"FindStringSubmatch", lr.FindStringSubmatch(s), rx.FindStringSubmatch(s)},
		{"FindStringSubmatchIndex", lr.FindStringSubmatchIndex(s), rx.FindStringSubmatchIndex(s)},
		{"FindAllStringIndex", lr.FindAllStringIndex(s, -1), rx.FindAllStringIndex(s, -1)},
		{"FindAllStringSubmatch", lr.FindAllStringSubmatch(s, 2), rx.FindAllStringSubmatch(s, 2)},
		{"FindAllStringSubmatchIndex", lr.FindAllStringSubmatchIndex(s, -1), rx.FindAllStringSubmatchIndex(s, -1)},
		{"FindIndex", lr.FindIndex(b), rx.FindIndex(b)},
		{"FindSubmatchIndex", lr.FindSubmatchIndex(b), rx.FindSubmatchIndex(b)},
		{"FindAllIndex", lr.FindAllIndex(b, -1), rx.FindAllIndex(b, -1)},
		{"FindAllSubmatchIndex", lr.FindAllSubmatchIndex(b, -1), rx.FindAllSubmatchIndex(b, -1)},
		{"ReplaceAllString", lr.ReplaceAllString(s, "<$1>"), rx.ReplaceAllString(s, "<$1>")},
		{"ReplaceAllLiteralString", lr.ReplaceAllLiteralString(s, "<$1>"), rx.ReplaceAllLiteralString(s, "<$1>")},
		{"Split", lr.Split(s, -1), rx.Split(s, -1)},
		{"Regexp", lr.Regexp().String(), pat},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// Outside tests nothing is compiled until the first call, and then once.
func TestCompiledOnFirstUse(t *testing.T) {
	r := &Regexp{str: `a+`} // as New builds it outside a test binary
	if r.rx != nil {
		t.Fatal("compiled before first use")
	}
	if !r.MatchString("caat") {
		t.Fatal("a+ does not match caat")
	}
	first := r.rx
	if first == nil {
		t.Fatal("not compiled after first use")
	}
	r.MatchString("b")
	if r.rx != first {
		t.Error("compiled twice")
	}
}

// Goroutines racing to the first use all get the one compiled regexp (run
// with -race).
func TestConcurrentFirstUse(t *testing.T) {
	r := &Regexp{str: `x(\d+)`}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i] = r.FindStringSubmatch("ax42")[1] })
	}
	wg.Wait()
	for i, g := range got {
		if g != "42" {
			t.Errorf("goroutine %d got %q, want 42", i, g)
		}
	}
}

// In a test binary a bad pattern panics where it is declared, as
// regexp.MustCompile would at init.
func TestNewPanicsOnBadPatternInTests(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New(`(`) did not panic")
		}
	}()
	New(`(`)
}
