package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/server/lsptest"
	"github.com/specls/specls/spec"
)

// copyTree copies the folder src to dst, writing each file through fn.
func copyTree(t *testing.T, src, dst string, fn func([]byte) []byte) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, fn(b), 0o640)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file under dir, by path relative to it.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

// failingExamples are the feature trees --fix is tried on: the test's own,
// and the project's examples.
func failingExamples(t *testing.T) []string {
	dirs := []string{"testdata/failing"}
	if _, err := os.Stat("../../examples/tasks"); err == nil {
		if m, _ := filepath.Glob("../../examples/tasks/prd-*"); len(m) > 0 {
			dirs = append(dirs, "../../examples")
		}
	}
	return dirs
}

var writeVariants = []struct {
	name string
	fn   func([]byte) []byte
}{
	{"lf", func(b []byte) []byte { return b }},
	{"crlf+bom", func(b []byte) []byte {
		return append([]byte("\ufeff"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
	}},
	{"no final newline", func(b []byte) []byte { return bytes.TrimRight(b, "\n") }},
}

// TestCheckFix runs `specls check --fix` on copies of the failing examples
// and checks that it converges (a second run has nothing to fix), keeps the
// author's lines and the files' line endings, BOM, final newline and mode,
// and leaves no temporary files behind.
func TestCheckFix(t *testing.T) {
	for _, ex := range failingExamples(t) {
		for _, v := range writeVariants {
			t.Run(filepath.Base(filepath.Dir(ex+"/x"))+"/"+v.name, func(t *testing.T) {
				dir := t.TempDir()
				copyTree(t, ex, dir, v.fn)
				before := snapshot(t, dir)
				var out, errb bytes.Buffer
				code := run([]string{"check", "--fix", "--quiet", dir}, nil, &out, &errb)
				if code == 2 {
					t.Fatalf("exit 2: %s", errb.String())
				}
				if !regexp.MustCompile(`(?m)^fixed \S+_techspec\.md: Rename "Data Model" to "Data Models" \(section-renamed\)$`).MatchString(out.String()) {
					t.Errorf("the output does not say what changed:\n%s", out.String())
				}
				after := snapshot(t, dir)
				if len(after) < len(before) {
					t.Errorf("files disappeared: %v -> %v", keys(before), keys(after))
				}
				for p, b := range before {
					a := after[p]
					if a == b {
						continue
					}
					checkLines(t, p, b, a, raised(out.String()))
					if strings.HasPrefix(b, "\ufeff") != strings.HasPrefix(a, "\ufeff") {
						t.Errorf("%s: BOM not kept", p)
					}
					if strings.Contains(b, "\r\n") && regexp.MustCompile(`[^\r]\n`).MatchString(a) {
						t.Errorf("%s: CRLF file got LF line breaks", p)
					}
					if strings.HasSuffix(b, "\n") != strings.HasSuffix(a, "\n") {
						t.Errorf("%s: final newline not kept", p)
					}
					info, err := os.Stat(filepath.Join(dir, p))
					if err != nil || info.Mode().Perm() != 0o640 {
						t.Errorf("%s: mode %v, want 0640", p, info.Mode().Perm())
					}
				}
				for p := range after {
					if strings.Contains(p, ".specls-") {
						t.Errorf("temporary file left: %s", p)
					}
				}
				// Converged: nothing left to fix.
				out.Reset()
				if code := run([]string{"check", "--diff", dir}, nil, &out, &errb); code != 0 || out.Len() > 0 {
					t.Errorf("after --fix, --diff exits %d with\n%s", code, out.String())
				}
			})
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var placeholderLine = regexp.MustCompile(`^\s*([-*|]\s*)?\[[^\]]+\]`)

// isTemplate reports whether a line is a line of a built-in template's own
// text, or starts with a placeholder: fixes may replace those.
func isTemplate(l string) bool {
	for _, k := range []spec.Kind{spec.KindPRD, spec.KindTechSpec} {
		for _, s := range spec.BuiltinTemplate(k).Sections {
			for _, b := range strings.Split(s.Body, "\n") {
				if strings.TrimSpace(b) == strings.TrimSpace(l) {
					return true
				}
			}
		}
	}
	return placeholderLine.MatchString(l)
}

// checkLines checks that every line of before is still in after (as many
// times), but for headings (a fix may rename or re-level them), template
// text, moved phase contents and the rows of libraries whose version --fix
// raised.
func checkLines(t *testing.T, path, before, after string, libs map[string]bool) {
	t.Helper()
	norm := func(s string) []string {
		return strings.Split(strings.TrimPrefix(strings.ReplaceAll(s, "\r\n", "\n"), "\ufeff"), "\n")
	}
	count := map[string]int{}
	for _, l := range norm(after) {
		count[l]++
	}
	for _, l := range norm(before) {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") || isTemplate(l) || phaseMoved(l, after) || libs[firstCell(l)] {
			continue
		}
		if count[l] == 0 {
			t.Errorf("%s: the line %q is gone", path, l)
			continue
		}
		count[l]--
	}
}

// raised returns the libraries whose minimum --fix raised, from its output
// ("fixed ...: Raise pydantic to 2.5.0 (library-below-minimum)").
func raised(out string) map[string]bool {
	libs := map[string]bool{}
	for _, m := range regexp.MustCompile(`Raise (\S+) to `).FindAllStringSubmatch(out, -1) {
		libs[strings.ToLower(m[1])] = true
	}
	return libs
}

// firstCell returns the first cell of a table row, lower-cased.
func firstCell(l string) string {
	cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
	return strings.ToLower(strings.Trim(strings.TrimSpace(cells[0]), "`"))
}

var phaseLabel = regexp.MustCompile(`^- \*\*Phase \d+\*\*: `)

// phaseMoved reports whether a "Phase N" line's label and contents are both
// still in text: the deployment-order fix moves contents under fixed labels.
func phaseMoved(l, text string) bool {
	loc := phaseLabel.FindStringIndex(l)
	if loc == nil {
		return false
	}
	return strings.Contains(text, l[:loc[1]]) && strings.Contains(text, "**: "+l[loc[1]:])
}

// applyUnified applies one file's unified diff (with context lines) to
// text, checking that the context and removed lines match.
func applyUnified(diff, text string) (string, error) {
	src := strings.SplitAfter(text, "\n")
	if len(src) > 0 && src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	var out []string
	at := 0 // next line of src to copy
	hunk := regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@`)
	lines := strings.SplitAfter(diff, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") || l == "" {
			continue
		}
		if m := hunk.FindStringSubmatch(l); m != nil {
			start, _ := strconv.Atoi(m[1])
			if m[2] == "0" {
				start++ // an empty range names the line before
			}
			for ; at < start-1; at++ {
				out = append(out, src[at])
			}
			continue
		}
		body := l[1:]
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\ No newline") {
			body = strings.TrimSuffix(body, "\n")
			i++
		}
		switch l[0] {
		case ' ', '-':
			if at >= len(src) || src[at] != body {
				return "", fmt.Errorf("line %d: diff has %q, text has %q", at+1, body, src[min(at, len(src)-1)])
			}
			if l[0] == ' ' {
				out = append(out, body)
			}
			at++
		case '+':
			out = append(out, body)
		default:
			return "", fmt.Errorf("bad diff line %q", l)
		}
	}
	out = append(out, src[at:]...)
	return strings.Join(out, ""), nil
}

// TestCheckDiff checks that --diff writes nothing, exits 1 when there is
// something to fix, and prints the diff that --fix applies.
func TestCheckDiff(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "testdata/failing", dir, func(b []byte) []byte { return b })
	before := snapshot(t, dir)
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--diff", dir}, nil, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1 (stderr %s)", code, errb.String())
	}
	if got := snapshot(t, dir); !equalMaps(got, before) {
		t.Fatal("--diff wrote files")
	}
	diff := out.String()
	if !strings.Contains(diff, "--- a/") || !strings.Contains(diff, "+++ b/") {
		t.Fatalf("not a unified diff:\n%s", diff)
	}
	fixed := t.TempDir()
	copyTree(t, "testdata/failing", fixed, func(b []byte) []byte { return b })
	if code := run([]string{"check", "--fix", fixed}, nil, &bytes.Buffer{}, &errb); code == 2 {
		t.Fatal(errb.String())
	}
	want := snapshot(t, fixed)
	// Each file's part of the diff turns the original into what --fix wrote.
	for _, part := range regexp.MustCompile(`(?m)^--- `).Split(diff, -1)[1:] {
		part = "--- " + part
		m := regexp.MustCompile(`(?m)^\+\+\+ b/(.+)$`).FindStringSubmatch(part)
		rel, err := filepath.Rel(dir, "/"+strings.TrimPrefix(m[1], "/"))
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("diff names %s, outside %s", m[1], dir)
		}
		got, err := applyUnified(part, before[filepath.ToSlash(rel)])
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if got != want[filepath.ToSlash(rel)] {
			t.Errorf("%s: the diff applied gives\n%s\n--fix wrote\n%s", rel, got, want[rel])
		}
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCheckFixJSON keeps stdout valid JSON: what changed goes to stderr.
func TestCheckFixJSON(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "testdata/failing", dir, func(b []byte) []byte { return b })
	var out, errb bytes.Buffer
	run([]string{"check", "--fix", "--format", "json", dir}, nil, &out, &errb)
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if !strings.Contains(errb.String(), "fixed ") {
		t.Errorf("stderr does not say what changed: %s", errb.String())
	}
}

func TestWriteFileCreateRefusesExisting(t *testing.T) {
	p := filepath.Join(t.TempDir(), "_prd.md")
	if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(p, []byte("theirs"), nil, true); err == nil {
		t.Error("created over an existing file")
	}
	if b, _ := os.ReadFile(p); string(b) != "mine" {
		t.Errorf("the existing file changed: %q", b)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*specls-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestFixReportIsAFreshCheck: the report --fix prints after writing (from
// fix-all's last check, workspace.Options.Checked) is what `specls check`
// says of the written files, in JSON and in text (fixable counts too) —
// also when a fix grows a file past the size cap, and when a file could
// not be written.
func TestFixReportIsAFreshCheck(t *testing.T) {
	chain := string(corpus.Chain(300))
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string // in the report, to show the case is what it says
	}{
		{"examples", func(t *testing.T, dir string) {
			copyTree(t, "../../examples", dir, func(b []byte) []byte { return b })
		}, `"checklist-incomplete"`},
		{"corpus", func(t *testing.T, dir string) {
			if _, err := corpus.Write(dir, corpus.Options{Features: 12, Seed: 3}); err != nil {
				t.Fatal(err)
			}
		}, `"section-placeholder"`},
		{"chain", func(t *testing.T, dir string) {
			lsptest.WriteFiles(t, dir, map[string]string{"tasks/prd-chain/_techspec.md": chain})
		}, `"decision-missing"`},
		{"grown past the size cap", func(t *testing.T, dir string) {
			lsptest.WriteFiles(t, dir, map[string]string{
				"tasks/prd-chain/_techspec.md": chain,
				".specls.yaml":                 fmt.Sprintf("limits:\n  max-file-size: %d\n", len(chain)+100),
			})
		}, `"file-too-large"`},
		{"not written", func(t *testing.T, dir string) {
			copyTree(t, "testdata/failing", dir, func(b []byte) []byte { return b })
			matches, _ := filepath.Glob(filepath.Join(dir, "tasks", "*", "_techspec.md"))
			for _, m := range matches {
				if err := os.Chmod(m, 0o444); err != nil {
					t.Fatal(err)
				}
			}
		}, `"section-renamed"`},
	}
	fixedLine := regexp.MustCompile(`(?m)^(fixed|created) .*\n`)
	for _, c := range cases {
		for _, format := range []string{"json", "text"} {
			t.Run(c.name+"/"+format, func(t *testing.T) {
				dir := t.TempDir()
				c.setup(t, dir)
				t.Chdir(dir)
				var fixOut, fixErr, out, errb bytes.Buffer
				args := []string{"check", "--format", format, "--color", "never"}
				fixCode := run(append(append([]string(nil), args...), "--fix"), nil, &fixOut, &fixErr)
				code := run(args, nil, &out, &errb)
				report := fixOut.String()
				if format == "text" {
					report = fixedLine.ReplaceAllString(report, "")
				}
				if report != out.String() {
					t.Errorf("the report of --fix and `specls check` after it differ: %s", firstDiff(report, out.String()))
				}
				if !strings.Contains(out.String(), c.want) && !strings.Contains(out.String(), strings.Trim(c.want, `"`)) {
					t.Errorf("the check after --fix does not report %s:\n%.2000s", c.want, out.String())
				}
				skipped := strings.Contains(fixErr.String(), "specls: skipped")
				if skipped != (c.name == "not written") {
					t.Errorf("skipped files: %v; stderr:\n%s", skipped, fixErr.String())
				}
				if !skipped && fixCode != code {
					t.Errorf("--fix exits %d, the check after it %d", fixCode, code)
				}
			})
		}
	}
}

// firstDiff shows where two texts part: the line of each.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %q\nvs\n  %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("one is a prefix of the other (%d and %d lines)", len(al), len(bl))
}
