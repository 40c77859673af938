package diagnostics_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// TestMemoEqualsFullCheck is the property the memo must keep: after any
// sequence of edits, a check through the memo (which reuses what it kept
// about unchanged documents and unchanged pieces of the edited one) is
// byte for byte the check of the same text from scratch, in the same
// order, with the same data for the fixes. Random edits of the examples
// and of corpus features, in LF and CRLF, with one memo per workspace kept
// across all of them, as in the language server; now and then an undo
// brings back the documents of the version before, while the memo holds
// the newer version of the edited path.
func TestMemoEqualsFullCheck(t *testing.T) {
	type source struct {
		name  string
		in    diagnostics.Input // Feature: the unedited feature
		steps int
	}
	var sources []source
	results, err := workspace.CheckPaths([]string{filepath.Join("..", "examples")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		ws, err := workspace.Open(r.Root)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, source{"examples/" + r.Feature.Slug, ws.Input(r.Feature), 30})
	}
	// A clean feature and a flawed one (corpus.Flaws): 700–900-line tech
	// specs, so fewer edits each (the race detector runs this in make test).
	features := []int{1, 3}
	for _, i := range features {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		feat := &spec.Feature{Dir: "tasks/prd-" + f.Slug, Slug: f.Slug}
		feat.Set(spec.Parse(feat.Dir+"/_prd.md", []byte(f.PRD)))
		feat.Set(spec.Parse(feat.Dir+"/_techspec.md", []byte(f.TechSpec)))
		sources = append(sources, source{"corpus/" + f.Slug, diagnostics.Input{Feature: feat, Config: config.Default()}, 12})
	}
	for si, src := range sources {
		for _, crlf := range []bool{false, true} {
			name := src.name + "/LF"
			if crlf {
				name = src.name + "/CRLF"
			}
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(si), map[bool]uint64{false: 1, true: 2}[crlf]))
				in := src.in
				in.Memo = &diagnostics.Memo{Size: 4, Pieces: 64 + rng.IntN(512)}
				feat := &spec.Feature{Dir: in.Feature.Dir, Slug: in.Feature.Slug}
				for _, d := range in.Feature.Docs() {
					feat.Set(spec.Parse(d.Path, lineBreaks(d.Text, crlf)))
				}
				snippets := editSnippets(in)
				var log []string
				var before *spec.Feature // the feature before the last edit
				for step := 0; step <= src.steps; step++ {
					if step > 1 && rng.IntN(6) == 0 {
						// Undo: the documents of the version before come back,
						// and the memo holds the newer one of the edited path.
						log = append(log, "undo")
						feat, before = before, feat
					} else if step > 0 {
						docs := feat.Docs()
						d := docs[rng.IntN(len(docs))]
						if feat.TechSpec != nil && rng.IntN(4) > 0 {
							d = feat.TechSpec
						}
						text, what := randomEdit(rng, d.Text, snippets, crlf)
						log = append(log, fmt.Sprintf("%s: %s", filepath.Base(d.Path), what))
						next := &spec.Feature{Dir: feat.Dir, Slug: feat.Slug}
						for _, o := range feat.Docs() {
							if o == d {
								o = spec.Parse(d.Path, text)
							}
							next.Set(o) // the other documents stay the same parsed ones
						}
						feat, before = next, feat
					}
					in.Feature = feat
					got := diagnostics.Check(in)
					full := in
					full.Memo = nil
					want := diagnostics.Check(full)
					gj, wj := findingsJSON(t, got), findingsJSON(t, want)
					if !bytes.Equal(gj, wj) || !reflect.DeepEqual(got, want) {
						t.Fatalf("after %d edits (%s) the memoised check differs from a full one:\nmemo: %s\nfull: %s",
							step, strings.Join(log, "; "), gj, wj)
					}
				}
			})
		}
	}
}

