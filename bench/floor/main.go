// Command floor is the benchmark floor for `specls check`: it reads every
// .md file under the given folders and parses it with goldmark and the
// extensions specls uses (tables, task lists, attributes), and nothing
// else. Like `specls check` it spreads the files over GOMAXPROCS workers
// (GOMAXPROCS=1 gives the one-core floor). specls cannot check a file
// faster than this.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

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
	paths := make(chan string)
	type count struct{ files, bytes, nodes int }
	counts := make([]count, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var failed sync.Once
	fail := func(err error) {
		failed.Do(func() {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		})
	}
	for w := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range paths {
				src, err := os.ReadFile(path)
				if err != nil {
					fail(err)
				}
				doc := md.Parser().Parse(text.NewReader(src))
				// Count top-level blocks so the parse cannot be optimised away.
				counts[w].nodes += doc.ChildCount()
				counts[w].files++
				counts[w].bytes += len(src)
			}
		}()
	}
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
				return err
			}
			paths <- path
			return nil
		})
		if err != nil {
			fail(err)
		}
	}
	close(paths)
	wg.Wait()
	var total count
	for _, c := range counts {
		total.files += c.files
		total.bytes += c.bytes
		total.nodes += c.nodes
	}
	fmt.Printf("parsed %d files, %d bytes, %d top-level blocks\n", total.files, total.bytes, total.nodes)
}
