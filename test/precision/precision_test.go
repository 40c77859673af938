// Package precision_test measures the content rules against a corpus of
// hand-written feature folders (testdata/precision): each folder lists in
// expected.txt every finding a careful author would agree with, and only
// those. The test reports precision and recall per rule.
package precision_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/specls/specls/workspace"
)

const (
	corpus       = "../../testdata/precision"
	minFolders   = 30
	minExpected  = 5 // rules with fewer expected findings are reported, not held to the bars
	minPrecision = 0.95
	minRecall    = 0.90
)

// finding is one line of an expected.txt: "file:line code".
type finding struct {
	folder, file string
	line         int
	code         string
}

func (f finding) String() string {
	return fmt.Sprintf("%s/%s:%d %s", f.folder, f.file, f.line, f.code)
}

func TestPrecision(t *testing.T) {
	root, err := filepath.Abs(corpus)
	if err != nil {
		t.Fatal(err)
	}
	results, err := workspace.CheckPaths([]string{root})
	if err != nil {
		t.Fatalf("check %s: %v", root, err)
	}
	if len(results) < minFolders {
		t.Fatalf("the corpus has %d feature folders; want at least %d", len(results), minFolders)
	}
	var got, want []finding
	for _, r := range results {
		dir := r.Feature.Dir
		folder, _ := filepath.Rel(root, dir)
		folder = filepath.ToSlash(folder)
		exp, err := readExpected(filepath.Join(dir, "expected.txt"), folder)
		if err != nil {
			t.Errorf("%s: %v", folder, err)
			continue
		}
		want = append(want, exp...)
		texts := map[string][]byte{}
		for _, f := range r.Findings {
			rel, err := filepath.Rel(dir, f.Path)
			if err != nil || strings.HasPrefix(rel, "..") {
				rel = f.Path
			}
			rel = filepath.ToSlash(rel)
			if texts[f.Path] == nil {
				b, err := os.ReadFile(f.Path)
				if err != nil {
					t.Fatalf("read %s: %v", f.Path, err)
				}
				texts[f.Path] = b
			}
			b := texts[f.Path]
			line := 1 + bytes.Count(b[:min(max(f.Span.Start, 0), len(b))], []byte("\n"))
			got = append(got, finding{folder: folder, file: rel, line: line, code: f.Code})
		}
	}
	tp, fp, fn := match(got, want)
	codes := map[string]bool{}
	for c := range tp {
		codes[c] = true
	}
	for c := range fp {
		codes[c] = true
	}
	for c := range fn {
		codes[c] = true
	}
	var names []string
	for c := range codes {
		names = append(names, c)
	}
	sort.Strings(names)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d feature folders, %d expected findings, %d reported\n", len(results), len(want), len(got))
	fmt.Fprintf(&sb, "%-28s %8s %4s %4s %4s %9s %7s\n", "rule", "expected", "TP", "FP", "FN", "precision", "recall")
	var failed []string
	for _, c := range names {
		nt, np, nn := len(tp[c]), len(fp[c]), len(fn[c])
		prec, rec := ratio(nt, nt+np), ratio(nt, nt+nn)
		fmt.Fprintf(&sb, "%-28s %8d %4d %4d %4d %8.1f%% %6.1f%%\n", c, nt+nn, nt, np, nn, 100*prec, 100*rec)
		if nt+nn >= minExpected && (prec < minPrecision || rec < minRecall) {
			failed = append(failed, c)
		}
	}
	t.Log("\n" + sb.String())
	for _, c := range failed {
		for _, f := range fp[c] {
			t.Errorf("false positive: %s", f)
		}
		for _, f := range fn[c] {
			t.Errorf("missed: %s", f)
		}
	}
	if len(failed) > 0 {
		t.Errorf("rules below %.0f%% precision or %.0f%% recall: %s", 100*minPrecision, 100*minRecall, strings.Join(failed, ", "))
	}
	if testing.Verbose() {
		for _, c := range names {
			for _, f := range fp[c] {
				t.Logf("FP %s", f)
			}
			for _, f := range fn[c] {
				t.Logf("FN %s", f)
			}
		}
	}
}

// match pairs reported and expected findings (as multisets) and returns
// per rule the true positives, false positives and false negatives.
func match(got, want []finding) (tp, fp, fn map[string][]finding) {
	tp, fp, fn = map[string][]finding{}, map[string][]finding{}, map[string][]finding{}
	left := map[finding]int{}
	for _, w := range want {
		left[w]++
	}
	for _, g := range got {
		if left[g] > 0 {
			left[g]--
			tp[g.code] = append(tp[g.code], g)
		} else {
			fp[g.code] = append(fp[g.code], g)
		}
	}
	for _, w := range want {
		if left[w] > 0 {
			left[w]--
			fn[w.code] = append(fn[w.code], w)
		}
	}
	return tp, fp, fn
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// readExpected reads "file:line code" lines; blank lines and lines
// starting with "#" are comments. Every folder must have the file, even
// when it expects nothing, so that a folder is never judged by accident.
func readExpected(path, folder string) ([]finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("no expected findings file: %w", err)
	}
	defer f.Close()
	var out []finding
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		loc, code, ok := strings.Cut(l, " ")
		file, ln, ok2 := strings.Cut(loc, ":")
		var line int
		if _, err := fmt.Sscanf(ln, "%d", &line); err != nil || !ok || !ok2 || line < 1 {
			return nil, fmt.Errorf("%s:%d: want \"file:line code\", got %q", path, n, l)
		}
		out = append(out, finding{folder: folder, file: file, line: line, code: strings.Fields(code)[0]})
	}
	return out, sc.Err()
}
