// Command floor is the benchmark floor for `specls check`: it reads every
// .md file under the given folders and parses it with goldmark and the
// extensions specls uses (tables, task lists, attributes), one file after
// another as specls does, and nothing else. specls cannot check a file
// faster than this.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

func main() {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.TaskList),
		goldmark.WithParserOptions(parser.WithAttribute()),
	)
	files, bytes, nodes := 0, 0, 0
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			doc := md.Parser().Parse(text.NewReader(src))
			// Count top-level blocks so the parse cannot be optimised away.
			nodes += doc.ChildCount()
			files++
			bytes += len(src)
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("parsed %d files, %d bytes, %d top-level blocks\n", files, bytes, nodes)
}
