package diagnostics

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/specls/specls/config"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

var update = flag.Bool("update", false, "rewrite golden files")

// loadArchive builds a feature from a txtar archive's spec files, with
// optional "tasks/docs/_*-template.md" overrides and ".specls.yaml".
// transform rewrites each spec file's text (line endings, BOM).
func loadArchive(t *testing.T, ar *txtar.Archive, transform func(string) string) Input {
	t.Helper()
	f := &spec.Feature{Dir: "tasks/prd-case"}
	in := Input{Feature: f, Templates: map[spec.Kind]*spec.Template{}, Config: config.Default()}
	for _, file := range ar.Files {
		name := file.Name
		switch {
		case name == ".specls.yaml":
			c, err := config.Parse(name, file.Data)
			if err != nil {
				t.Fatal(err)
			}
			in.Config = c
		case strings.HasPrefix(name, "tasks/docs/"):
			k := spec.KindOf(strings.Replace(filepath.Base(name), "-template", "", 1))
			in.Templates[k] = spec.NewTemplate(k, name, file.Data)
			if k == spec.KindTasks {
				in.CustomTasksTemplate = true
			}
		case spec.IsSpecFile(name):
			f.Set(spec.Parse(name, []byte(transform(string(file.Data)))))
		case name == "want":
		default:
			t.Fatalf("unexpected file %s in archive", name)
		}
	}
	return in
}

// render prints findings as a user would read them: file, 1-based
// line:col-line:col in UTF-16 (what an LSP editor shows), severity, code,
// message and the exact text the range covers.
func render(in Input, fs []Finding, gate func(string) bool) string {
	var sb strings.Builder
	for _, f := range fs {
		if !gate(f.Gate) {
			continue
		}
		d := in.Feature.Doc(spec.KindOf(f.Path))
		a, b, err := d.Mapper().SpanRange(f.Span, spec.UTF16)
		if err != nil {
			fmt.Fprintf(&sb, "%s: bad span %v: %v\n", f.Path, f.Span, err)
			continue
		}
		covered := strings.ReplaceAll(f.Span.Text(d.Text), "\r", "")
		if len(covered) > 60 {
			covered = covered[:57] + "..."
		}
		fmt.Fprintf(&sb, "%s:%d:%d-%d:%d: %s %s: %s «%s»\n", filepath.Base(f.Path), a.Line+1, a.Character+1, b.Line+1, b.Character+1, f.Severity, f.Code, f.Message, covered)
	}
	return sb.String()
}

// runGolden checks every archive in dir against its "want" section, for the
// text as written and again with CRLF line endings and a BOM: the positions
// a user sees must not change.
func runGolden(t *testing.T, dir string, gate func(string) bool) {
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if len(files) == 0 {
		t.Fatalf("no golden files in testdata/%s", dir)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			variants := lineVariants
			var want string
			for _, w := range ar.Files {
				if w.Name == "want" {
					want = string(w.Data)
				}
			}
			for _, v := range variants {
				in := loadArchive(t, ar, v.fn)
				got := render(in, Check(in), gate)
				if *update && v.name == "lf" {
					setWant(ar, got)
					if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
					want = got
					continue
				}
				if got != want {
					t.Errorf("%s: findings differ\n--- got\n%s--- want\n%s", v.name, got, want)
				}
			}
		})
	}
}

// lineVariants are the forms every golden runs in: as written, and with
// CRLF line endings and a BOM, which must not move what a user sees.
var lineVariants = []struct {
	name string
	fn   func(string) string
}{
	{"lf", func(s string) string { return s }},
	{"crlf+bom", func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r\n") }},
}

func setWant(ar *txtar.Archive, got string) {
	for i := range ar.Files {
		if ar.Files[i].Name == "want" {
			ar.Files[i].Data = []byte(got)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
}

func TestGateEGolden(t *testing.T) {
	runGolden(t, "gate-e", func(g string) bool { return g == "E" })
}

// TestGateEEveryCode makes sure the goldens exercise every Gate E rule.
func TestGateEEveryCode(t *testing.T) {
	files, _ := filepath.Glob("testdata/gate-e/*.txtar")
	var all []byte
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all = append(all, b...)
	}
	var missing []string
	for _, r := range rules.All() {
		if r.Gate == "E" && !bytes.Contains(all, []byte(" "+r.Code+": ")) {
			missing = append(missing, r.Code)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no golden covers %v", missing)
	}
}

// mayBeKey never says no to a line whose key is one of the keys, and says
// no to most other lines.
func TestMayBeKey(t *testing.T) {
	keys := []string{
		"describe the service", "list every endpoint", "2 steps", "ünïcode first", "caféteria menu",
		"a very long first word that overflows the buffer x", "a very long first word that overflows the buffer y",
		"exactly thirty two bytes of key x",
	}
	set := map[string]bool{}
	for _, k := range keys {
		set[k] = true
	}
	lk := lineKeysOf(set)
	for _, line := range []string{
		"Describe the service.", "  - **List** every endpoint", "2. steps", "Ünïcode first", "Caféteria menu", "caféteria",
		"a-very-long-first-word-that-overflows-the-buffer x", "A very long first word that overflows the buffer, z",
		"Exactly thirty-two bytes of key: x", "Exactly thirty-two bytes of key", "",
	} {
		key := lineKey(line)
		if set[key] && !mayBeKey(line, lk) {
			t.Errorf("mayBeKey(%q) = false, but its key %q starts as a template line's", line, key)
		}
	}
	for _, line := range []string{"The service owns orders.", "Listing is separate", "|| the table", "Describe the services", "", "  **  "} {
		if mayBeKey(line, lk) {
			t.Errorf("mayBeKey(%q) = true, want false", line)
		}
	}
}

// hasMarker is the four substring tests it replaced.
func TestHasMarker(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 18))
	const alphabet = "TODBKFIXMEtodo TBD"
	for range 20000 {
		b := make([]byte, r.IntN(14))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		want := strings.Contains(s, "TODO") || strings.Contains(s, "TBD") || strings.Contains(s, "TKTK") || strings.Contains(s, "FIXME")
		if got := hasMarker(s); got != want {
			t.Fatalf("hasMarker(%q) = %v, want %v", s, got, want)
		}
	}
}
