// Package gfm is goldmark's parser for spec files: CommonMark with the two
// GitHub Flavored Markdown extensions specls reads, tables and task lists.
//
// The two extensions are copied from goldmark's extension package rather
// than imported: that package's init compiles the regexps of all its
// extensions, the linkify ones (with repetitions such as {1,256}) among
// them, and it was the costliest package init in specls. The copies
// leave out the HTML renderers, which specls does not use, and are checked
// against goldmark's own by TestSameAsGoldmark.
//
// NewSpecParser, the parser of spec.Parse, also skips goldmark's inline
// parse where it can make nothing spec.Parse reads: table rows that can
// only be text (RawRow) and paragraphs and list items that can hold no
// link (RawParagraph), most of a spec. TestSameAsGoldmark compares its
// trees with goldmark's too, raw rows expanded into goldmark's nodes.
package gfm

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// NewParser returns goldmark's default parser with GFM tables and task
// lists, configured as goldmark.New(goldmark.WithExtensions(extension.Table,
// extension.TaskList), goldmark.WithParserOptions(opts...)) configures it.
// Like any goldmark parser it is safe for concurrent use.
func NewParser(opts ...parser.Option) parser.Parser {
	return newParser(defaultTableParagraphTransformer, opts...)
}

func newParser(tables *tableParagraphTransformer, opts ...parser.Option) parser.Parser {
	p := parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		// goldmark's one default paragraph transformer, at its priority,
		// behind a test for the '[' every definition starts with.
		parser.WithParagraphTransformers(util.Prioritized(linkReferences{}, 100)),
	)
	p.AddOptions(opts...)
	// The priorities are those of extension.Table and extension.TaskList.
	p.AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(tables, 200)),
		parser.WithASTTransformers(util.Prioritized(defaultTableASTTransformer, 0)),
	)
	p.AddOptions(parser.WithInlineParsers(util.Prioritized(NewTaskCheckBoxParser(), 0)))
	return p
}

// linkReferences is goldmark's LinkReferenceParagraphTransformer for the
// paragraphs that may hold a link reference definition. goldmark's reads
// every paragraph through a new block reader (an allocation and a scan per
// paragraph of every document); a definition starts with '[', and a
// paragraph without one is left as that transformer leaves it.
type linkReferences struct{}

func (linkReferences) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	// An empty paragraph goes to goldmark's, which removes it.
	if lines := node.Lines(); lines.Len() > 0 && !linesHold(lines, reader.Source(), '[') {
		return
	}
	parser.LinkReferenceParagraphTransformer.Transform(node, reader, pc)
}

// linesHold reports whether any of lines holds byte c. A segment's padding
// stands for spaces, so only its source bytes are read.
func linesHold(lines *text.Segments, src []byte, c byte) bool {
	for i := range lines.Len() {
		if l := lines.At(i); bytes.IndexByte(src[l.Start:l.Stop], c) >= 0 {
			return true
		}
	}
	return false
}
