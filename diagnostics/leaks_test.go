package diagnostics

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/specls/specls/spec"
)

// leakHits walks the words once for both leak scans, and runs leakCaseRe
// only on lines where a word starts with one of its literals; it must find
// what the two walks it replaced found (kept below as the reference).
func TestLeakHitsSameAsTwoWalks(t *testing.T) {
	pieces := []string{"Redis", "redis", "REDIS", "PostgreSQL", "k8s", "gRPC", "protocol", "buffers", "Protocol Buffers", "protocol  buffers",
		"AWS Lambda", "aws lambda", "aws", "NoSQL", "SQL", "sql", "REST", "RESTful", "rest", "_REST", "xREST", "HTTP", "HTTPS 404", "HTTP 500",
		"404 Not Found", "429 Too Many Requests", "status code 503", "JWT", "S3", "React", "Vue", "Angular", "Flask", "supercalifragilistic",
		"é", " ", " ", "\n", "\r\n", "-", "_", ".", "4", "x", "Kafka"}
	rng := rand.New(rand.NewPCG(9, 10))
	customs := [][]string{nil, {"Vue"}, {" lambda ", "SQL"}}
	for n := 0; n < 20000; n++ {
		var b []byte
		for range rng.IntN(24) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		custom := customs[n%len(customs)]
		got, want := leakHits(b, custom), leakHitsTwoWalks(b, custom)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q: leakHits %v, the two walks %v", b, got, want)
		}
	}
}

// leakHitsTwoWalks is leakHits as it was: the leak words found by one
// walk, then leakCaseRe on every line that holds one of its literals
// anywhere.
func leakHitsTwoWalks(text []byte, custom []string) []leakHit {
	var hits []leakHit
	for _, m := range oldFindLeakWords(text) {
		hits = append(hits, leakHit{m.Start, m.End})
	}
	literals := []string{"HTTP", "REST", "SQL", "status code", "Not Found", "Unauthorized", "Forbidden", "Bad Request", "Conflict",
		"Too Many Requests", "Internal Server Error", "Flask", "React", "Vue", "Angular", "JWT", "S3"}
	for ls := 0; ls < len(text); {
		le := bytes.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		line := text[ls:le]
		if slices.ContainsFunc(literals, func(l string) bool { return bytes.Contains(line, []byte(l)) }) {
			for _, m := range leakCaseRe.FindAllIndex(line, -1) {
				hits = append(hits, leakHit{ls + m[0], ls + m[1]})
			}
		}
		ls = le + 1
	}
	lower := strings.ToLower(string(text))
	for _, t := range custom {
		t = strings.ToLower(strings.TrimSpace(t))
		for from := 0; t != ""; {
			i := strings.Index(lower[from:], t)
			if i < 0 {
				break
			}
			i += from
			from = i + len(t)
			if (i == 0 || !isWordByte(lower[i-1])) && (from == len(lower) || !isWordByte(lower[from])) {
				hits = append(hits, leakHit{i, from})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b leakHit) int { return a.s - b.s })
	return hits
}

// oldFindLeakWords is findLeakWords as it was, every word looked up.
func oldFindLeakWords(text []byte) []spec.Span {
	var out []spec.Span
	var buf [16]byte
	word := func(i int) (end, n int) {
		j := i
		for j < len(text) && (isWordByte(text[j]) || text[j] >= 'A' && text[j] <= 'Z') {
			if n < len(buf) {
				c := text[j]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[n] = c
			}
			n++
			j++
		}
		if n > len(buf) {
			n = 0
		}
		return j, n
	}
	for i := 0; i < len(text); {
		c := text[i]
		if !(isWordByte(c) || c >= 'A' && c <= 'Z') {
			i++
			continue
		}
		end, n := word(i)
		if leakWords[string(buf[:n])] {
			out = append(out, spec.Span{Start: i, End: end})
		} else if second := leakPairs[string(buf[:n])]; second != "" && end+1 < len(text) && text[end] == ' ' {
			if e2, n2 := word(end + 1); string(buf[:n2]) == second {
				out = append(out, spec.Span{Start: i, End: e2})
				end = e2
			}
		}
		i = end
	}
	return out
}

// leadingInt is what fmt.Sscanf(s, "%d", &k) leaves in k, for strings of
// spaces, line breaks, signs, digits and other runes.
func TestLeadingIntIsSscanf(t *testing.T) {
	alphabet := []string{" ", "\t", "\n", "\r", "\u00a0", "+", "-", "0", "1", "9", "a", "_", "é", ".", "99999999999", "\xff"}
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n < 50000; n++ {
		var sb strings.Builder
		for range rng.IntN(8) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		var want int
		fmt.Sscanf(s, "%d", &want)
		if got := leadingInt(s); got != want {
			t.Fatalf("%q: leadingInt %d, Sscanf %d", s, got, want)
		}
	}
}

// A configured term is found where it is in the text, whatever precedes
// it: lower-casing the text first moved every span after a character whose
// lower case is shorter or longer in UTF-8 (the Kelvin sign is 3 bytes, its
// lower case 1; an invalid byte becomes the 3-byte U+FFFD), and a span past
// the end of the text made checkLeaks panic.
func TestCustomTermSpansAfterCaseChangingCharacters(t *testing.T) {
	for _, tc := range []struct {
		text string
		term string
		want []string
	}{
		{"The \u212a scale, then Kafka here.", "kafka", []string{"Kafka"}},
		{"\xff\xfe bytes, then we use Kafka.", "Kafka", []string{"Kafka"}},
		{"\xff\xfe\xff\xfe\xff\xfe at the end: Kafka", "Kafka", []string{"Kafka"}},
		{"\u0130stanbul office uses KAFKA and kafka", "Kafka", []string{"KAFKA", "kafka"}},
		{"\u212aafka is written with a Kelvin sign", "kafka", []string{"\u212aafka"}},
		{"Kafkaesque is not Kafka", "kafka", []string{"Kafka"}},
		{"all ASCII: use lambda, not Lambdas", "Lambda", []string{"lambda"}},
		{"nothing here", "", nil},
	} {
		var got []string
		for _, h := range appendTermHits(nil, []byte(tc.text), tc.term) {
			got = append(got, tc.text[h.s:h.e])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q, term %q: spans name %q, want %q", tc.text, tc.term, got, tc.want)
		}
	}
}
