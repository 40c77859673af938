package server

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// settingsSection is the configuration section the server asks the client
// for; its shape is that of .specls.yaml, written as JSON.
const settingsSection = "specls"

// parseSettings reads client settings (initializationOptions, the answer to
// workspace/configuration or didChangeConfiguration's settings). Empty or
// null settings give nil. Keys that only the editor uses (trace, a server
// path, ...) are skipped; unknown rule codes are errors.
func parseSettings(raw []byte, source string) (*config.Config, error) {
	var top map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &top) != nil || len(top) == 0 {
		return nil, nil
	}
	if inner, ok := top[settingsSection]; ok {
		// didChangeConfiguration may send every setting of the editor.
		top = nil
		if json.Unmarshal(inner, &top) != nil || len(top) == 0 {
			return nil, nil
		}
	}
	keep := map[string]json.RawMessage{}
	for k, v := range top {
		if yamlKeys(reflect.TypeOf(config.Config{}))[k] {
			keep[k] = v
		}
	}
	if srv, ok := keep["server"]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(srv, &m) == nil {
			for k := range m {
				if !yamlKeys(reflect.TypeOf(config.Server{}))[k] {
					delete(m, k)
				}
			}
			keep["server"], _ = json.Marshal(m)
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	src, err := json.Marshal(keep)
	if err != nil {
		return nil, fmt.Errorf("specls: %s: %w", source, err)
	}
	// JSON is YAML: the file's own parser reads the settings.
	cfg, err := config.ParseSettings(source, src)
	if err != nil {
		return nil, fmt.Errorf("specls: settings: %w", err)
	}
	var unknown []string
	for code := range cfg.Rules {
		if !rules.Known(code) {
			unknown = append(unknown, code)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("specls: settings (%s): unknown rule %s (see docs/rules.md for the codes)", source, strings.Join(unknown, ", "))
	}
	return cfg, nil
}

// yamlKeys returns the YAML names of a struct type's fields.
func yamlKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

// mergeConfig returns base with every value set in over laid on top: maps
// merge key by key, other fields replace when set.
func mergeConfig(base, over *config.Config) *config.Config {
	if over == nil {
		return base
	}
	out := *base
	overlay(reflect.ValueOf(&out).Elem(), reflect.ValueOf(over).Elem())
	out.Path = base.Path
	return &out
}

func overlay(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			if !dst.Field(i).CanSet() || src.Type().Field(i).Tag.Get("yaml") == "-" {
				continue
			}
			overlay(dst.Field(i), src.Field(i))
		}
	case reflect.Map:
		if src.Len() == 0 {
			return
		}
		m := reflect.MakeMap(src.Type())
		for _, k := range dst.MapKeys() {
			m.SetMapIndex(k, dst.MapIndex(k))
		}
		for _, k := range src.MapKeys() {
			m.SetMapIndex(k, src.MapIndex(k))
		}
		dst.Set(m)
	case reflect.Slice:
		// An empty list from an editor means "not set" (editors send [] for
		// an untouched list setting), so it must not hide the file's list.
		if src.Len() > 0 {
			dst.Set(src)
		}
	default:
		if !src.IsZero() {
			dst.Set(src)
		}
	}
}

// loadWorkspace opens the workspace at root with the client's settings on
// top of .specls.yaml. It always returns a usable workspace: a broken
// .specls.yaml gives way to last, the last configuration of root that
// loaded (else the defaults), and its error is returned as cfgErr; a
// broken template falls back to the built-in one; other problems are
// returned for the user. good is the configuration file as loaded, nil
// when it did not load.
func loadWorkspace(root string, settings, last *config.Config) (ws *workspace.Workspace, problems []string, good *config.Config, cfgErr error) {
	ws, problems, good, cfgErr = openWorkspace(root, settings, last)
	// Re-checks on every keystroke reuse the findings about unchanged files.
	ws.Memo = &diagnostics.Memo{}
	return ws, problems, good, cfgErr
}