func findingsJSON(t *testing.T, fs []diagnostics.Finding) []byte {
	t.Helper()
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func lineBreaks(text []byte, crlf bool) []byte {
	lf := bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	if !crlf {
		return lf
	}
	return bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
}

// editSnippets are what the random edits type: pieces of text the rules
// look at (markers, placeholders, template lines, headings of the
// template and others, fences, code spans, table rows, terms of the
// review rules) and plain characters.
func editSnippets(in diagnostics.Input) []string {
	out := []string{"x", "e", " ", "\n", "\n\n", "`", "``", "```\n", "```proto\nsyntax = \"proto3\";\n", "~~~\n", "\\",
		"TODO", "TBD: retention", "[NEEDS CLARIFICATION: who]", "[Service Name]", "[x]", "- [ ] ", "- [x] Gate A passes",
		"| Example: `auth-service` API | x |\n", "| a | b |\n|---|---|\n", "\n## Open Questions\n\n", "\n## Notes\n\ntext\n",
		"\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n  A -->|gRPC| B\n```\n", "\n# Another title\n", "\nSetext\n======\n",
		"\n- ## In a list\n", "> ## quoted\n", "    indented code\n", "<!-- comment -->", "<div>\n", "---\n",
		"timeout", " retries with backoff", "prometheus", "uv sync", "Python 3.8", "requires-python = \">=3.9\"", "caching with redis",
		"Decision: ", "**Open Questions:** ", "FR-1", "FR-99", "😀", "中文", "\r",
		// What service-incomplete looks for in a service's body.
		" handles ", " endpoints", " REST ", " schema", " depends on ", "Dependencies: none", " proto ", "- [ ] database schema\n"}
	// Deployment phases and graph edges naming the graph's own nodes, in
	// the order its edges say and reversed (deployment-order), and nodes
	// renamed: the memo keeps the spellings of every node's names.
	if d := in.Feature.TechSpec; d != nil {
		if g := arch.DependencyGraph(d); g != nil && g.OK() != nil {
			nodes := g.OK().Nodes
			for i, e := range g.OK().Edges {
				if i >= 6 {
					break
				}
				from, to := g.OK().Node(e.From), g.OK().Node(e.To)
				if from == nil || to == nil {
					continue
				}
				out = append(out,
					fmt.Sprintf("\n- **Phase 1**: %s\n- **Phase 2**: %s\n", from.Label, to.Label),
					fmt.Sprintf("\n- Phase 3: %s\n  - %s first\n", to.ID, from.ID),
					fmt.Sprintf("  %s -->|gRPC| %s\n", to.ID, from.ID),
					fmt.Sprintf("  %s[%s Renamed Service]\n", from.ID, from.Label))
			}
			for i, n := range nodes {
				if i >= 6 {
					break
				}
				out = append(out, n.Label, n.ID, " "+strings.ToLower(n.Label)+" ")
			}
		}
	}
	for _, k := range []spec.Kind{spec.KindPRD, spec.KindTechSpec} {
		t := in.Templates[k]
		if t == nil {
			t = spec.BuiltinTemplate(k)
		}
		for _, ts := range t.Sections {
			out = append(out, "\n"+strings.Repeat("#", max(ts.Level, 1))+" "+ts.Title+"\n")
			for _, l := range strings.Split(ts.Body, "\n") {
				if strings.TrimSpace(l) != "" {
					out = append(out, l+"\n")
				}
			}
		}
	}
	return out
}

// randomEdit applies one edit at a random place: typing a snippet,
// deleting a range, or moving a run of lines elsewhere.
func randomEdit(rng *rand.Rand, text []byte, snippets []string, crlf bool) ([]byte, string) {
	at := rng.IntN(len(text) + 1)
	// Mostly at a line start or inside a line, as an editor would.
	if rng.IntN(3) == 0 {
		if i := bytes.LastIndexByte(text[:at], '\n'); i >= 0 {
			at = i + 1
		} else {
			at = 0
		}
	}
	switch rng.IntN(6) {
	case 0, 1, 2:
		s := snippets[rng.IntN(len(snippets))]
		if crlf && s != "\r" {
			s = strings.ReplaceAll(s, "\n", "\r\n")
		}
		return splice(text, at, at, s), fmt.Sprintf("insert %q at %d", s, at)
	case 3:
		end := min(len(text), at+rng.IntN(40))
		return splice(text, at, end, ""), fmt.Sprintf("delete %d-%d", at, end)
	case 4:
		end := min(len(text), at+rng.IntN(400))
		return splice(text, at, end, ""), fmt.Sprintf("delete %d-%d", at, end)
	default:
		// Move a run of lines (a section, often) to another line start.
		lines := bytes.SplitAfter(text, []byte("\n"))
		a := rng.IntN(len(lines))
		b := min(len(lines), a+1+rng.IntN(30))
		run := bytes.Join(lines[a:b], nil)
		rest := append(append([][]byte{}, lines[:a]...), lines[b:]...)
		to := rng.IntN(len(rest) + 1)
		out := append(append(append([][]byte{}, rest[:to]...), run), rest[to:]...)
		return bytes.Join(out, nil), fmt.Sprintf("move lines %d-%d to %d", a, b, to)
	}
}

func splice(text []byte, from, to int, s string) []byte {
	out := make([]byte, 0, len(text)+len(s))
	out = append(out, text[:from]...)
	out = append(out, s...)
	return append(out, text[to:]...)
}

// Documents at the edges of cutting a text into pieces: headings that are
// not ATX headings at the start of a line (the memo must then scan the
// whole text: a setext heading can sit inside a code span opened before
// it), a byte order mark, "\r" line breaks, front matter, a fence left
// open over later headings, template text on both sides of a heading.
func TestMemoPieceEdges(t *testing.T) {
	tech := spec.BuiltinTemplate(spec.KindTechSpec)
	var body string
	for _, ts := range tech.Sections {
		if ts.Body != "" && ts.Level > 1 {
			body = strings.SplitN(ts.Body, "\n", 2)[0]
			break
		}
	}
	docs := map[string]string{
		"setext in a code span": "# Technical Specification: X\n\n## Notes\n\ntext `a\n***\nSetext [Foo] `b\n------\n\nTODO\n\n## Open Questions\n\n- [Who] decides\n",
		"heading in a list":     "# Technical Specification: X\n\n## Notes\n\ntext `a\n- ## In a list [Foo] `b\n  TODO `x\n## More\n\n[Bar] `y` TBD\n",
		"heading in a quote":    "# Technical Specification: X\n\n## Notes\n\ntext `a\n> ## Quoted [Foo] `b\n> TODO\n\n## More\n\n[Bar]\n",
		"byte order mark":       "\ufeff# Technical Specification: X\n\n## Notes\n\n[Foo] TODO\n",
		"CR line breaks":        "# Technical Specification: X\r\r## Notes\r\r[Foo] TODO\r## More\r\r`[Bar]`\r",
		"front matter":          "---\ntitle: X [Foo]\n---\n# Technical Specification: X\n\n## Notes\n\n[Foo] TODO\n",
		"open fence":            "# Technical Specification: X\n\n## Notes\n\n```\n## Not a heading [Foo]\nTODO\n\n## Open Questions\n\n[Bar]\n",
		"template text":         "# Technical Specification: X\n\n## Architecture Overview\n\n" + body + "\n" + body + "\n\n### Service Dependency Graph\n\n" + body + "\n",
		"text before a heading": "[Foo] before the title TODO\n\n# Technical Specification: X\n\n## Notes\n\ntext\n",
	}
	for name, text := range docs {
		for _, crlf := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/crlf=%v", name, crlf), func(t *testing.T) {
				src := []byte(text)
				if crlf {
					src = bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
				}
				memo := &diagnostics.Memo{}
				prd := spec.Parse("tasks/prd-x/_prd.md", []byte("# PRD: X\n\n## Core Features\n\n1. FR-1: Do x.\n"))
				for i, edit := range []string{"", "TODO ", "[Baz] "} {
					// Each edit types at the start of the last line.
					at := bytes.LastIndexAny(bytes.TrimRight(src, "\r\n"), "\r\n") + 1
					src = splice(src, at, at, edit)
					f := &spec.Feature{Dir: "tasks/prd-x", Slug: "x"}
					f.Set(prd)
					f.Set(spec.Parse("tasks/prd-x/_techspec.md", src))
					got := diagnostics.Check(diagnostics.Input{Feature: f, Config: config.Default(), Memo: memo})
					want := diagnostics.Check(diagnostics.Input{Feature: f, Config: config.Default()})
					if gj, wj := findingsJSON(t, got), findingsJSON(t, want); !bytes.Equal(gj, wj) || !reflect.DeepEqual(got, want) {
						t.Fatalf("check %d: the memoised check differs from a full one:\nmemo: %s\nfull: %s", i, gj, wj)
					}
					if i == 0 && len(want) == 0 {
						t.Fatal("fixture: the document should have findings")
					}
				}
			})
		}
	}
}

