package codeactions

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFixAll runs fix-all on arbitrary tech specs: it must not fail or
// panic, and must keep the BOM, the CRLF line ending and the final newline.
func FuzzFixAll(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.txtar")
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		if i := bytes.Index(b, []byte("-- _techspec.md --\n")); i >= 0 {
			src := b[i+len("-- _techspec.md --\n"):]
			if j := bytes.Index(src, []byte("\n-- ")); j >= 0 {
				src = src[:j+1]
			}
			f.Add(string(src))
		}
	}
	f.Add("")
	f.Add("\ufeff# T\r\n\r\n## Service Definitions\r\n\r\n### A\r\n- Dependencies: B (gRPC)")
	f.Add("## Deployment Sequencing\n\n- **Phase 1**: A\n- **Phase 2**:\n")
	f.Fuzz(func(t *testing.T, src string) {
		in, d := techSpec(src)
		res, err := FixAll(in, nil)
		if err != nil {
			t.Fatalf("FixAll: %v", err)
		}
		got, ok := res.Files[d.Path]
		if !ok {
			return
		}
		out := string(got)
		if strings.HasPrefix(src, "\ufeff") != strings.HasPrefix(out, "\ufeff") {
			t.Errorf("BOM not kept")
		}
		if endsNL := strings.HasSuffix(src, "\n") || strings.HasSuffix(src, "\r"); endsNL != (strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\r")) && src != "" {
			t.Errorf("final newline not kept: %q -> %q", src, out)
		}
		if d.CRLF && !strings.Contains(src, "\n\n") && strings.Count(out, "\n") != strings.Count(out, "\r\n") && !strings.Contains(src, "\r\r") {
			// A consistently CRLF text stays CRLF.
			if strings.Count(src, "\n") == strings.Count(src, "\r\n") {
				t.Errorf("a CRLF text got LF line breaks")
			}
		}
	})
}
