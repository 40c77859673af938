package gfm_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/internal/gfm"
)

// cases are the corners of the two extensions, beside the real documents.
var cases = []string{
	"| a | b |\n|---|:-:|\n| 1 | 2 |\n",
	"a | b\n--|--\n1 | 2 | 3\n4\n",
	"| left | right | center | none |\n|:--|--:|:-:|---|\n|1|2|3|4|\n",
	"| code | pipe |\n|---|---|\n| `a \\| b` | c \\| d |\n| `x\\|y\\|z` | `\\|` |\n",
	"paragraph line\n| a | b |\n| - | - |\n| c | d |\n\nnext\n",
	"| not | a table |\n| --- |\n",
	"|a|\n|-|\n",
	"    | indented | code |\n    |---|---|\n",
	"| a | b |\n|---|---|\n\n| c |\n",
	"> | quoted | table |\n> |---|---|\n> | 1 | 2 |\n",
	"- | in | list |\n  |---|---|\n  | 1 | 2 |\n",
	"| a |\n|:-:|\n| **bold** [link](x) <b>html</b> |\n",
	"- [ ] open\n- [x] done\n- [X] Done too\n- [] not a box\n-  [ ] two spaces\n",
	"1. [ ] numbered\n2. [x] numbered done\n\n* [ ]\n* [x]not spaced\n",
	"- item\n  - [ ] nested\n  - [x] nested done\n- text [ ] not first\n",
	"- [ ] box\n  continued\n\n  second paragraph [x]\n",
	"## Heading {#id .class}\n\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n",
	"- [ ] CRLF\r\n- [x] CRLF done\r\n",
	"www.example.com and https://example.com/x?y=1 are not links here\n",
	"|a|b|\n|--|--|\n|1|2|\n|3|\n|4|5|6|\n",
	"| a\n| -\n| b\n",
	"",
}

// The copied extensions parse every document as goldmark's own do:
// the same tree, node for node, with the same positions.
func TestSameAsGoldmark(t *testing.T) {
	ours := gfm.NewParser(parser.WithAttribute())
	theirs := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.TaskList),
		goldmark.WithParserOptions(parser.WithAttribute()),
	).Parser()
	docs := map[string]string{}
	for i, c := range cases {
		docs[fmt.Sprintf("case %d", i)] = c
	}
	root := filepath.Join("..", "..")
	for _, dir := range []string{"examples", "testdata", "docs", "spec", "diagnostics", "codeactions", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
				return err
			}
			b, err := os.ReadFile(path)
			docs[path] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 24 {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		docs[f.Slug+"/_prd.md"] = f.PRD
		docs[f.Slug+"/_techspec.md"] = f.TechSpec
	}
	if len(docs) < 100 {
		t.Fatalf("only %d documents: the repository's examples and testdata were not found", len(docs))
	}
	tables, boxes := 0, 0
	for name, doc := range docs {
		src := []byte(doc)
		got := dump(ours.Parse(text.NewReader(src)), src)
		want := dump(theirs.Parse(text.NewReader(src)), src)
		if got != want {
			g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Errorf("%s: line %d of the tree:\n got %s\nwant %s", name, i+1, g[i], w[i])
					break
				}
			}
			if len(g) != len(w) {
				t.Errorf("%s: %d nodes, goldmark %d", name, len(g), len(w))
			}
		}
		tables += strings.Count(got, "*ast.Table ")
		boxes += strings.Count(got, "*ast.TaskCheckBox ")
	}
	// Both extensions were exercised, not just plain CommonMark.
	if tables < 100 || boxes < 10 {
		t.Errorf("%d tables and %d task boxes parsed: too few to compare the extensions", tables, boxes)
	}
}

// dump writes the tree one node a line: its type, position, lines and the
// fields the extensions and specls read.
func dump(doc ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		depth := 0
		for p := n.Parent(); p != nil; p = p.Parent() {
			depth++
		}
		fmt.Fprintf(&b, "%s%T pos=%d", strings.Repeat(" ", depth), n, n.Pos())
		if n.Type() == ast.TypeBlock {
			for i := range n.Lines().Len() {
				s := n.Lines().At(i)
				fmt.Fprintf(&b, " [%d,%d+%d]", s.Start, s.Stop, s.Padding)
			}
		}
		for _, a := range n.Attributes() {
			fmt.Fprintf(&b, " @%s=%v", a.Name, a.Value)
		}
		switch n := n.(type) {
		case *ast.Text:
			fmt.Fprintf(&b, " %q soft=%v hard=%v raw=%v", n.Segment.Value(src), n.SoftLineBreak(), n.HardLineBreak(), n.IsRaw())
		case *ast.String:
			fmt.Fprintf(&b, " %q", n.Value)
		case *ast.Heading:
			fmt.Fprintf(&b, " level=%d", n.Level)
		case *ast.List:
			fmt.Fprintf(&b, " marker=%c start=%d tight=%v", n.Marker, n.Start, n.IsTight)
		case *ast.Link:
			fmt.Fprintf(&b, " dest=%q title=%q", n.Destination, n.Title)
		case *ast.AutoLink:
			fmt.Fprintf(&b, " url=%q", n.URL(src))
		case *east.Table:
			fmt.Fprintf(&b, " align=%v", n.Alignments)
		case *east.TableRow:
			fmt.Fprintf(&b, " align=%v", n.Alignments)
		case *east.TableCell:
			fmt.Fprintf(&b, " align=%v", n.Alignment)
		case *east.TaskCheckBox:
			fmt.Fprintf(&b, " checked=%v", n.IsChecked)
		}
		b.WriteByte('\n')
		return ast.WalkContinue, nil
	})
	return b.String()
}
