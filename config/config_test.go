package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	src := `# team settings
rules:
  section-empty: off
  graph-cycle: warning
gates:
  C: off
templates:
  techspec: docs/our-template.md
server:
  debounce: 250ms
ai:
  base-url: http://localhost:11434/v1
  model: llama3
  api-key-env: OLLAMA_KEY
  timeout: 30s
`
	c, err := Parse("/ws/.specls.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Rules["section-empty"] != Off || c.Rules["graph-cycle"] != Warning || c.Gates["C"] != Off {
		t.Errorf("rules = %v gates = %v", c.Rules, c.Gates)
	}
	if c.Templates.TechSpec != "docs/our-template.md" || c.Server.Debounce.Duration != 250*time.Millisecond {
		t.Errorf("templates = %+v server = %+v", c.Templates, c.Server)
	}
	if !c.AI.Enabled() || c.AI.Timeout.Duration != 30*time.Second || c.AI.APIKeyEnv != "OLLAMA_KEY" {
		t.Errorf("ai = %+v", c.AI)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "rules:\n  section-empty: off\nrulez:\n  x: y\n", `.specls.yaml:3: unknown key "rulez" (known: rules, gates, templates,`},
		{"nested unknown key", "ai:\n  model: x\n  modle: y\n", `.specls.yaml:3: unknown key "modle" under ai (known: base-url, model,`},
		{"bad severity", "rules:\n  section-empty: loud\n", `.specls.yaml:2: rules.section-empty: unknown severity "loud" (want off, hint, info, warning or error)`},
		{"severity as a list", "gates:\n  C: [1,2]\n", `.specls.yaml:2: gates.C wants a severity (off, hint, info, warning or error), got a list`},
		{"bad gate", "gates:\n  G: off\n", `.specls.yaml:2: unknown gate "G"`},
		{"bad duration", "server:\n  debounce: soon\n", `.specls.yaml:2: server.debounce wants a duration with a unit, such as 200ms or 30s, got "soon"`},
		{"duration without unit", "server:\n  debounce: 5\n", `.specls.yaml:2: server.debounce wants a duration with a unit, got 5; write 5ms or 5s`},
		{"string for a list", "options:\n  licenses: MIT\n", `.specls.yaml:2: options.licenses wants a list of licence names, got "MIT"`},
		{"list for a string", "options:\n  python-minimum: [3]\n", `.specls.yaml:2: options.python-minimum wants a text value, got a list`},
		{"text for a number", "ai:\n  max-retries: many\n", `.specls.yaml:2: ai.max-retries wants a whole number, got "many"`},
		{"bad yaml", "rules: [\n", `.specls.yaml:1: YAML syntax: `},
		{"tab", "rules:\n\tx: off\n", `.specls.yaml:2: a tab in the indentation`},
		{"wrong type", "ignore: 3\n", `.specls.yaml:1: ignore wants a list of glob patterns, got 3`},
		{"misindented, shallower", "rules:\n  section-empty: off\n graph-cycle: off\n", `.specls.yaml:3: this line's indentation matches no key above it`},
		{"misindented, deeper", "rules:\n  section-empty: off\n    graph-cycle: off\n", `.specls.yaml:3: this line's indentation matches no key above it`},
		{"bad layout pattern", "layout:\n  features: [\"tasks/[\"]\n", `.specls.yaml:2: layout.features: bad pattern "tasks/["`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(".specls.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// Every problem of a file is reported, each at its own line, in line order.
func TestParseReportsEveryError(t *testing.T) {
	src := "rules:\n  section-empty: loud\ngates:\n  C: [1,2]\n  Z: off\nserver:\n  debounce: 5\noptions:\n  licenses: MIT\nrulez: {}\n"
	_, err := Parse(".specls.yaml", []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	got := err.Error()
	want := []string{
		`.specls.yaml:2: rules.section-empty: unknown severity "loud"`,
		`.specls.yaml:4: gates.C wants a severity`,
		`.specls.yaml:7: server.debounce wants a duration with a unit`,
		`.specls.yaml:9: options.licenses wants a list of licence names, got "MIT"`,
		`.specls.yaml:10: unknown key "rulez"`,
	}
	lines := strings.Split(got, "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(lines), len(want), got)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d = %q, want it to start with %q", i+1, lines[i], w)
		}
	}
	// Z is an unknown gate, but only once the types are right is it looked at.
	_, err = Parse(".specls.yaml", []byte("gates:\n  C: off\n  Z: off\n  Y: off\n"))
	if err == nil || strings.Count(err.Error(), "unknown gate") != 2 || !strings.HasPrefix(err.Error(), `.specls.yaml:3: unknown gate "Z"`) {
		t.Errorf("unknown gates: %v", err)
	}
}

func TestParseSettingsTakesMilliseconds(t *testing.T) {
	c, err := ParseSettings("settings", []byte(`{"server": {"debounce": 300}}`))
	if err != nil || c.Server.Debounce.Duration != 300*time.Millisecond {
		t.Errorf("settings debounce: %+v, %v", c, err)
	}
}

func TestLoadAndCheckRules(t *testing.T) {
	dir := t.TempDir()
	if c, err := Load(dir); err != nil || c.Path != "" {
		t.Fatalf("no file: %+v, %v", c, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("rules:\n  section-empty: off\n  no-such-rule: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckRules(func(code string) bool { return code == "section-empty" })
	if err == nil || !strings.HasSuffix(err.Error(), `.specls.yaml:3: unknown rule "no-such-rule" (see docs/rules.md for the codes)`) {
		t.Errorf("CheckRules = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("rules:\n  nope-one: off\n  section-empty: off\n  nope-two: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckRules(func(code string) bool { return code == "section-empty" })
	if err == nil || !strings.HasSuffix(err.Error(), `.specls.yaml:2: unknown rule "nope-one" (see docs/rules.md for the codes)
`+filepath.Join(dir, FileName)+`:4: unknown rule "nope-two" (see docs/rules.md for the codes)`) {
		t.Errorf("CheckRules = %v", err)
	}
	if c, err := Parse("x", []byte("# only comments\n# rules:\n#   section-empty: off\n")); err != nil || len(c.Rules) != 0 {
		t.Errorf("comments-only file: %+v, %v", c, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(""), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestRequirementIDPatterns(t *testing.T) {
	c, err := Parse(".specls.yaml", []byte("requirements:\n  id-patterns: [SEC-N, QN]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Requirements.IDPrefixes(), ","); got != "SEC,Q" {
		t.Errorf("prefixes %q", got)
	}
	_, err = Parse(".specls.yaml", []byte("requirements:\n  id-patterns: [sec-1]\n"))
	if err == nil || !strings.Contains(err.Error(), `.specls.yaml:2: requirements.id-patterns: "sec-1" is not an ID pattern`) {
		t.Errorf("bad pattern: %v", err)
	}
}
