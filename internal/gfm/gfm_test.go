package gfm_test

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
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
	// Plain paragraphs: setext headings, lists tight and loose, quotes,
	// hard breaks, paragraphs a table leaves, link references.
	"plain para\n===\n", "plain\nmore\n---\n", "> quoted plain\n> ===\n", "> quoted\n===\n",
	"- item\n\n  para\n- b\n", "- a\n- b\n  lazy\n", "1. a\n\n2. b\n", "- a\n  - b\n\n    c\n",
	"x\n\n  ===\n", "para\n- - -\n", "para\n  -  \n", "a\n    b\n", "text  \nhard break\\\nnext\n",
	"lead\n| a |\n|---|\n| b |\n", "[x]: /u\n===\n", "[x]: /u\nplain\n===\n", "  indented plain  \n  lines  \n",
	"p\r\nq  \r\n\r\n- r\r\n- s\r\n", "- \n  plain\n", "term\n: not a list\n", "a\n<div>\nb\n",
}

// The copied extensions parse every document as goldmark's own do:
// the same tree, node for node, with the same positions.
func TestSameAsGoldmark(t *testing.T) {
	ours := gfm.NewParser(parser.WithAttribute())
	spec := gfm.NewSpecParser(parser.WithAttribute())
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
	tables, boxes, raws := 0, 0, 0
	for name, doc := range docs {
		src := []byte(doc)
		want := dump(theirs.Parse(text.NewReader(src)), src)
		got := dump(ours.Parse(text.NewReader(src)), src)
		compareTrees(t, name, got, want)
		rawTree := spec.Parse(text.NewReader(src))
		compareTrees(t, name+" (NewSpecParser, raw rows expanded)", dump(rawTree, src), want)
		tables += strings.Count(got, "*ast.Table ")
		boxes += strings.Count(got, "*ast.TaskCheckBox ")
		raws += countRawRows(rawTree)
	}
	// Raw rows were compared, and not every row was one.
	if raws < 1000 {
		t.Errorf("%d raw rows compared: too few", raws)
	}
	// Both extensions were exercised, not just plain CommonMark.
	if tables < 100 || boxes < 10 {
		t.Errorf("%d tables and %d task boxes parsed: too few to compare the extensions", tables, boxes)
	}
}

func compareTrees(t *testing.T, name, got, want string) {
	t.Helper()
	if got == want {
		return
	}
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

func countRawRows(doc ast.Node) int {
	n := 0
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := c.(*gfm.RawRow); ok && entering {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}

func lines(n ast.Node) string {
	var b strings.Builder
	for i := range n.Lines().Len() {
		s := n.Lines().At(i)
		fmt.Fprintf(&b, " [%d,%d+%d]", s.Start, s.Stop, s.Padding)
	}
	return b.String()
}

// linkFreeText reports whether n is a paragraph (or a list's text block)
// whose lines hold no '[' or '<', and whose inlines hold none of the nodes
// spec.Parse reads inside a paragraph (links, images, autolinks, raw HTML,
// task boxes): what a RawParagraph stands for. A paragraph with such lines
// and such a node is written out whole, and differs from the RawParagraph.
func linkFreeText(n ast.Node, src []byte) bool {
	switch n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
	default:
		return false
	}
	if n.Lines().Len() == 0 {
		return false
	}
	for i := range n.Lines().Len() {
		if s := n.Lines().At(i); strings.ContainsAny(string(s.Value(src)), "[<") {
			return false
		}
	}
	read := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch c.(type) {
		case *ast.Link, *ast.Image, *ast.AutoLink, *ast.RawHTML, *east.TaskCheckBox:
			read = true
		}
		return ast.WalkContinue, nil
	})
	return !read
}

