package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every package linked into specls runs its init before main, for every
// command: `specls version` and the server's first answer wait for it. These
// tests keep the work that was moved to first use from coming back.

// linked lists the packages built into specls: path -> directory.
func linked(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Dir}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	pkgs := map[string]string{}
	for line := range strings.Lines(string(out)) {
		path, dir, _ := strings.Cut(strings.TrimSpace(line), " ")
		pkgs[path] = dir
	}
	return pkgs
}

// No package of specls compiles a regexp in a package-level declaration:
// they are declared with lazyregexp.New and compiled on first use.
func TestNoRegexpCompiledAtInit(t *testing.T) {
	checked := 0
	for path, dir := range linked(t) {
		if !strings.HasPrefix(path, "github.com/specls/specls/") || path == "github.com/specls/specls/internal/lazyregexp" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, decl := range f.Decls {
				if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					ast.Inspect(g, func(n ast.Node) bool {
						if call, ok := n.(*ast.CallExpr); ok {
							if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
								if x, ok := sel.X.(*ast.Ident); ok && x.Name == "regexp" && strings.HasPrefix(sel.Sel.Name, "MustCompile") {
									t.Errorf("%s: regexp.%s in a package-level declaration runs at start-up: use lazyregexp.New", fset.Position(call.Pos()), sel.Sel.Name)
								}
							}
						}
						return true
					})
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d files checked: go list did not find specls's packages", checked)
	}
}

// specls links neither goldmark's extension package (its init compiles the
// regexps of every extension, linkify's among them) nor goldmark's root
// package (its init builds a default parser and HTML renderer): it parses
// with internal/gfm.
func TestStartPathLinks(t *testing.T) {
	pkgs := linked(t)
	if _, ok := pkgs["github.com/yuin/goldmark/parser"]; !ok {
		t.Fatal("goldmark's parser is not linked: go list gave the wrong packages")
	}
	for _, p := range []string{"github.com/yuin/goldmark/extension", "github.com/yuin/goldmark"} {
		if _, ok := pkgs[p]; ok {
			t.Errorf("%s is linked into specls: its init runs at every start", p)
		}
	}
}
