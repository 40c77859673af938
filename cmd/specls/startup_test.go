package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// `specls --help` is answered by the init of internal/about, before any
// heavy package initialises, and `specls version` by internal/version's,
// before goldmark, net/http and specls's own packages, or by about's when the
// version was stamped at link time, as `make build` does by default. The
// binary, traced with GODEBUG=inittrace=1, prints what run prints and exits
// before the packages named initialise. `specls help check` goes through
// main, after every init: the trace shows them, so the test tells the paths
// apart.
func TestEarlyAnswer(t *testing.T) {
	const stamp = "v9.9.9-startup"
	plain := speclsBinary(t)
	// Built by the Makefile, as users build it: with VERSION= given, and
	// with the version it derives from the checkout.
	stamped := makeBuild(t, "specls-stamped", "VERSION="+stamp)
	made := makeBuild(t, "specls-made")
	protobuf := "google.golang.org/protobuf/types/descriptorpb"
	late := []string{"github.com/yuin/goldmark/parser", "net/http", "github.com/specls/specls/server"}
	all := append([]string{protobuf}, late...)
	// What make build stamps: git describe's name for this checkout, or,
	// outside one, nothing (the build info's version, answered later).
	madeWant, madeNot := "", late
	if v := describe(t); v != "" {
		madeWant, madeNot = "specls "+v+"\n", all
	}
	for _, tt := range []struct {
		bin  string
		args []string
		want string // stdout; "" for run's
		not  []string
	}{
		{plain, []string{"version"}, "", late},
		{plain, []string{"--version"}, "", late},
		{plain, []string{"-version", "x"}, "", late},
		{stamped, []string{"version"}, "specls " + stamp + "\n", all},
		{stamped, []string{"--version"}, "specls " + stamp + "\n", all},
		{made, []string{"version"}, madeWant, madeNot},
		{made, []string{"--version"}, madeWant, madeNot},
		{plain, []string{"help"}, "", all},
		{plain, []string{"--help"}, "", all},
		{plain, []string{"-h"}, "", all},
		{plain, []string{"help", "version"}, "", all},
		{stamped, []string{"-help"}, "", all},
		{made, []string{"--help"}, "", all},
		{plain, []string{"help", "check"}, "", nil},
		{made, []string{"help", "check"}, "", nil},
	} {
		want, _, wantCode := runCLI(t, tt.args...)
		if tt.want != "" {
			want = tt.want
		}
		cmd := exec.Command(tt.bin, tt.args...)
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		name := filepath.Base(tt.bin)
		if code := cmd.ProcessState.ExitCode(); code != wantCode || stdout.String() != want {
			t.Errorf("%s %q: exit %d (%v), stdout %q; want exit %d, %q", name, tt.args, code, err, stdout.String(), wantCode, want)
		}
		trace := stderr.String()
		if !strings.Contains(trace, "init runtime @") {
			t.Fatalf("%s %q: no init trace on stderr: %q", name, tt.args, trace)
		}
		for _, pkg := range all {
			ran := strings.Contains(trace, "init "+pkg+" @")
			if early := slices.Contains(tt.not, pkg); early && ran {
				t.Errorf("%s %q: %s initialised before the answer:\n%s", name, tt.args, pkg, trace)
			} else if tt.not == nil && !ran {
				t.Errorf("%s %q goes through main, but the trace shows no init of %s", name, tt.args, pkg)
			}
		}
	}
}

// makeBuild builds specls with `make build` and the given variables into a
// temporary folder and returns the binary's path.
func makeBuild(t *testing.T, name string, vars ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	args := append([]string{"-s", "-C", filepath.Join("..", ".."), "build", "BIN=" + bin}, vars...)
	cmd := exec.Command("make", args...)
	// Not the variables of a make that runs this test (make test
	// VERSION=...), nor a VERSION from the environment, which make would
	// take as the stamp.
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VERSION":
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

// describe returns the version make build stamps from the checkout (git
// describe --tags --always --dirty), or "" when the sources are not a git
// checkout of their own, where it stamps none.
func describe(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	top, err := exec.Command("git", "-C", root, "rev-parse", "--show-toplevel").Output()
	if err != nil || strings.TrimSpace(string(top)) != root {
		return ""
	}
	out, err := exec.Command("git", "-C", root, "describe", "--tags", "--always", "--dirty").Output()
	if err != nil {
		t.Fatalf("git describe: %v", err)
	}
	return strings.TrimSpace(string(out))
}
