package codeactions

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// archive is a txtar file: header lines "key: value", then "-- name --"
// sections. Headers: "code" (the findings whose fixes apply), "doc" (only
// the findings of this file), "final-newline: no" (inputs and wants lack
// it), "fixable" (codes fix-all must leave none of).
type archive struct {
	header map[string]string
	files  map[string]string
	order  []string
}

func readArchive(t testing.TB, path string) *archive {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := &archive{header: map[string]string{}, files: map[string]string{}}
	name := ""
	var body strings.Builder
	flush := func() {
		if name != "" {
			a.files[name] = body.String()
			a.order = append(a.order, name)
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(string(src), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimRight(line, "\n"), " --") {
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(line, "\n"), "-- "), " --")
			continue
		}
		if name == "" {
			if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
				a.header[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			continue
		}
		body.WriteString(line)
	}
	flush()
	return a
}

func (a *archive) write(path string) error {
	var sb strings.Builder
	keys := make([]string, 0, len(a.header))
	for k := range a.header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sb.WriteString(k + ": " + a.header[k] + "\n")
	}
	for _, n := range a.order {
		sb.WriteString("-- " + n + " --\n" + a.files[n])
		if !strings.HasSuffix(a.files[n], "\n") {
			sb.WriteString("\n")
		}
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

func (a *archive) set(name, content string) {
	if _, ok := a.files[name]; !ok {
		a.order = append(a.order, name)
	}
	a.files[name] = content
}

// variant is a way to write the same document: the fixes must give the
// same result, written the same way.
type variant struct {
	name string
	fn   func(string) string
}

var variants = []variant{
	{"lf", func(s string) string { return s }},
	{"crlf", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
	{"bom", func(s string) string { return "\ufeff" + s }},
	{"crlf+bom", func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r\n") }},
}

const featureDir = "/ws/tasks/prd-ai-chat"

// feature builds a feature from the archive's input files.
func feature(files map[string]string, fn func(string) string) *spec.Feature {
	f := &spec.Feature{Dir: featureDir, Slug: "ai-chat"}
	for name, content := range files {
		if strings.HasPrefix(name, "want/") {
			continue
		}
		f.Set(spec.Parse(filepath.Join(featureDir, name), []byte(fn(content))))
	}
	return f
}

func input(f *spec.Feature) diagnostics.Input {
	return diagnostics.Input{Feature: f, Config: config.Default()}
}

// applyCode applies the preferred fix of every finding with the code, as a
// user picking each quick fix in turn would, in one pass: fixes that repeat
// one another apply once, and one that overlaps an earlier one waits.
func applyCode(t *testing.T, in diagnostics.Input, code, only string) (map[string]string, []diagnostics.Finding) {
	t.Helper()
	findings := diagnostics.Check(in)
	out := map[string]string{}
	var fixed []diagnostics.Finding
	for _, doc := range in.Feature.Docs() {
		if only != "" && filepath.Base(doc.Path) != only {
			continue
		}
		f := newFixer(in, doc)
		var edits []Edit
		seen := map[string]bool{}
		for _, fd := range findings {
			if fd.Path != doc.Path || fd.Code != code {
				continue
			}
			as := f.actionsFor(fd)
			if len(as) == 0 {
				t.Fatalf("no fix offered for %s: %s", fd.Code, fd.Message)
			}
			a := as[0]
			if !a.Preferred {
				t.Errorf("the first fix for %s (%q) is not preferred", fd.Code, a.Title)
			}
			fixed = append(fixed, fd)
			if seen[a.identity()] || clash(edits, a.Edits) {
				continue
			}
			seen[a.identity()] = true
			edits = append(edits, a.Edits...)
			for _, c := range a.Creates {
				out[c.Path] = c.Content
			}
		}
		if len(edits) == 0 {
			continue
		}
		got, err := Apply(doc.Text, mergeInserts(edits))
		if err != nil {
			t.Fatal(err)
		}
		out[doc.Path] = string(got)
	}
	if len(fixed) == 0 {
		t.Fatalf("no %s finding in the input", code)
	}
	return out, fixed
}

// TestFixGoldens applies the fixes of one code to each testdata/fixes
// archive and compares the result with its want/ files, for LF, CRLF and
// BOM variants of the input; then it checks the invariants on the result.
func TestFixGoldens(t *testing.T) {
	paths, _ := filepath.Glob("testdata/fixes/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no golden files")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a := readArchive(t, path)
			code := a.header["code"]
			noFinalNewline := a.header["final-newline"] == "no"
			strip := func(s string) string {
				if noFinalNewline {
					return strings.TrimSuffix(s, "\n")
				}
				return s
			}
			for _, v := range variants {
				fn := func(s string) string { return v.fn(strip(s)) }
				t.Run(v.name, func(t *testing.T) {
					in := input(feature(a.files, fn))
					got, fixed := applyCode(t, in, code, a.header["doc"])
					if *update && v.name == "lf" {
						for p, text := range got {
							a.set("want/"+filepath.Base(p), text)
						}
						if err := a.write(path); err != nil {
							t.Fatal(err)
						}
					}
					for p, text := range got {
						want, ok := a.files["want/"+filepath.Base(p)]
						if !ok {
							t.Errorf("%s changed but the archive has no want/%s (run with -update)", p, filepath.Base(p))
							continue
						}
						if text != fn(want) {
							t.Errorf("%s: got\n%s\nwant\n%s", filepath.Base(p), text, fn(want))
						}
					}
					checkInvariants(t, in, got, fixed)
				})
			}
		})
	}
}

