package spec_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// snippets are the lines an edit inserts: the constructs that decide where
// a text may be cut (fences, HTML blocks, link reference definitions,
// headings, front matter) and the ones the model records.
var snippets = []string{
	"```\n", "```python\n", "~~~\n", "````\n", "  ```\n", "<!--\n", "-->\n", "<!-- note -->\n", "# x -->\n",
	"<div>\n", "</div>\n", "<script>\n", "</script>\n", "<?php\n", "?>\n", "<![CDATA[\n", "]]>\n",
	"[x]: /url\n", "[x]\n", "[FR-1]: #fr-1\n", "# Heading FR-4\n", "## Sub\n", "### 3. Third\n", "#\n", "#hashtag\n",
	"###### six\n", "####### seven\n", "| a | b |\n|---|---|\n| FR-2 | 2 |\n", "| c |\n", "---\n", "---\ntitle: x\n# c\n---\n",
	"- [ ] task FR-2\n", "- [x] done\n", "1. FR-7: item\n", "2. second\n", "  - nested\n", "\n", "\n\n", "Title\n", "===\n",
	"    indented code\n", "> quote\n", "> ```\n", "- ```\n", "text with [link](http://x) and <http://y>\n", "\t# tabbed\n",
}

// chars are the characters an edit types.
var chars = []string{"#", "`", "~", "\n", " ", "-", "|", "[", "]", ":", "<", "!", ">", "x", "F", "R", "1", "=", "*", "\t", "😀"}

// edit applies one random edit to src: insert or delete characters or
// lines, or type a snippet. With crlf, inserted line breaks are "\r\n".
func edit(r *rand.Rand, src string, crlf bool) string {
	nl := func(s string) string {
		if crlf {
			return strings.ReplaceAll(s, "\n", "\r\n")
		}
		return s
	}
	lineStart := func() int {
		if len(src) == 0 {
			return 0
		}
		p := r.IntN(len(src) + 1)
		return strings.LastIndexByte(src[:p], '\n') + 1
	}
	switch r.IntN(10) {
	case 0, 1, 2: // type a character
		p := r.IntN(len(src) + 1)
		return src[:p] + nl(chars[r.IntN(len(chars))]) + src[p:]
	case 3, 4: // delete characters (possibly half a line break or a rune)
		if len(src) == 0 {
			return src
		}
		p := r.IntN(len(src))
		return src[:p] + src[min(len(src), p+1+r.IntN(3)):]
	case 5, 6, 7: // insert a line
		p := lineStart()
		return src[:p] + nl(snippets[r.IntN(len(snippets))]) + src[p:]
	case 8: // delete a line
		p := lineStart()
		e := strings.IndexByte(src[p:], '\n')
		if e < 0 {
			return src[:p]
		}
		return src[:p] + src[p+e+1:]
	default: // front matter or a BOM at the start, or take them away
		switch {
		case strings.HasPrefix(src, "\ufeff"):
			return src[3:]
		case strings.HasPrefix(src, "---"):
			return "\ufeff" + src
		default:
			return nl("---\nowner: x\n# not a heading\n---\n") + src
		}
	}
}