// TestMemoNodeSpellings: the memo keeps the spellings of a graph node's
// names (deployment-order looks for them in the phases) under all of its
// names: a node that keeps its label under a new ID, or its ID under a new
// label, is looked for by its new names.
func TestMemoNodeSpellings(t *testing.T) {
	doc := func(graph, phases string) string {
		return "# Technical Specification: Orders\n\n## Architecture Overview\n\n### Service Dependency Graph\n\n```mermaid\ngraph TD\n" +
			graph + "```\n\n## Deployment Architecture\n\n### Deployment Sequencing\n\n" + phases
	}
	versions := []string{
		doc("  Gw[Gateway] -->|gRPC| Ord[Orders]\n", "- **Phase 1**: Gateway\n- **Phase 2**: Orders\n"),
		doc("  Gx[Gateway] -->|gRPC| Ord[Orders]\n", "- **Phase 1**: gx\n- **Phase 2**: Orders\n"),
		doc("  Gx[Edge] -->|gRPC| Ord[Orders]\n", "- **Phase 1**: Edge\n- **Phase 2**: Orders\n"),
		doc("  Gw[Gateway] -->|gRPC| Ord[Orders]\n", "- **Phase 1**: gx\n- **Phase 2**: Orders\n"),
	}
	memo := &diagnostics.Memo{}
	reported := 0
	for i, v := range versions {
		f := &spec.Feature{Dir: "tasks/prd-orders", Slug: "orders"}
		f.Set(spec.Parse(f.Dir+"/_techspec.md", []byte(v)))
		got := diagnostics.Check(diagnostics.Input{Feature: f, Config: config.Default(), Memo: memo})
		want := diagnostics.Check(diagnostics.Input{Feature: f, Config: config.Default()})
		if gj, wj := findingsJSON(t, got), findingsJSON(t, want); !bytes.Equal(gj, wj) {
			t.Fatalf("version %d: the memoised check differs from a full one:\nmemo: %s\nfull: %s", i, gj, wj)
		}
		for _, fd := range want {
			if fd.Code == "deployment-order" {
				reported++
			}
		}
	}
	if reported != 3 {
		t.Fatalf("deployment-order reported %d times over the versions, want 3 (the test no longer exercises the spellings)", reported)
	}
}

