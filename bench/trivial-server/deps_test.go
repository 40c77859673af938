package main

import (
	"go/parser"
	"go/token"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// deps.go imports exactly the packages outside the standard library that
// specls's own packages import, so that the dependency floor
// bench/startup.sh measures stays the one specls links.
func TestDepsAreSpecls(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "deps.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		got = append(got, p)
	}
	const own = "github.com/specls/specls/"
	out, err := exec.Command("go", "list", "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}:{{join .Imports " "}}{{end}}`, "../../cmd/specls").Output()
	if err != nil {
		t.Fatalf("go list -deps ../../cmd/specls: %v", err)
	}
	var want []string
	for line := range strings.Lines(string(out)) {
		pkg, imports, _ := strings.Cut(strings.TrimSpace(line), ":")
		if !strings.HasPrefix(pkg, own) {
			continue
		}
		for _, p := range strings.Fields(imports) {
			// Outside the standard library: a domain name first.
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") && !strings.HasPrefix(p, own) && !slices.Contains(want, p) {
				want = append(want, p)
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 10 {
		t.Fatalf("go list found only %d imported packages: %q", len(want), want)
	}
	if !slices.Equal(got, want) {
		t.Errorf("deps.go imports\n%q\nspecls imports\n%q", got, want)
	}
}
