// Package vscode_test checks the VS Code extension's manifest against the
// server it drives. The extension is TypeScript; the truth about which
// settings and commands exist is in Go (config.Config, the rule catalog, the
// commands the server announces), so the comparison runs here, against the
// real types and a real in-process server, not against a copy of a list.
package vscode_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/server/lsptest"
)

// editorOnly are the settings only the extension reads (src/settings.ts
// EDITOR_ONLY); the server must ignore them.
var editorOnly = []string{"server.path", "server.log-level", "trace.server", "status-bar"}

type property struct {
	Type                 any                  `json:"type"`
	Enum                 []any                `json:"enum"`
	Default              any                  `json:"default"`
	Properties           map[string]*property `json:"properties"`
	AdditionalProperties any                  `json:"additionalProperties"`
	Items                *property            `json:"items"`
}

type manifest struct {
	Contributes struct {
		Commands []struct {
			Command string `json:"command"`
		} `json:"commands"`
		Configuration struct {
			Properties map[string]*property `json:"properties"`
		} `json:"configuration"`
	} `json:"contributes"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	src, err := os.ReadFile("package.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(src, &m); err != nil {
		t.Fatalf("package.json: %v", err)
	}
	return m
}

// settingKeys returns the keys of package.json below "specls.", e.g.
// "ai.base-url".
func settingKeys(t *testing.T, m manifest) map[string]*property {
	t.Helper()
	out := map[string]*property{}
	for k, p := range m.Contributes.Configuration.Properties {
		rest, ok := strings.CutPrefix(k, "specls.")
		if !ok {
			t.Errorf("setting %q is outside the specls section", k)
			continue
		}
		out[rest] = p
	}
	return out
}

// serverKeys returns the dotted YAML paths of the settings the server reads:
// the leaves of config.Config, a map or list being one setting.
func serverKeys(t reflect.Type, prefix string, out map[string]reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Struct && ft != reflect.TypeOf(config.Duration{}) {
			serverKeys(ft, prefix+name+".", out)
			continue
		}
		out[prefix+name] = ft
	}
}

func TestSettingsMatchTheServer(t *testing.T) {
	settings := settingKeys(t, readManifest(t))
	read := map[string]reflect.Type{}
	serverKeys(reflect.TypeOf(config.Config{}), "", read)

	for key := range read {
		if settings[key] == nil {
			t.Errorf("the server reads %q (.specls.yaml), but package.json has no setting \"specls.%s\"", key, key)
		}
	}
	for key := range settings {
		if read[key] == nil && !slices.Contains(editorOnly, key) {
			t.Errorf("package.json declares \"specls.%s\", which the server does not read (config.Config has no such key)", key)
		}
	}
	// The server drops unknown top-level keys and unknown keys under
	// "server" (server/settings.go); an editor-only key anywhere else
	// would make it reject all the settings.
	serverSection := map[string]reflect.Type{}
	serverKeys(reflect.TypeOf(config.Server{}), "server.", serverSection)
	for _, key := range editorOnly {
		if settings[key] == nil {
			t.Errorf("editor-only setting \"specls.%s\" is missing from package.json", key)
		}
		top, rest, nested := strings.Cut(key, ".")
		switch {
		case read[key] != nil:
			t.Errorf("\"specls.%s\" is read by the server; it is not editor-only", key)
		case nested && top != "server" && hasPrefix(read, top+"."):
			t.Errorf("editor-only \"specls.%s\" sits in section %q, whose unknown keys the server rejects", key, top)
		case nested && top == "server" && serverSection["server."+rest] != nil:
			t.Errorf("\"specls.%s\" collides with a server setting", key)
		}
	}

	// Types: what the schema lets a user write is what the server parses.
	for key, typ := range read {
		p := settings[key]
		if p == nil {
			continue
		}
		want := map[reflect.Kind]string{reflect.Map: "object", reflect.Slice: "array", reflect.String: "string", reflect.Pointer: "", reflect.Struct: "number", reflect.Int: "integer", reflect.Int64: "integer"}[typ.Kind()]
		if typ.Kind() == reflect.Pointer {
			want = map[reflect.Kind]string{reflect.Int: "integer", reflect.Bool: "boolean", reflect.Float32: "number"}[typ.Elem().Kind()]
		}
		if want == "" || !slices.Contains(types(p), want) {
			t.Errorf("\"specls.%s\" has type %v; the server reads a %s (want %q)", key, p.Type, typ, want)
		}
		if typ.Kind() == reflect.Pointer || typ == reflect.TypeOf(config.Duration{}) {
			// Unset must stay distinguishable from zero.
			if p.Default != nil || !slices.Contains(types(p), "null") {
				t.Errorf("\"specls.%s\" must default to null (unset), not %v", key, p.Default)
			}
		}
	}
}

func TestRuleAndGateSettings(t *testing.T) {
	settings := settingKeys(t, readManifest(t))
	ruleSetting := settings["rules"]
	if ruleSetting == nil {
		t.Fatal("no specls.rules setting")
	}
	var codes, declared []string
	for _, r := range rules.All() {
		codes = append(codes, r.Code)
	}
	for code, p := range ruleSetting.Properties {
		declared = append(declared, code)
		checkSeverities(t, "rules."+code, p)
	}
	sort.Strings(codes)
	sort.Strings(declared)
	if !slices.Equal(codes, declared) {
		t.Errorf("specls.rules properties differ from the rule catalog (rules/rules.go):\n  missing: %v\n  unknown: %v", minus(codes, declared), minus(declared, codes))
	}
	if ruleSetting.AdditionalProperties != false {
		t.Errorf("specls.rules must refuse unknown codes (additionalProperties: false), as the server does")
	}

	var gates, declaredGates []string
	for _, g := range rules.Gates {
		gates = append(gates, g.ID)
	}
	for id, p := range settings["gates"].Properties {
		declaredGates = append(declaredGates, id)
		checkSeverities(t, "gates."+id, p)
	}
	sort.Strings(declaredGates)
	if !slices.Equal(gates, declaredGates) {
		t.Errorf("specls.gates properties %v, want the gates %v", declaredGates, gates)
	}

	for _, v := range settings["ai.provider"].Enum {
		if _, err := config.Parse("settings", []byte(`{"ai": {"provider": "`+v.(string)+`"}}`)); err != nil {
			t.Errorf("specls.ai.provider offers %q, which the server refuses: %v", v, err)
		}
	}
}

func checkSeverities(t *testing.T, key string, p *property) {
	t.Helper()
	var got []string
	for _, v := range p.Enum {
		s, _ := v.(string)
		if sev, err := config.ParseSeverity(s); err != nil || sev.String() != s {
			t.Errorf("specls.%s offers %q, which is not a severity name the server reads back as itself", key, v)
		}
		got = append(got, s)
	}
	if want := []string{"off", "hint", "info", "warning", "error"}; !slices.Equal(got, want) {
		t.Errorf("specls.%s offers %v, want %v", key, got, want)
	}
}

// sample is a value a user could set for every setting; a setting without
// a sample fails the test, so a new one is exercised too.
var sample = map[string]any{
	"server.path":                  "/opt/specls/bin/specls",
	"server.log-level":             "debug",
	"server.debounce":              20,
	"trace.server":                 "verbose",
	"status-bar":                   false,
	"rules":                        map[string]any{"section-renamed": "off", "section-empty": "info"},
	"gates":                        map[string]any{"C": "off"},
	"profile":                      "generic",
	"requirements.id-patterns":     []any{"SEC-N"},
	"templates.prd":                "templates/prd.md",
	"templates.techspec":           "templates/techspec.md",
	"templates.tasks":              "templates/tasks.md",
	"options.library-minimums":     map[string]any{"fastapi": "0.104.0"},
	"options.licenses":             []any{"MIT", "Apache-2.0"},
	"options.python-minimum":       "3.11",
	"options.checklist":            []any{"Python 3.11+ with async/await throughout"},
	"options.decision-topics":      []any{"service discovery"},
	"options.implementation-terms": []any{"Kafka"},
	"options.trace-prefixes":       []any{"FR"},
	"options.resilience-terms":     []any{"bulkhead"},
	"options.observability-terms":  []any{"Grafana"},
	"ignore":                       []any{"tasks/prd-archived-*"},
	"layout.features":              []any{"docs/specs/*"},
	"ai.base-url":                  "http://127.0.0.1:9/v1",
	"ai.model":                     "test-model",
	"ai.api-key-env":               "SPECLS_TEST_API_KEY",
	"ai.provider":                  "openai",
	"ai.api-version":               "2024-06-01",
	"ai.timeout":                   30000,
	"limits.max-file-size":         "20MB",
	"limits.max-nesting":           50,
	"ai.max-retries":               1,
	"ai.stream":                    true,
	"ai.temperature":               0.2,
}

// TestEverySettingReachesTheServer sends every setting, as the extension
// nests them, to a real server (through initializationOptions and through
// workspace/configuration) and sees the rule severities take effect. The
// server takes the settings whole or not at all, so a key it refused would
// leave section-renamed reported.
func TestEverySettingReachesTheServer(t *testing.T) {
	settings := settingKeys(t, readManifest(t))
	for key, p := range settings {
		v, ok := sample[key]
		if !ok {
			t.Errorf("no sample value for \"specls.%s\": add one to this test", key)
			continue
		}
		if err := conforms(p, v); err != nil {
			t.Errorf("sample of \"specls.%s\": %v", key, err)
		}
	}
	for key := range sample {
		if settings[key] == nil {
			t.Errorf("sample for \"specls.%s\", which package.json does not declare", key)
		}
	}
	if t.Failed() {
		return
	}
	nested := map[string]any{}
	for key, v := range sample {
		at := nested
		parts := strings.Split(key, ".")
		for _, p := range parts[:len(parts)-1] {
			if at[p] == nil {
				at[p] = map[string]any{}
			}
			at = at[p].(map[string]any)
		}
		at[parts[len(parts)-1]] = v
	}

	for _, tt := range []struct {
		name string
		set  func(c *lsptest.Config)
	}{
		{"initializationOptions", func(c *lsptest.Config) { c.InitOptions = nested }},
		{"workspace/configuration", func(c *lsptest.Config) { c.Settings = nested }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := workspace(t)
			cfg := lsptest.Config{Root: root}
			tt.set(&cfg)
			ed := lsptest.Start(t, cfg)
			text, err := os.ReadFile(filepath.Join(root, "tasks/prd-reset/_techspec.md"))
			if err != nil {
				t.Fatal(err)
			}
			renamed := strings.Replace(string(text), "## Data Models", "## Data Model", 1)
			v := ed.Open("tasks/prd-reset/_techspec.md", renamed)
			codes := lsptest.Codes(ed.Diagnostics("tasks/prd-reset/_techspec.md", v))
			if slices.Contains(codes, "section-renamed") {
				t.Errorf("rules.section-renamed: off did not take effect, so the server refused the settings: %v (messages %v)", codes, ed.Messages())
			}
		})
	}
}

// workspace is a feature folder with the templates the samples name.
func workspace(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "server", "testdata", "basic"), root)
	for _, kind := range []string{"prd", "techspec", "tasks"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "spec", "templates", kind+".md"))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "templates", kind+".md"), src)
	}
	return root
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		write(t, filepath.Join(to, rel), src)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path string, src []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCommandsDoNotCollide checks the extension's commands against the
// ones the server announces: vscode-languageclient registers each server
// command under its own name, and a second registration of a name fails.
// The server commands the extension runs (src/commands.ts) must exist.
func TestCommandsDoNotCollide(t *testing.T) {
	ed := lsptest.Start(t, lsptest.Config{Root: t.TempDir()})
	announced := ed.Init.Capabilities.ExecuteCommandProvider.Commands
	if len(announced) == 0 {
		t.Fatal("the server announces no commands")
	}
	for _, c := range readManifest(t).Contributes.Commands {
		if slices.Contains(announced, c.Command) {
			t.Errorf("package.json contributes %q, which the server announces too; rename the extension's command", c.Command)
		}
	}
	src, err := os.ReadFile(filepath.Join("src", "commands.ts"))
	if err != nil {
		t.Fatal(err)
	}
	used := regexp.MustCompile(`'(specls\.[A-Za-z]+)'`).FindAllStringSubmatch(string(src), -1)
	if len(used) == 0 {
		t.Fatal("src/commands.ts names no server command")
	}
	for _, m := range used {
		if !slices.Contains(announced, m[1]) {
			t.Errorf("src/commands.ts runs %q, which the server does not announce (it has %v)", m[1], announced)
		}
	}
}

func types(p *property) []string {
	switch v := p.Type.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, s := range v {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// conforms checks v against the parts of the schema VS Code enforces.
func conforms(p *property, v any) error {
	kind := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Map: "object", reflect.Slice: "array", reflect.Float64: "number", reflect.Int: "integer"}[reflect.TypeOf(v).Kind()]
	ts := types(p)
	if !slices.Contains(ts, kind) && !(kind == "integer" && slices.Contains(ts, "number")) {
		return &schemaError{"value " + reflect.TypeOf(v).String() + " does not have type " + strings.Join(ts, "|")}
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, any(v)) {
		return &schemaError{"value is not one of the enum"}
	}
	if m, ok := v.(map[string]any); ok && p.Properties != nil {
		for k, sub := range m {
			q := p.Properties[k]
			if q == nil {
				return &schemaError{"unknown property " + k}
			}
			if err := conforms(q, sub); err != nil {
				return err
			}
		}
	}
	return nil
}

type schemaError struct{ msg string }

func (e *schemaError) Error() string { return e.msg }

func hasPrefix(m map[string]reflect.Type, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