// editSources are the texts the property tests edit: generated corpus
// features, the examples and the model sample, each in LF and CRLF.
func editSources(t *testing.T, features int) map[string]string {
	out := map[string]string{}
	add := func(name, s string) {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		out[name+"/lf"] = s
		out[name+"/crlf"] = strings.ReplaceAll(s, "\n", "\r\n")
	}
	for i := range features {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		add(f.Slug+"/_techspec.md", f.TechSpec)
		add(f.Slug+"/_prd.md", f.PRD)
	}
	files, err := filepath.Glob("../examples/*/*/*.md")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../examples/*/*/*/*.md")
	for _, p := range append(files, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		add(strings.TrimPrefix(p, "../"), string(b))
	}
	if len(out) < 2*(2*features+6) {
		t.Fatalf("found %d texts to edit, want the corpus and the examples", len(out))
	}
	return out
}

// pathOf is the spec file name a source is checked as.
func pathOf(name string) string {
	if strings.Contains(name, "_prd") {
		return "tasks/prd-f/_prd.md"
	}
	return "tasks/prd-f/_techspec.md"
}

// TestReparseMatchesParse edits texts at random and holds the document
// the cache builds from the previous one to the one Parse builds from
// scratch, field by field; with Shared, the document shares the text.
func TestReparseMatchesParse(t *testing.T) {
	steps := 40
	if testing.Short() || raceDetector {
		steps = 12
	}
	for _, shared := range []bool{false, true} {
		for name, src := range editSources(t, 3) {
			t.Run(fmt.Sprintf("shared=%v/%s", shared, name), func(t *testing.T) {
				r := rand.New(rand.NewPCG(1, uint64(len(src))))
				crlf := strings.HasSuffix(name, "/crlf")
				path := pathOf(name)
				c := &spec.Cache{Shared: shared}
				c.Parse(path, []byte(src))
				for i := range steps {
					prev := src
					src = edit(r, src, crlf)
					text := []byte(src)
					got, want := c.Parse(path, text), spec.Parse(path, []byte(src))
					if !spec.SameDocument(got, want) {
						t.Fatalf("edit %d: the re-parse differs from Parse\nbefore: %q\nafter:  %q\n%s", i, prev, src, firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
					}
					if shares := len(text) > 0 && unsafe.StringData(got.Slice(spec.Span{End: len(text)})) == &text[0]; shares != shared {
						t.Fatalf("edit %d: the document shares the text it was given: %v, want %v", i, shares, shared)
					}
				}
			})
		}
	}
}

// TestReparseChecksTheSame runs the whole check over features whose tech
// spec and PRD are edited at random: the findings of the documents the
// cache re-parsed are byte for byte those of documents parsed whole.
func TestReparseChecksTheSame(t *testing.T) {
	steps := 8
	if testing.Short() || raceDetector {
		steps = 3
	}
	for i := range 2 {
		f := corpus.Generate(4*i+3, corpus.Options{Seed: 1}) // a feature with a flaw: findings to compare
		for _, crlf := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/crlf=%v", f.Slug, crlf), func(t *testing.T) {
				r := rand.New(rand.NewPCG(2, uint64(i)))
				texts := map[string]string{"tasks/prd-f/_techspec.md": f.TechSpec, "tasks/prd-f/_prd.md": f.PRD}
				for p, s := range texts {
					s = strings.ReplaceAll(s, "\r\n", "\n")
					if crlf {
						s = strings.ReplaceAll(s, "\n", "\r\n")
					}
					texts[p] = s
				}
				c := &spec.Cache{}
				for p, s := range texts {
					c.Parse(p, []byte(s))
				}
				for step := range steps {
					p := "tasks/prd-f/_techspec.md"
					if step%3 == 2 {
						p = "tasks/prd-f/_prd.md"
					}
					texts[p] = edit(r, texts[p], crlf)
					check := func(parse func(string, []byte) *spec.Document) string {
						feat := &spec.Feature{Dir: "tasks/prd-f", Slug: "f"}
						for p, s := range texts {
							feat.Set(parse(p, []byte(s)))
						}
						b, err := json.MarshalIndent(diagnostics.Check(diagnostics.Input{Feature: feat, Config: config.Default()}), "", " ")
						if err != nil {
							t.Fatal(err)
						}
						return string(b)
					}
					want, got := check(spec.Parse), check(c.Parse)
					if got != want {
						t.Fatalf("edit %d of %s: findings differ\n%s", step, p, firstDiff(want, got))
					}
					if step == 0 && !strings.Contains(want, `"code"`) {
						t.Fatalf("no findings to compare: %s", want)
					}
				}
			})
		}
	}
}

// TestReparseReusesChunks: an edit in one section re-parses that section
// only; the models of the others are the earlier document's.
func TestReparseReusesChunks(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		src := corpus.Bench(2000, corpus.Options{Seed: 1}).TechSpec
		if crlf {
			src = strings.ReplaceAll(src, "\n", "\r\n")
		}
		const path = "tasks/prd-f/_techspec.md"
		c := &spec.Cache{}
		c.Parse(path, []byte(src))
		mid := strings.Index(src[len(src)/2:], "\n") + len(src)/2 + 1
		edited := src[:mid] + "x" + src[mid:]
		before := c.Parse(path, []byte(edited)) // the first edit cuts the text into chunks
		again := src[:mid] + "xy" + src[mid:]
		n := c.ParsedBytes()
		after := c.Parse(path, []byte(again))
		if n = c.ParsedBytes() - n; n == 0 || n > int64(len(src)/20) {
			t.Errorf("crlf=%v: the edit had %d bytes of %d parsed, want only its section's", crlf, n, len(src))
		}
		old := map[*spec.Document]bool{}
		for _, m := range spec.ChunkModels(before) {
			old[m] = true
		}
		models := spec.ChunkModels(after)
		parsed := 0
		for _, m := range models {
			if !old[m] {
				parsed++
			}
		}
		if len(models) < 40 || parsed != 1 {
			t.Errorf("crlf=%v: %d of %d chunks parsed again, want 1 of at least 40", crlf, parsed, len(models))
		}
		if want := spec.Parse(path, []byte(again)); !spec.SameDocument(after, want) {
			t.Errorf("crlf=%v: the re-parse differs from Parse\n%s", crlf, firstDiff(spec.DumpDocument(want), spec.DumpDocument(after)))
		}
	}
}

// FuzzReparse edits a text and holds the re-parse, and the parse in
// pieces, to Parse.
func FuzzReparse(f *testing.F) {
	sample := "---\nowner: x\n# c\n---\n# T\n\nText FR-1.\n\n## A\n\n```\n# not a heading\n```\n\n<!--\n# hidden\n-->\n\n## B\n\n| a |\n|---|\n| b |\n\n- [ ] t\n"
	for _, s := range []string{sample, strings.ReplaceAll(sample, "\n", "\r\n"), "\ufeff" + sample} {
		f.Add(s, uint16(40), uint8(0), "```\n")
		f.Add(s, uint16(60), uint8(3), "")
		f.Add(s, uint16(0), uint8(0), "[x]: /u\n")
		f.Add(s, uint16(70), uint8(1), "<div>\n")
	}
	// An empty cell starting a row has no position: Parse gives it the
	// span [0,0) wherever it stands.
	f.Add("# a\n\n## b\n\n| x | y |\n|---|---|\n| p | q\n |\n", uint16(1), uint8(0), "x")
	f.Add("# a\n\n# b\n", uint16(4), uint8(0), "~~~")
	f.Add("# a\r\n# b\r\n", uint16(5), uint8(1), "")
	f.Fuzz(func(t *testing.T, src string, at uint16, del uint8, ins string) {
		p := min(int(at), len(src))
		edited := src[:p] + ins + src[min(len(src), p+int(del)):]
		for _, path := range []string{"tasks/prd-f/_techspec.md", "tasks/prd-f/_prd.md"} {
			c := &spec.Cache{}
			c.Parse(path, []byte(src))
			c.Parse(path, []byte(src+"\n")) // cut into chunks
			got, want := c.Parse(path, []byte(edited)), spec.Parse(path, []byte(edited))
			if !spec.SameDocument(got, want) {
				t.Fatalf("%q: the re-parse differs from Parse\n%s", edited, firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
			}
			// Parsed with goldmark's inline parse of every cell and paragraph.
			if got := spec.ParseInline(path, []byte(edited)); !spec.SameDocument(got, want) {
				t.Fatalf("%q: raw rows or paragraphs change the model\n%s", edited, firstDiff(spec.DumpDocument(got), spec.DumpDocument(want)))
			}
			// Parsed in pieces cut at every heading line, as a big text is.
			if got, _ := spec.ParseSplit(path, []byte(edited), 1, 2); !spec.SameDocument(got, want) {
				t.Fatalf("%q: the split parse differs from Parse\n%s", edited, firstDiff(spec.DumpDocument(want), spec.DumpDocument(got)))
			}
		}
	})
}

// firstDiff shows the first line where two dumps differ, with context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			lo := max(0, i-8)
			return fmt.Sprintf("want:\n%s\ngot:\n%s", strings.Join(w[lo:min(len(w), i+4)], "\n"), strings.Join(g[lo:min(len(g), i+4)], "\n"))
		}
	}
	return "(equal)"
}

// TestSameDocumentSeesEveryField: the comparison the property tests rest
// on tells apart documents that differ in one nested field.
func TestSameDocumentSeesEveryField(t *testing.T) {
	const src = "---\na: 1\n---\n# T\n\n## S\n\n| FR-1 | x |\n|---|---|\n| FR-2 | y |\n\n- [ ] t\n"
	parse := func() *spec.Document { return spec.Parse("tasks/prd-f/_prd.md", []byte(src)) }
	if a, b := parse(), parse(); !spec.SameDocument(a, b) || spec.DumpDocument(a) != spec.DumpDocument(b) {
		t.Fatal("two parses of one text differ")
	}
	for name, change := range map[string]func(d *spec.Document){
		"a cell span":        func(d *spec.Document) { d.Tables[0].Rows[0][1].Span.End++ },
		"a table's section":  func(d *spec.Document) { d.Tables[0].Section = d.Headings[0] },
		"a section's parent": func(d *spec.Document) { d.Headings[1].Parent = nil },
		"a subsection span":  func(d *spec.Document) { d.Headings[0].Children[0].Own.Start-- },
		"the front matter":   func(d *spec.Document) { d.FrontMatter["a"] = 2 },
		"a requirement":      func(d *spec.Document) { d.Requirements[0].Text += " " },
		"a task box":         func(d *spec.Document) { d.Tasks[0].Box.Start++ },
	} {
		d := parse()
		change(d)
		if spec.SameDocument(parse(), d) || spec.DumpDocument(parse()) == spec.DumpDocument(d) {
			t.Errorf("%s changed, and the documents compare the same", name)
		}
	}
}

// BenchmarkEditParse is the parse of a didChange: one character typed
// in the middle of the tech spec of prd-bench-<lines>, then taken away,
// parsed whole (Parse) and through the cache (the chunks the edit
// touched), the position mapper included as the server builds it.
func BenchmarkEditParse(b *testing.B) {
	for _, lines := range []int{2000, 10000} {
		src := corpus.Bench(lines, corpus.Options{Seed: 1}).TechSpec
		mid := strings.Index(src[len(src)/2:], "\n") + len(src)/2 + 1
		texts := [][]byte{[]byte(src[:mid] + "x" + src[mid:]), []byte(src)}
		const path = "tasks/prd-f/_techspec.md"
		b.Run(fmt.Sprintf("whole/%d", lines), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				spec.Parse(path, texts[i%2]).Mapper()
			}
		})
		b.Run(fmt.Sprintf("chunks/%d", lines), func(b *testing.B) {
			c := &spec.Cache{}
			c.Parse(path, texts[1])
			c.Parse(path, texts[0])
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c.Parse(path, texts[i%2])
			}
		})
	}
}
