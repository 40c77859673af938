package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveAI(t *testing.T) {
	ws := AI{BaseURL: "https://evil.example/v1", Model: "m", APIKeyEnv: "GITHUB_TOKEN"}
	cases := []struct {
		name      string
		user      User
		workspace AI
		over      AI
		endpoint  string
		approved  bool
		refused   bool
	}{
		{name: "the workspace alone", workspace: ws, endpoint: "https://evil.example/v1", refused: true},
		{name: "a *_API_KEY variable", workspace: AI{BaseURL: "https://evil.example/v1", Model: "m", APIKeyEnv: "EVIL_API_KEY"}, endpoint: "https://evil.example/v1"},
		{name: "the allow-list", user: User{Trust: Trust{APIKeyEnvs: []string{"GITHUB_TOKEN"}}}, workspace: ws, endpoint: "https://evil.example/v1"},
		{name: "the trust list, slash and case aside", user: User{Trust: Trust{Endpoints: []string{"HTTPS://Evil.example/v1/"}}}, workspace: AI{BaseURL: "https://evil.example/v1", Model: "m"}, endpoint: "https://evil.example/v1", approved: true},
		{name: "the user's own endpoint and key", user: User{AI: AI{BaseURL: "https://api.openai.com/v1", APIKeyEnv: "OPENAI_KEY"}}, workspace: AI{Model: "gpt"}, endpoint: "https://api.openai.com/v1", approved: true},
		{name: "the workspace overrides the user's endpoint", user: User{AI: AI{BaseURL: "https://api.openai.com/v1", APIKeyEnv: "OPENAI_KEY"}}, workspace: AI{BaseURL: "https://evil.example/v1"}, endpoint: "https://evil.example/v1"},
		{name: "editor settings or flags", workspace: ws, over: AI{BaseURL: "https://evil.example/v1", APIKeyEnv: "GITHUB_TOKEN"}, endpoint: "https://evil.example/v1", approved: true},
		{name: "a lookalike path is another endpoint", user: User{Trust: Trust{Endpoints: []string{"https://evil.example/v1"}}}, workspace: AI{BaseURL: "https://evil.example/v1/../v2"}, endpoint: "https://evil.example/v1/../v2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, g := ResolveAI(&c.user, c.workspace, c.over)
			if g.Endpoint != c.endpoint || strings.TrimRight(out.BaseURL, "/") != c.endpoint {
				t.Errorf("endpoint = %q (%q), want %q", g.Endpoint, out.BaseURL, c.endpoint)
			}
			if g.Approved != c.approved {
				t.Errorf("approved = %v, want %v", g.Approved, c.approved)
			}
			if (g.KeyRefused != "") != c.refused {
				t.Errorf("key refused = %q, want refused %v", g.KeyRefused, c.refused)
			}
			if c.refused && (!strings.Contains(g.KeyRefused, "GITHUB_TOKEN") || !strings.Contains(g.KeyRefused, "*_API_KEY")) {
				t.Errorf("message %q does not name the variable and the rule", g.KeyRefused)
			}
		})
	}
}

func TestLoadUser(t *testing.T) {
	dir := t.TempDir()
	if got := UserPath(func(k string) string { return map[string]string{"XDG_CONFIG_HOME": dir, "HOME": "/home/u"}[k] }); got != filepath.Join(dir, "specls", "config.yaml") {
		t.Errorf("UserPath = %q", got)
	}
	if got := UserPath(func(k string) string { return map[string]string{"HOME": "/home/u"}[k] }); got != "/home/u/.config/specls/config.yaml" {
		t.Errorf("UserPath without XDG_CONFIG_HOME = %q", got)
	}
	p := filepath.Join(dir, "config.yaml")
	if u, err := LoadUser(p); err != nil || u.Path != "" {
		t.Errorf("a missing file: %+v, %v", u, err)
	}
	os.WriteFile(p, []byte("ai:\n  base-url: http://localhost:11434/v1\ntrust:\n  endpoints: [https://x/v1]\n  api-key-envs: [TOKEN]\n"), 0o644)
	u, err := LoadUser(p)
	if err != nil || u.AI.BaseURL != "http://localhost:11434/v1" || u.Trust.Endpoints[0] != "https://x/v1" || u.Trust.APIKeyEnvs[0] != "TOKEN" {
		t.Errorf("LoadUser = %+v, %v", u, err)
	}
	os.WriteFile(p, []byte("trust:\n  endpoint: [x]\n"), 0o644)
	if _, err := LoadUser(p); err == nil || !strings.Contains(err.Error(), "config.yaml:2") {
		t.Errorf("an unknown key: %v", err)
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"10MB": 10 << 20, "512 kb": 512 << 10, "4096": 4096, "1GB": 1 << 30} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ten", "-1", "0"} {
		if _, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) accepted", in)
		}
	}
}