// checkInvariants checks what every fix promises: its findings are gone
// on a re-check, the author's text is all there (headings a rename or a
// re-level fixes aside), and the line ending, BOM and final newline are kept.
func checkInvariants(t *testing.T, in diagnostics.Input, got map[string]string, fixed []diagnostics.Finding) {
	t.Helper()
	after := *in.Feature
	for p, text := range got {
		after.Set(spec.Parse(p, []byte(text)))
	}
	left := map[string]bool{}
	for _, fd := range diagnostics.Check(input(&after)) {
		left[findingKey(fd)] = true
	}
	for _, fd := range fixed {
		if left[findingKey(fd)] {
			t.Errorf("after the fix, %s is still reported: %s", fd.Code, fd.Message)
		}
	}
	for _, doc := range in.Feature.Docs() {
		text, ok := got[doc.Path]
		if !ok {
			continue
		}
		checkKept(t, doc, text, fixed)
	}
}

// checkKept checks that the fixed text keeps every line the author wrote
// (as many times), but for template text and headings fixed by a rename or
// a re-level, and keeps the line ending, BOM and final newline.
func checkKept(t *testing.T, doc *spec.Document, text string, fixed []diagnostics.Finding) {
	t.Helper()
	before := string(doc.Text)
	if doc.BOM != strings.HasPrefix(text, "\ufeff") {
		t.Errorf("BOM: before %v, after %v", doc.BOM, !doc.BOM)
	}
	if doc.CRLF && regexp.MustCompile(`[^\r]\n`).MatchString(text) {
		t.Errorf("a CRLF document got a bare LF line break")
	}
	if !doc.CRLF && strings.Contains(text, "\r") {
		t.Errorf("an LF document got a CR")
	}
	endsNL := func(s string) bool { return strings.HasSuffix(s, "\n") }
	if endsNL(before) != endsNL(text) {
		t.Errorf("final newline: before %v, after %v", endsNL(before), endsNL(text))
	}
	for _, l := range lostLines(doc, text, fixed) {
		t.Errorf("the author's line %q is gone", l)
	}
}

