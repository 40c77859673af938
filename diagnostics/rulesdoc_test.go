package diagnostics

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/specls/specls/rules"
)

// TestRulesDoc checks docs/rules.md against the catalog: one "## <code>"
// entry per rule, each naming the rule's gate and default
// severity as the catalog has them, and no entry for an unknown code.
func TestRulesDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	// Entries start at "## " lines outside code fences (the examples hold
	// markdown headings of their own).
	entries := map[string]string{}
	code, fence := "", ""
	for _, line := range strings.Split(doc, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case fence != "" && strings.HasPrefix(l, fence) && strings.Trim(l, "`") == "":
			fence = ""
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case fence == "" && strings.HasPrefix(line, "## "):
			code = strings.TrimSpace(line[3:])
			if rules.Lookup(code) == nil {
				t.Errorf("docs/rules.md documents unknown code %q", code)
			}
			entries[code] = ""
			continue
		}
		if code != "" {
			entries[code] += line + "\n"
		}
	}
	meta := regexp.MustCompile(`\*\*Gate\*\* (\S+).*?\*\*default severity\*\* (\w+)`)
	for _, r := range rules.All() {
		body, ok := entries[r.Code]
		if !ok {
			t.Errorf("docs/rules.md has no entry for %s", r.Code)
			continue
		}
		m := meta.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no \"**Gate** X · **default severity** Y\" line", r.Code)
			continue
		}
		gate := r.Gate
		if gate == "" {
			gate = "none"
		}
		if m[1] != gate || m[2] != r.Severity.String() {
			t.Errorf("%s: documented as gate %s, %s; the catalog says %s, %s", r.Code, m[1], m[2], gate, r.Severity)
		}
		// The quick fix a user is promised is the one the registry declares
		// (and codeactions registers: TestFixesMatchRegistry).
		fixLine := regexp.MustCompile(`\*\*default severity\*\* \w+(?: · \*\*quick fix\*\* (.*))?\n`).FindStringSubmatch(body)
		want := strings.TrimSuffix(r.Fix, ".")
		if want != "" {
			want = strings.ToLower(want[:1]) + want[1:]
		}
		if fixLine == nil || fixLine[1] != want {
			got := ""
			if fixLine != nil {
				got = fixLine[1]
			}
			t.Errorf("%s: docs/rules.md promises quick fix %q; the registry says %q", r.Code, got, want)
		}
		for _, want := range []string{"**What it checks.**", "**Why.**", "Fails", "Passes"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: entry lacks %q", r.Code, want)
			}
		}
	}
}
