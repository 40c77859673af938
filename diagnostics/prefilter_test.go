package diagnostics

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/internal/corpus"
)

// fileRefs must find exactly what the regexp finds over the whole text.
func TestFileRefsSameAsRegexp(t *testing.T) {
	texts := map[string]string{
		"empty":            "",
		"no newline":       "see apps/web/lib/redis.ts",
		"file name":        "Configure docker-compose.yml and ./schema.gql.\n",
		"path":             "under services/api/handlers now\n",
		"one slash":        "read/write access. e.g. at v1.2\n",
		"CRLF":             "apps/web/x\r\nsettings.toml\r\n\r\nplain line.\r\n",
		"at line start":    "go.mod\n.env\n../up/one/two\n",
		"at end, no break": "a line.\nconfig.yaml",
		"uppercase ext":    "README.MD and Config.YAML are not matched\n",
		"prose":            "Users. Each item is shown; i.e. the list.\n\nMore text.",
		"brackets":         "app/[id]/page/x and lib/a.b/c.d\n",
	}
	for i := range 40 {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		texts["corpus prd "+f.Slug] = f.PRD
		texts["corpus techspec "+f.Slug] = f.TechSpec
	}
	examples, _ := filepath.Glob("../examples/tasks/*/*.md")
	for _, p := range examples {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = string(b)
	}
	// Random lines over the characters the regexp cares about.
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ab/./..-_@[]\n\r mdyamljsongotspyc"
	for i := range 2000 {
		var sb strings.Builder
		for range r.IntN(60) {
			sb.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		texts["random "+string(rune('a'+i%26))+sb.String()] = sb.String()
	}
	for name, text := range texts {
		want := fileRefRe.FindAllIndex([]byte(text), -1)
		got := fileRefs([]byte(text))
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fileRefs = %v, regexp = %v", name, got, want)
		}
	}
}

func BenchmarkFileRefs(b *testing.B) {
	prd := []byte(corpus.Generate(0, corpus.Options{Seed: 1}).PRD)
	b.Run("regexp", func(b *testing.B) {
		b.SetBytes(int64(len(prd)))
		for b.Loop() {
			fileRefRe.FindAllIndex(prd, -1)
		}
	})
	b.Run("lines", func(b *testing.B) {
		b.SetBytes(int64(len(prd)))
		for b.Loop() {
			fileRefs(prd)
		}
	})
}

// deferred must answer as deferredRe does.
func TestDeferredSameAsRegexp(t *testing.T) {
	for _, s := range []string{
		"", "plain requirement", "[Deferred] export to CSV", "export (descoped)", "[won't do] x", "[wont do]",
		"(later)", "[later]", "a (b) [c]", "[OUT OF SCOPE]", "(Out of scope)", "[future", "deferred", "[cut]",
	} {
		if got, want := deferred(s), deferredRe.MatchString(s); got != want {
			t.Errorf("deferred(%q) = %v, regexp %v", s, got, want)
		}
	}
}
