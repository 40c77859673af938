package diagnostics

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// scanTerms must find exactly what a substring search per term finds:
// random texts over a small alphabet hit every boundary case often.
// The lists are with and without a term that may start inside a word
// ("b_"): without one, the scan skips the rest of each word.
func TestScanTermsMatchesTermAt(t *testing.T) {
	lists := [][]term{
		{w("ab"), p("a"), p("ba b"), {"/ab", false, false}, {"b_", false, true}, w("a-b"), p("bb")},
		{w("ab"), p("a"), p("ba b"), {"/ab", false, false}, w("a-b"), p("bb"), w("_b"), {"-a", false, true}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "ab _-/\n"
	for n := 0; n < 10000; n++ {
		terms := lists[n%len(lists)]
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		text := string(b)
		type hit struct{ k, i int }
		var want []hit
		for k, tm := range terms {
			for i := termAt(text, tm, 0); i >= 0; i = termAt(text, tm, i+1) {
				want = append(want, hit{k, i})
			}
		}
		var got []hit
		scanTerms(text, terms, func(k, i int) bool {
			got = append(got, hit{k, i})
			return true
		})
		cmp := func(a, b hit) int {
			if a.i != b.i {
				return a.i - b.i
			}
			return a.k - b.k
		}
		slices.SortFunc(want, cmp)
		slices.SortFunc(got, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q: scanTerms found %v, termAt %v", text, got, want)
		}
	}
}

// termAt is the plain model of scanTerms: the offset of the first match
// of t in text at or after from, or -1.
func termAt(text string, t term, from int) int {
	for from <= len(text) {
		i := strings.Index(text[from:], t.s)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(t.s)
		if (!t.left || i == 0 || !isTermByte(text[i-1])) && (!t.right || end == len(text) || !isTermByte(text[end])) {
			return i
		}
		from = i + 1
	}
	return -1
}

// Through a memo, a scan calls hit with the same hits in the same order,
// and stops at the same one, whatever the memo kept from earlier texts
// (the alphabet has "#" and line breaks, where the text is cut).
func TestScanWithMemoIsScan(t *testing.T) {
	terms := []term{w("ab"), p("a"), p("ba b"), {"/ab", false, false}, {"b_", false, true}, w("a-b"), p("bb"), w("#a")}
	ts := newTermSet(terms)
	memo := &Memo{Pieces: 8}
	defer func(n int) { chunkMin = n }(chunkMin)
	chunkMin = 8 // long sections are cut at blank lines too
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := "ab _-/#\n\r"
	type hit struct{ k, i int }
	collect := func(scan func(func(k, i int) bool), stop int) []hit {
		var out []hit
		scan(func(k, i int) bool {
			out = append(out, hit{k, i})
			return len(out) != stop
		})
		return out
	}
	var text []byte
	for n := 0; n < 5000; n++ {
		// Edit the text of the last round, so that chunks repeat.
		at := rng.IntN(len(text) + 1)
		ins := make([]byte, rng.IntN(6))
		for i := range ins {
			ins[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cut := min(len(text), at+rng.IntN(4))
		text = append(append(append([]byte{}, text[:at]...), ins...), text[cut:]...)
		if len(text) > 80 {
			text = text[len(text)-60:]
		}
		s, stop := string(text), rng.IntN(4)
		want := collect(func(h func(k, i int) bool) { ts.scan(s, h) }, stop)
		got := collect(func(h func(k, i int) bool) { ts.scanWith(memo, s, h) }, stop)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q (stop after %d): through the memo %v, scan %v", s, stop, got, want)
		}
	}
}

// The one scan of the evidence finds what the two scans it replaced found:
// each review term, and the Python literals' hits in the same order.
func TestEvidenceHitsAreBothScans(t *testing.T) {
	words := []string{"python", "requires-python", "python_requires", "target-version", "uv", "uv.lock", "timeout", "retries",
		"/metrics", "@circuit", "trace_id", "slog", "zap", "py", "3.10", " ", "\n", "-", "_", "=", "x"}
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 3000; n++ {
		var sb strings.Builder
		for range rng.IntN(30) {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		text := sb.String()
		wantReview := make([]bool, len(reviewTerms))
		scanTerms(text, reviewTerms, func(k, _ int) bool { wantReview[k] = true; return true })
		var wantPython []termHit
		scanTerms(text, pythonLiterals, func(k, i int) bool {
			wantPython = append(wantPython, termHit{int32(k), int32(i)})
			return true
		})
		a := &analysis{evidence: text}
		got := a.evidenceHits()
		for k, tm := range reviewTerms {
			if got.review[k] != wantReview[k] || a.says([]term{tm}) != wantReview[k] {
				t.Fatalf("text %q, term %q: found %v, says %v, its own scan %v", text, tm.s, got.review[k], a.says([]term{tm}), wantReview[k])
			}
		}
		if !slices.Equal(got.python, wantPython) {
			t.Fatalf("text %q: python hits %v, their own scan %v", text, got.python, wantPython)
		}
	}
}