// dump writes the tree one node a line: its type, position, lines and the
// fields the extensions and specls read. A RawRow is written as the nodes
// goldmark makes of such a row: a TableRow, and per cell a TableCell with
// its one line and, unless empty, one Text node of that line.
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
		if r, ok := n.(*gfm.RawRow); ok {
			pad := strings.Repeat(" ", depth)
			fmt.Fprintf(&b, "%s*ast.TableRow pos=%d align=%v\n", pad, r.Pos(), r.Alignments)
			for i, c := range r.Cells {
				align := east.AlignNone
				if i < len(r.Alignments) && !c.Missing() {
					align = r.Alignments[i]
				}
				if c.Missing() {
					fmt.Fprintf(&b, "%s *ast.TableCell pos=-1 align=%v\n", pad, align)
					continue
				}
				fmt.Fprintf(&b, "%s *ast.TableCell pos=%d [%d,%d+0] align=%v\n", pad, c.Pos, c.Start, c.Stop, align)
				if c.Stop > c.Start {
					fmt.Fprintf(&b, "%s  *ast.Text pos=%d %q soft=false hard=false raw=false\n", pad, c.Start, src[c.Start:c.Stop])
				}
			}
			return ast.WalkSkipChildren, nil
		}
		if p, ok := n.(*gfm.RawParagraph); ok {
			// The paragraph goldmark makes: a TextBlock in a tight list,
			// else a Paragraph.
			name := "*ast.Paragraph"
			if l, ok := p.Parent().Parent().(*ast.List); ok && l.IsTight {
				if _, ok := p.Parent().(*ast.ListItem); ok {
					name = "*ast.TextBlock"
				}
			}
			fmt.Fprintf(&b, "%s%s pos=%d%s link-free\n", strings.Repeat(" ", depth), name, p.Pos(), lines(p))
			return ast.WalkSkipChildren, nil
		}
		if linkFreeText(n, src) {
			// What a RawParagraph stands for, written as one.
			fmt.Fprintf(&b, "%s%T pos=%d%s link-free\n", strings.Repeat(" ", depth), n, n.Pos(), lines(n))
			return ast.WalkSkipChildren, nil
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

// cellPieces are what random table cells are made of: plain words and
// spaces, escapes (an escaped pipe among them), entities, non-ASCII text
// and Unicode spaces, and the characters that start inline markup.
var cellPieces = []string{
	"a", "Step 1", "gRPC", " ", "  ", "\t", "\\|", "\\", "\\*", "&amp;", "&#124;", "&", "é", "\u00a0", "\u2003", "→",
	"`", "`x`", "` \\| `", "*", "**b**", "_", "[", "]", "[l](u)", "!", "<", "<b>", "<http://x>", "~", "#", ":", "-",
}

// TestRawRowsRandom: random tables, plain rows and not, parse to the tree
// goldmark's own extension makes once raw rows are expanded, in LF and CRLF.
func TestRawRowsRandom(t *testing.T) {
	theirs := goldmark.New(goldmark.WithExtensions(extension.Table, extension.TaskList)).Parser()
	spec := gfm.NewSpecParser()
	r := rand.New(rand.NewPCG(7, 7))
	raws := 0
	for i := range 3000 {
		cols := 1 + r.IntN(4)
		var b strings.Builder
		row := func(cells int) {
			if r.IntN(2) == 0 {
				b.WriteString("|")
			}
			for c := range cells {
				if c > 0 {
					b.WriteString("|")
				}
				for range r.IntN(4) {
					p := cellPieces[r.IntN(len(cellPieces))]
					if r.IntN(3) > 0 && strings.ContainsAny(p, "`*_[]!<") {
						p = "x" // most cells plain, as in specs
					}
					b.WriteString(p)
				}
			}
			if r.IntN(2) == 0 {
				b.WriteString("|")
			}
			b.WriteString("\n")
		}
		row(cols)
		b.WriteString("|" + strings.Repeat("---|", cols) + "\n")
		for range 1 + r.IntN(4) {
			row(max(0, cols-1+r.IntN(3)))
		}
		doc := b.String()
		if i%2 == 1 {
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		}
		src := []byte(doc)
		tree := spec.Parse(text.NewReader(src))
		raws += countRawRows(tree)
		compareTrees(t, fmt.Sprintf("%q", doc), dump(tree, src), dump(theirs.Parse(text.NewReader(src)), src))
	}
	if raws < 1000 {
		t.Errorf("%d raw rows in the random tables: too few", raws)
	}
}

// linePieces are what the lines of random documents are made of: plain
// words, setext underlines, list and quote markers, indentation, hard
// breaks, blank lines, and the characters of inline markup.
var linePieces = []string{
	"plain words", "x", " ", "   ", "    ", "\t", "===", "---", "-", "- ", "* ", "1. ", "2) ", "> ", "#", "# ", "\\", "  ",
	"|", "| a | b |", "|---|---|", "`", "*", "_", "[x]", "[x]: /u", "<b>", "!", "&amp;", "é", "```", "~~~", "<!--", "-->",
}

// TestRawRandom: random documents, through NewSpecParser, parse to the
// tree goldmark's own extensions make (raw rows expanded, link-free paragraphs
// compared by their lines), in LF and CRLF.
func TestRawRandom(t *testing.T) {
	theirs := goldmark.New(goldmark.WithExtensions(extension.Table, extension.TaskList)).Parser()
	spec := gfm.NewSpecParser()
	r := rand.New(rand.NewPCG(9, 9))
	paras := 0
	for i := range 4000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			for range r.IntN(4) {
				p := linePieces[r.IntN(len(linePieces))]
				if r.IntN(2) > 0 && strings.ContainsAny(p, "`*_[]!<") {
					p = "plain"
				}
				b.WriteString(p)
			}
			b.WriteString("\n")
		}
		doc := b.String()
		if i%2 == 1 {
			doc = strings.ReplaceAll(doc, "\n", "\r\n")
		}
		src := []byte(doc)
		tree := spec.Parse(text.NewReader(src))
		_ = ast.Walk(tree, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := c.(*gfm.RawParagraph); ok && entering {
				paras++
			}
			return ast.WalkContinue, nil
		})
		compareTrees(t, fmt.Sprintf("%q", doc), dump(tree, src), dump(theirs.Parse(text.NewReader(src)), src))
	}
	if paras < 1000 {
		t.Errorf("%d raw paragraphs in the random documents: too few", paras)
	}
}
