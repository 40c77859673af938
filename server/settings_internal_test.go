package server

import "testing"

func TestMergeConfig(t *testing.T) {
	file, err := parseSettings([]byte(`{"rules": {"section-order": "off", "section-empty": "info"}, "server": {"debounce": "300ms"}, "ignore": ["tasks/old/*"]}`), "file")
	if err != nil {
		t.Fatal(err)
	}
	file.Path = "/ws/.specls.yaml"
	over, err := parseSettings([]byte(`{"specls": {"rules": {"section-order": "warning"}, "gates": {"C": "off"}, "trace": {"server": "verbose"}, "server": {"path": "/usr/bin/specls"}}}`), "settings")
	if err != nil {
		t.Fatal(err)
	}
	got := mergeConfig(file, over)
	if got.Rules["section-order"].String() != "warning" || got.Rules["section-empty"].String() != "info" {
		t.Errorf("rules %v: the settings win per rule and the file's others stay", got.Rules)
	}
	if got.Gates["C"].String() != "off" {
		t.Errorf("gates %v", got.Gates)
	}
	if got.Server.Debounce.Duration.String() != "300ms" || len(got.Ignore) != 1 || got.Path != "/ws/.specls.yaml" {
		t.Errorf("unset settings must keep the file's values: %+v", got)
	}
	if file.Rules["section-order"].String() != "off" {
		t.Errorf("merging changed the file's configuration")
	}
	if _, err := parseSettings([]byte(`{"rules": {"no-such-rule": "off"}}`), "initializationOptions"); err == nil {
		t.Errorf("an unknown rule code in the settings must be an error")
	}
	empty, err := parseSettings([]byte(`{"ignore": [], "options": {"licenses": []}}`), "settings")
	if err != nil {
		t.Fatal(err)
	}
	if got := mergeConfig(file, empty); len(got.Ignore) != 1 {
		t.Errorf("an empty list from the editor replaced the file's ignore list: %v", got.Ignore)
	}
	if cfg, err := parseSettings([]byte(`null`), "x"); cfg != nil || err != nil {
		t.Errorf("null settings: %v %v", cfg, err)
	}
}