// lostLines returns the lines of doc that text no longer has (as many
// times), but for template text, headings fixed by a rename or a re-level,
// and phase contents moved under another label.
func lostLines(doc *spec.Document, text string, fixed []diagnostics.Finding) []string {
	// Headings a fix renames or re-levels, by their title as written.
	changedHeadings := map[string]bool{}
	for _, fd := range fixed {
		if (fd.Code == "section-renamed" || fd.Code == "section-level" || fd.Code == "title-placeholder") && fd.Data.Section != nil {
			changedHeadings[fd.Data.Section.Title] = true
		}
	}
	headingTitle := func(l string) string { return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#")) }
	raised := map[string]bool{}
	for _, fd := range fixed {
		if fd.Code == "library-below-minimum" {
			raised[strings.ToLower(fd.Data.Target)] = true
		}
	}
	tmpl := templateText(doc.Kind)
	count := map[string]int{}
	for _, l := range lines(text) {
		count[l]++
	}
	var lost []string
	for _, l := range lines(string(doc.Text)) {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if count[l] > 0 {
			count[l]--
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") && changedHeadings[headingTitle(l)] || tmpl(l) {
			continue
		}
		if phaseKept(l, text) {
			continue // the deployment-order fix moves phase contents under fixed labels
		}
		if raised[libraryOf(l)] {
			continue // the library-below-minimum fix rewrites the version
		}
		lost = append(lost, l)
	}
	return lost
}

func lines(s string) []string {
	s = strings.TrimPrefix(strings.ReplaceAll(s, "\r\n", "\n"), "\ufeff")
	return strings.Split(s, "\n")
}

// templateText reports whether a line is template text: a line of the
// built-in template's own text, or placeholders alone.
func templateText(k spec.Kind) func(string) bool {
	set := map[string]bool{}
	if t := spec.BuiltinTemplate(k); t != nil {
		for _, s := range t.Sections {
			set[strings.TrimSpace("#"+strings.Repeat("#", s.Level-1)+" "+s.Title)] = true
			for _, l := range strings.Split(s.Body, "\n") {
				set[strings.TrimSpace(l)] = true
			}
		}
	}
	only := regexp.MustCompile(`^[\s|*:-]*(\[[^\]]+\][\s|*:-]*)+$`)
	return func(l string) bool {
		l = strings.TrimSpace(l)
		return set[l] || only.MatchString(l)
	}
}

// TestFixAllGoldens runs fix-all on each testdata/fixall archive: its
// result must match want/, converge (a second fix-all changes nothing),
// and keep the author's text, for every variant of the input.
func TestFixAllGoldens(t *testing.T) {
	paths, _ := filepath.Glob("testdata/fixall/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no golden files")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a := readArchive(t, path)
			for _, v := range variants {
				t.Run(v.name, func(t *testing.T) {
					in := input(feature(a.files, v.fn))
					res, err := FixAll(in, nil)
					if err != nil {
						t.Fatal(err)
					}
					got := map[string]string{}
					for _, p := range res.Changed() {
						got[p] = string(res.Files[p])
					}
					if *update && v.name == "lf" {
						for p, text := range got {
							a.set("want/"+filepath.Base(p), text)
						}
						if err := a.write(path); err != nil {
							t.Fatal(err)
						}
					}
					for p, text := range got {
						want := v.fn(a.files["want/"+filepath.Base(p)])
						if res.Created[p] {
							want = strings.TrimPrefix(want, "\ufeff") // a new file gets no BOM
						}
						if text != want {
							t.Errorf("%s: got\n%s\nwant\n%s", filepath.Base(p), text, want)
						}
					}
					// Converges: the fixed feature has nothing left to fix.
					after := *in.Feature
					for p, text := range got {
						after.Set(spec.Parse(p, []byte(text)))
					}
					again, err := FixAll(input(&after), nil)
					if err != nil {
						t.Fatal(err)
					}
					if ch := again.Changed(); len(ch) > 0 {
						t.Errorf("a second fix-all still changes %v: %v", ch, again.Applied)
					}
					var fixed []diagnostics.Finding
					for _, ap := range res.Applied {
						fixed = append(fixed, ap.Fixes...)
					}
					left := map[string]bool{}
					for _, fd := range again.Remaining {
						left[findingKey(fd)] = true
						if contains(strings.Fields(a.header["fixable"]), fd.Code) {
							t.Errorf("after fix-all, %s remains: %s", fd.Code, fd.Message)
						}
					}
					for _, fd := range fixed {
						if left[findingKey(fd)] {
							t.Errorf("fix-all applied a fix for %s but it is still reported: %s", fd.Code, fd.Message)
						}
					}
					for _, doc := range in.Feature.Docs() {
						if text, ok := got[doc.Path]; ok {
							checkKept(t, doc, text, fixed)
						}
					}
				})
			}
		})
	}
}

func TestApplyIsByteExactOutsideEdits(t *testing.T) {
	src := []byte("a\r\nb\xffc 😀\n")
	got, err := Apply(src, []Edit{{Span: spec.Span{Start: 3, End: 3}, NewText: "X"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte("a\r\nXb\xffc 😀\n")) {
		t.Errorf("got %q", got)
	}
}

// phaseKept reports whether a "Phase N" line's label and contents are both
// still in text, the contents possibly under another label.
func phaseKept(l, text string) bool {
	loc := phaseLabel.FindStringIndex(l)
	if loc == nil {
		return false
	}
	label, body := l[:loc[1]], l[loc[1]:]
	var hasLabel, hasBody bool
	for _, m := range lines(text) {
		if ml := phaseLabel.FindStringIndex(m); ml != nil {
			hasLabel = hasLabel || m[:ml[1]] == label
			hasBody = hasBody || m[ml[1]:] == body
		}
	}
	return hasLabel && hasBody
}

// libraryOf returns the first word of a table row or list line, lower-cased:
// the library a row of a libraries table names.
func libraryOf(l string) string {
	f := strings.Fields(strings.Trim(strings.TrimSpace(l), "|-* "))
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.Trim(f[0], "`|"))
}
