package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/ai/aitest"
)

const (
	genKey    = "sk-specls-CLI-TEST-9d8c7b6a-NEVER-PRINT"
	genKeyEnv = "SPECLS_CLI_TEST_AI_KEY"
)

// genWorkspace copies the ai package's fixture feature into a temporary
// workspace whose .specls.yaml points at base (none when base is "").
func genWorkspace(t *testing.T, base string) (root, techspec string) {
	t.Helper()
	root = t.TempDir()
	dir := filepath.Join(root, "tasks", "prd-password-reset")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_prd.md", "_techspec.md"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "ai", "testdata", "tasks", "prd-password-reset", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Gate E alone: these tests are about generation, not the other gates.
	cfg := "gates: {A: off, B: off, C: off, D: off, F: off}\n"
	if base != "" {
		cfg += fmt.Sprintf("ai:\n  base-url: %s\n  model: gpt-test\n  api-key-env: %s\n  max-retries: 0\n", base, genKeyEnv)
	}
	if err := os.WriteFile(filepath.Join(root, ".specls.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(genKeyEnv, genKey)
	// The user's own configuration trusts the endpoint and the variable.
	userConfig(t, fmt.Sprintf("trust:\n  endpoints: [%q]\n  api-key-envs: [%s]\n", base, genKeyEnv))
	return root, filepath.Join(dir, "_techspec.md")
}

// userConfig writes the user-level configuration in a fresh
// $XDG_CONFIG_HOME.
func userConfig(t *testing.T, yaml string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if err := os.MkdirAll(filepath.Join(dir, "specls"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "specls", "config.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}

const genFIA = "### Failure Impact Analysis\n\n- Mailer down: reset emails wait in Kafka and go out on recovery."

func TestGenerate(t *testing.T) {
	cases := []struct {
		name     string
		reply    aitest.Reply
		noAI     bool
		args     func(file string) []string
		code     int
		stdout   string // exact, when set
		stderr   []string
		fileHas  string // the file gains this text ("" leaves it unchanged)
		once     string // printed exactly once
		noChange bool
	}{
		{name: "print the section", reply: aitest.Reply{Content: "```markdown\n" + genFIA + "\n```"},
			args: func(f string) []string { return []string{f, "--section", "Failure Impact Analysis"} }, stdout: genFIA + "\n", noChange: true},
		{name: "flags before the file", reply: aitest.Reply{Content: genFIA},
			args: func(f string) []string { return []string{"--section=failure impact analysis", f} }, stdout: genFIA + "\n", noChange: true},
		{name: "write", reply: aitest.Reply{Content: genFIA},
			args:   func(f string) []string { return []string{f, "--section", "Failure Impact Analysis", "--write"} },
			stderr: []string{`wrote "Failure Impact Analysis" in`}, fileHas: genFIA + "\n\n## Service Definitions"},
		{name: "findings in the generated text", reply: aitest.Reply{Content: "## Testing Strategy\n\nLoad tests: TBD"},
			args:   func(f string) []string { return []string{f, "--section", "Testing Strategy"} },
			stderr: []string{"warning section-placeholder", "the checks find 1 problem(s) in it"}, noChange: true},
		{name: "no endpoint configured", noAI: true, args: func(f string) []string { return []string{f, "--section", "Testing Strategy"} }, code: 2,
			stderr: []string{"no AI endpoint is configured: set ai.base-url and ai.model in .specls.yaml (see docs/ai.md)"}, noChange: true},
		{name: "endpoint refuses", reply: aitest.Reply{Status: 500, Error: "down for maintenance"},
			args: func(f string) []string { return []string{f, "--section", "Testing Strategy", "--write"} }, code: 1,
			stderr: []string{"500 Internal Server Error", "down for maintenance"}, once: "down for maintenance", noChange: true},
		{name: "a JSON answer to a streamed request", reply: aitest.Reply{Body: `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"` + strings.ReplaceAll(genFIA, "\n", `\n`) + `"},"finish_reason":"stop"}]}`, Header: map[string]string{"Content-Type": "application/json"}},
			args: func(f string) []string { return []string{f, "--section", "Failure Impact Analysis"} }, stdout: genFIA + "\n", noChange: true},
		{name: "a web page instead of a stream", reply: aitest.Reply{Body: "<html><body>Welcome</body></html>", Header: map[string]string{"Content-Type": "text/html"}},
			args: func(f string) []string { return []string{f, "--section", "Failure Impact Analysis"} }, code: 1,
			stderr: []string{"text/html, not an event stream", "ai.stream: false"}, once: "not an event stream", noChange: true},
		{name: "wrong section answered", reply: aitest.Reply{Content: "## Data Models\n\nx"},
			args: func(f string) []string { return []string{f, "--section", "Testing Strategy", "--write"} }, code: 1,
			stderr: []string{`wrote the section "Data Models" instead of "Testing Strategy"`}, noChange: true},
		{name: "no section for a spec with content", args: func(f string) []string { return []string{f} }, code: 2,
			stderr: []string{"--section"}, noChange: true},
		{name: "unknown section", args: func(f string) []string { return []string{f, "--section", "Rollback Plan"} }, code: 2,
			stderr: []string{`no section "Rollback Plan"`}, noChange: true},
		{name: "not a spec file", args: func(f string) []string { return []string{filepath.Join(filepath.Dir(f), "notes.md"), "--section", "X"} }, code: 2,
			stderr: []string{"is not a _techspec.md or _prd.md"}, noChange: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := aitest.New(t, c.reply)
			fake.Key = genKey
			base := fake.URL
			if c.noAI {
				base = ""
			}
			_, file := genWorkspace(t, base)
			before, _ := os.ReadFile(file)
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"generate"}, c.args(file)...), nil, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr.String())
			}
			if c.stdout != "" && stdout.String() != c.stdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), c.stdout)
			}
			for _, want := range c.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if c.once != "" && strings.Count(stderr.String(), c.once) != 1 {
				t.Errorf("%q printed %d times, want once:\n%s", c.once, strings.Count(stderr.String(), c.once), stderr.String())
			}
			after, _ := os.ReadFile(file)
			if c.noChange && !bytes.Equal(before, after) {
				t.Errorf("the file changed")
			}
			if c.fileHas != "" && (!strings.Contains(string(after), c.fileHas) || strings.Contains(string(after), "[Dependency]")) {
				t.Errorf("file after --write:\n%s", after)
			}
			if strings.Contains(stdout.String()+stderr.String(), genKey) {
				t.Errorf("the API key was printed")
			}
		})
	}
}

