package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

func TestInit(t *testing.T) {
	root := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"init", "-C", root}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, p := range []string{"tasks/docs/_prd-template.md", "tasks/docs/_techspec-template.md", ".specls.yaml"} {
		if !strings.Contains(out.String(), "created "+filepath.Join(root, filepath.FromSlash(p))) {
			t.Errorf("output does not name %s:\n%s", p, out.String())
		}
	}
	// The workspace opens, with the written templates as its own.
	w, err := workspace.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []spec.Kind{spec.KindPRD, spec.KindTechSpec} {
		if w.Templates[k].Source == "builtin" {
			t.Errorf("%s template: still the built-in one", k)
		}
		if got, want := w.Templates[k].Doc.Text, spec.BuiltinTemplate(k).Doc.Text; !bytes.Equal(got, want) {
			t.Errorf("%s template differs from the built-in one", k)
		}
	}
	// A second run keeps every file.
	cfg := filepath.Join(root, ".specls.yaml")
	if err := os.WriteFile(cfg, []byte("rules: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"init", "-C", root}, nil, &out, &errb); code != 0 {
		t.Fatalf("second run: exit %d", code)
	}
	if strings.Count(out.String(), "kept ") != 3 {
		t.Errorf("second run:\n%s", out.String())
	}
	if b, _ := os.ReadFile(cfg); string(b) != "rules: {}\n" {
		t.Error("an existing .specls.yaml was overwritten")
	}
}

// TestConfigSample checks that the written .specls.yaml is valid as it is
// (all commented) and with every setting uncommented.
func TestConfigSample(t *testing.T) {
	if _, err := config.Parse(".specls.yaml", []byte(configSample)); err != nil {
		t.Fatalf("as written: %v", err)
	}
	// Settings are commented as "# key: ..." or "#   - item"; the rest is
	// prose.
	setting := regexp.MustCompile(`(?m)^# ( *[a-z][a-z0-9-]*:.*| +- .*|  +[A-Z]+: .*)$`)
	uncommented := setting.ReplaceAllString(configSample, "$1")
	c, err := config.Parse(".specls.yaml", []byte(uncommented))
	if err != nil {
		t.Fatalf("uncommented: %v\n%s", err, uncommented)
	}
	if err := c.CheckRules(func(code string) bool { return code == "section-placeholder" || code == "requirement-untraced" }); err != nil {
		t.Error(err)
	}
	if c.Rules["section-placeholder"] != config.Warning || c.Gates["C"] != config.Off || c.Options.LibraryMinimums["fastapi"] != "0.104.0" ||
		c.AI.APIKeyEnv != "OPENAI_API_KEY" || c.Server.Debounce.Milliseconds() != 200 || len(c.Ignore) != 1 || c.Templates.TechSpec == "" {
		t.Errorf("uncommented settings not read: %+v", c)
	}
}

// TestInitProfile writes each profile's template and setting: the
// workspace then runs that profile, and a feature started with `specls
// new` is judged by it (generic: no gate but E and A applies without a
// tech spec's artifacts).
func TestInitProfile(t *testing.T) {
	for _, c := range []struct{ profile, template string }{
		{config.ProfileGeneric, "## Components"},
		{config.ProfilePython, "## Python Production Checklist"},
	} {
		root := t.TempDir()
		var out, errb bytes.Buffer
		if code := run([]string{"init", "-C", root, "--profile", c.profile}, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.profile, code, errb.String())
		}
		w, err := workspace.Open(root)
		if err != nil {
			t.Fatal(err)
		}
		if w.Config.Profile != c.profile {
			t.Errorf("%s: .specls.yaml sets profile %q", c.profile, w.Config.Profile)
		}
		if !strings.Contains(string(w.Templates[spec.KindTechSpec].Doc.Text), c.template) {
			t.Errorf("%s: the tech spec template lacks %q", c.profile, c.template)
		}
	}
	var errb bytes.Buffer
	if code := run([]string{"init", "-C", t.TempDir(), "--profile", "rust"}, nil, &bytes.Buffer{}, &errb); code != 2 || !strings.Contains(errb.String(), `unknown profile "rust" (want python-microservices or generic)`) {
		t.Errorf("unknown profile: exit %d, %q", code, errb.String())
	}
}