// TestFindingsOutliveTheCheck: a check's evidence texts live in a buffer
// the next check reuses (evidenceBuffers), so nothing a check returns may
// point into them. The findings of every example and of two corpus
// features are marshalled, other documents (every letter changed) are
// checked many times over, and the findings must marshal the same.
func TestFindingsOutliveTheCheck(t *testing.T) {
	results, err := workspace.CheckPaths([]string{filepath.Join("..", "examples")})
	if err != nil {
		t.Fatal(err)
	}
	var ins []diagnostics.Input
	for _, r := range results {
		ws, err := workspace.Open(r.Root)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, ws.Input(r.Feature))
	}
	for _, i := range []int{1, 3} {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		feat := &spec.Feature{Dir: "tasks/prd-" + f.Slug, Slug: f.Slug}
		feat.Set(spec.Parse(feat.Dir+"/_prd.md", []byte(f.PRD)))
		feat.Set(spec.Parse(feat.Dir+"/_techspec.md", []byte(f.TechSpec)))
		ins = append(ins, diagnostics.Input{Feature: feat, Config: config.Default()})
	}
	// And a feature whose findings quote the document (python-version).
	if len(ins) > 0 {
		old := ins[0].Feature
		feat := &spec.Feature{Dir: old.Dir, Slug: old.Slug}
		for _, d := range old.Docs() {
			text := d.Text
			if d == old.TechSpec {
				text = append(bytes.Clone(text), "\nThe workers run Python 3.8 and requires-python = \">=3.9\".\n"...)
			}
			feat.Set(spec.Parse(d.Path, text))
		}
		in := ins[0]
		in.Feature = feat
		ins = append(ins, in)
	}
	// The findings as marshalled, and the fixes' data (strings by value).
	snapshot := func(fs []diagnostics.Finding) string {
		var b strings.Builder
		b.Write(findingsJSON(t, fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "\n%+v", f.Data)
		}
		return b.String()
	}
	shift := func(b []byte) []byte {
		out := bytes.Clone(b)
		for i, c := range out {
			switch {
			case 'a' <= c && c < 'z', 'A' <= c && c < 'Z', '0' <= c && c < '9':
				out[i] = c + 1
			}
		}
		return out
	}
	for _, in := range ins {
		fs := diagnostics.Check(in)
		before := snapshot(fs)
		other := &spec.Feature{Dir: in.Feature.Dir, Slug: in.Feature.Slug}
		for _, d := range in.Feature.Docs() {
			other.Set(spec.Parse(d.Path, shift(d.Text)))
		}
		for range 8 {
			oin := in
			oin.Feature = other
			diagnostics.Check(oin)
		}
		if after := snapshot(fs); before != after {
			t.Fatalf("%s: the findings changed when other documents were checked:\nbefore: %s\nafter:  %s", in.Feature.Slug, before, after)
		}
	}
}
