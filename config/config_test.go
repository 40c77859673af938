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
		{"unknown key", "rules:\n  section-empty: off\nrulez:\n  x: y\n", `.specls.yaml:3: unknown key "rulez"`},
		{"nested unknown key", "ai:\n  model: x\n  modle: y\n", `.specls.yaml:3: unknown key "modle"`},
		{"bad severity", "rules:\n  section-empty: loud\n", `.specls.yaml:2: unknown severity "loud" (want off, hint, info, warning or error)`},
		{"bad gate", "gates:\n  G: off\n", `.specls.yaml:2: unknown gate "G"`},
		{"bad duration", "server:\n  debounce: soon\n", `.specls.yaml:2: bad duration "soon"`},
		{"bad yaml", "rules: [\n", `.specls.yaml:`},
		{"wrong type", "ignore: 3\n", `.specls.yaml:1:`},
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
