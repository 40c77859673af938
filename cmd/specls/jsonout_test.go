package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// encodingJSON is the report as encoding/json writes it: what the JSON
// output was before it was written by hand, and must stay.
func encodingJSON(t *testing.T, rep jsonReport) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// handJSON is the report as jsonReporter writes it, its features moved to
// chunks after every finding, or after none.
func handJSON(t *testing.T, rep jsonReport, flush int) string {
	t.Helper()
	defer func(old int) { flushAt = old }(flushAt)
	flushAt = flush
	var out chunks
	for i := range rep.Features {
		var b []byte
		if i > 0 {
			b = append(b, ',')
		}
		b, err := appendFeature(b, &rep.Features[i], out.write)
		if err != nil {
			t.Fatal(err)
		}
		out.write(b)
	}
	var sb strings.Builder
	sb.Write(reportHead(&rep))
	for _, b := range out.blocks {
		sb.Write(b)
	}
	sb.Write(reportTail(&rep, len(rep.Features)))
	return sb.String()
}

// jsonStrings are strings each escaping case of encoding/json meets:
// quotes, backslashes, control characters, HTML characters, U+2028 and
// U+2029, invalid UTF-8, DEL, non-ASCII text.
var jsonStrings = []string{
	"", "plain", "a → b", "gates: A ✓  B ✗ 2", `say "this"`, `back\slash`, "tab\there", "line\nbreak", "cr\r",
	"\x00\x01\x1f", "<b>&amp;</b>", "\u2028\u2029", "bad \xff utf-8", "\xc3", "del\x7f", "emoji 😀", "\ufeffbom",
}

func randomString(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return jsonStrings[r.IntN(len(jsonStrings))]
	}
	var sb strings.Builder
	for range r.IntN(12) {
		s := jsonStrings[r.IntN(len(jsonStrings))]
		if s != "" {
			sb.WriteString(s[:r.IntN(len(s)+1)]) // cut anywhere, inside a rune too
		}
	}
	return sb.String()
}

// TestJSONWriterSame holds the hand-written JSON report to what
// encoding/json writes for the same report, on every shape of report
// (no feature, empty findings, optional fields, related information) and
// every kind of string.
func TestJSONWriterSame(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	span := func() spec.Span { return spec.Span{Start: r.IntN(1000), End: r.IntN(100000)} }
	for i := range 300 {
		rep := jsonReport{Version: 1, Features: []jsonFeature{}, Errors: r.IntN(3), Warnings: r.IntN(70000), Notes: r.IntN(2)}
		for range i % 4 {
			f := jsonFeature{Dir: randomString(r), Slug: randomString(r), Summary: randomString(r), Findings: []jsonFinding{}}
			if r.IntN(2) == 0 {
				f.Profile, f.Template = randomString(r), randomString(r)
			}
			for range r.IntN(4) {
				f.Gates = append(f.Gates, diagnostics.GateStatus{Gate: randomString(r), Title: randomString(r), Enabled: r.IntN(2) == 0, Pass: r.IntN(2) == 0, Count: r.IntN(9)})
			}
			for range r.IntN(5) {
				jf := jsonFinding{Path: randomString(r), Code: randomString(r), Severity: randomString(r), Message: randomString(r),
					Range: jsonRange{r.IntN(9), r.IntN(9), r.IntN(9), r.IntN(9)}, Span: span()}
				if r.IntN(2) == 0 {
					jf.Gate, jf.Advice = randomString(r), randomString(r)
				}
				for range r.IntN(3) {
					jf.Related = append(jf.Related, jsonRelatedItem{Path: randomString(r), Span: span(), Message: randomString(r)})
				}
				f.Findings = append(f.Findings, jf)
			}
			rep.Features = append(rep.Features, f)
		}
		want, got := encodingJSON(t, rep), handJSON(t, rep, []int{0, 1 << 30}[i%2])
		if got != want {
			t.Fatalf("report %d differs from encoding/json:\n--- got\n%s\n--- want\n%s", i, got, want)
		}
	}
}

// TestJSONReportStreamed: a report streamed as it goes (past streamAt) is
// the same bytes as one held to the end, across several features.
func TestJSONReportStreamed(t *testing.T) {
	args := []string{"check", "testdata/ws", "testdata/clean", "--format", "json"}
	held, _, code := runCLI(t, args...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(held), &rep); err != nil || len(rep.Features) < 2 {
		t.Fatalf("exit %d, %d features, %v:\n%s", code, len(rep.Features), err, held)
	}
	defer func(s, f, p, b int) { streamAt, flushAt, parallelFrom, parallelBlock = s, f, p, b }(streamAt, flushAt, parallelFrom, parallelBlock)
	streamAt, flushAt = 1, 1
	streamed, _, code2 := runCLI(t, args...)
	if streamed != held || code2 != code {
		t.Errorf("streamed report (exit %d) differs from the held one (exit %d):\n%s\nwant\n%s", code2, code, streamed, held)
	}
	// Findings encoded on several goroutines, in blocks of every size
	// about a feature's count, held and streamed.
	for _, stream := range []int{1 << 30, 1} {
		for _, block := range []int{1, 2, 3, 7, 1 << 20} {
			streamAt, parallelFrom, parallelBlock = stream, 1, block
			got, _, code3 := runCLI(t, args...)
			if got != held || code3 != code {
				t.Errorf("report in blocks of %d (streamAt %d, exit %d) differs from the held one (exit %d):\n%s\nwant\n%s", block, stream, code3, code, got, held)
			}
		}
	}
}