func openWorkspace(root string, settings, last *config.Config) (*workspace.Workspace, []string, *config.Config, error) {
	var problems []string
	cfg, cfgErr := config.Load(root)
	good := cfg
	if cfgErr != nil {
		// While the user types in .specls.yaml, every rule coming back at
		// its default would flood the editor: keep the last good one.
		cfg = last
		if cfg == nil {
			cfg = config.Default()
		}
	}
	m := *mergeConfig(cfg, settings) // a copy: cfg may be the shared last good one
	merged := &m
	user, err := config.LoadUser(config.UserPath(nil))
	if err != nil {
		problems = append(problems, fmt.Sprintf("specls: %v (AI generation uses no user configuration until it is fixed)", err))
		user = &config.User{}
	}
	var over config.AI
	if settings != nil {
		over = settings.AI
	}
	// The endpoint and key variable are the user's to grant: the
	// workspace's file is not trusted with them (docs/security.md).
	merged.AI, merged.AIGrant = config.ResolveAI(user, cfg.AI, over)
	ws, err := workspace.WithConfig(root, merged)
	if err == nil {
		return ws, problems, good, cfgErr
	}
	// A template that cannot be used (missing, outside the workspace)
	// costs the templates, not the rest of the configuration.
	if noTemplates := *merged; merged.Templates != (config.Templates{}) {
		noTemplates.Templates = config.Templates{}
		if ws, err2 := workspace.WithConfig(root, &noTemplates); err2 == nil {
			problems = append(problems, fmt.Sprintf("specls: %v (using the built-in templates until it is fixed)", err))
			return ws, problems, good, cfgErr
		}
	}
	problems = append(problems, fmt.Sprintf("specls: %v (using the default configuration until it is fixed)", err))
	if ws, err := workspace.WithConfig(root, config.Default()); err == nil {
		return ws, problems, nil, cfgErr
	}
	// Even the workspace's own template files are unusable: built-in ones.
	ws = &workspace.Workspace{Root: root, Config: config.Default(), Templates: map[spec.Kind]*spec.Template{}}
	for _, k := range []spec.Kind{spec.KindPRD, spec.KindTechSpec, spec.KindTasks} {
		ws.Templates[k] = spec.BuiltinTemplate(k)
	}
	return ws, problems, nil, cfgErr
}

// fetchSettings asks the client for the "specls" section and applies it.
func (s *Server) fetchSettings(ctx context.Context) {
	section := settingsSection
	res, err := s.client.Configuration(ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}})
	if err != nil {
		s.log.Warn("workspace/configuration failed", "err", err)
		return
	}
	var raw []byte
	if len(res) > 0 {
		raw = res[0]
	}
	s.applySettings(raw, "workspace/configuration")
}

// applySettings replaces the client's settings and re-checks everything
// when they changed.
func (s *Server) applySettings(raw []byte, source string) {
	cfg, err := parseSettings(raw, source)
	if err != nil {
		s.showOnce(protocol.MessageTypeError, err.Error())
		return
	}
	s.mu.Lock()
	merged := cfg
	switch {
	case s.initSettings != nil && cfg != nil:
		merged = mergeConfig(s.initSettings, cfg)
	case s.initSettings != nil:
		merged = s.initSettings
	}
	same := reflect.DeepEqual(merged, s.settings)
	s.settings = merged
	s.mu.Unlock()
	if !same {
		s.log.Info("settings changed", "source", source)
		s.invalidate("settings changed")
	}
}

// DidChangeConfiguration re-reads the settings: from workspace/configuration
// when the client offers it, else from the notification.
func (s *Server) DidChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	s.mu.Lock()
	pullSettings := s.caps.configuration
	s.mu.Unlock()
	if pullSettings {
		s.safely("reading settings", func() { s.fetchSettings(s.bg) })
		return nil
	}
	s.applySettings(p.Settings, "didChangeConfiguration")
	return nil
}