func TestGenerateDraftsMissingTechSpec(t *testing.T) {
	fake := aitest.New(t, aitest.Reply{Content: "# Draft\n\n## Architecture Overview\n\nGateway, Identity, Mailer."})
	fake.Key = genKey
	_, file := genWorkspace(t, fake.URL)
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"generate", file, "--write"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# Technical Specification: Password reset\n\n## Architecture Overview\n") {
		t.Errorf("draft = %q", b)
	}
	if !strings.Contains(stderr.String(), `created "_techspec.md"`) || !strings.Contains(stderr.String(), "section-missing") {
		t.Errorf("stderr = %s", stderr.String())
	}
}

// TestGenerateHostileWorkspace: from the CLI, a workspace's .specls.yaml
// alone may not pick the endpoint or the key variable; the user's own
// configuration and flags may.
func TestGenerateHostileWorkspace(t *testing.T) {
	cases := []struct {
		name   string
		keyEnv string
		user   string // the user configuration; %s is the endpoint
		flags  []string
		code   int
		stderr []string
		sent   int
	}{
		{name: "an endpoint the user never named", keyEnv: "EVIL_API_KEY", code: 2, stderr: []string{"names the AI endpoint", "nothing was sent", "--base-url", "trust.endpoints"}},
		{name: "a key variable outside the allow-list", keyEnv: "GITHUB_TOKEN", user: "trust:\n  endpoints: [%q]\n", code: 2, stderr: []string{"GITHUB_TOKEN", "*_API_KEY", "nothing was sent"}},
		{name: "the user's trust list", keyEnv: "EVIL_API_KEY", user: "trust:\n  endpoints: [%q]\n", sent: 1},
		{name: "the user's own endpoint", keyEnv: "EVIL_API_KEY", user: "ai:\n  base-url: %s\n", sent: 1},
		{name: "a flag", keyEnv: "EVIL_API_KEY", flags: []string{"--base-url", "URL"}, sent: 1},
		{name: "the allow-list", keyEnv: "GITHUB_TOKEN", user: "trust:\n  endpoints: [%q]\n  api-key-envs: [GITHUB_TOKEN]\n", sent: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := aitest.New(t, aitest.Reply{Content: genFIA})
			root, file := genWorkspace(t, "")
			cfg := fmt.Sprintf("gates: {A: off, B: off, C: off, D: off, F: off}\nai:\n  base-url: %s\n  model: gpt-test\n  api-key-env: %s\n  max-retries: 0\n", fake.URL, c.keyEnv)
			if err := os.WriteFile(filepath.Join(root, ".specls.yaml"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("EVIL_API_KEY", "sk-evil-0123456789abcdef")
			t.Setenv("GITHUB_TOKEN", "ghp_0123456789abcdef0123")
			user := ""
			if c.user != "" {
				user = fmt.Sprintf(c.user, fake.URL)
			}
			userConfig(t, user)
			args := []string{"generate", file, "--section", "Failure Impact Analysis"}
			for _, f := range c.flags {
				args = append(args, strings.ReplaceAll(f, "URL", fake.URL))
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, nil, &stdout, &stderr); code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr.String())
			}
			for _, want := range c.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if n := len(fake.Requests()); n != c.sent {
				t.Errorf("%d requests, want %d", n, c.sent)
			}
		})
	}
}
