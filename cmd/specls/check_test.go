package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestCheckFormats(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "github"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, code := runCLI(t, "check", "--format", format, "testdata/ws")
			if code != 1 {
				t.Errorf("exit code = %d, want 1 (a finding at error); stderr: %s", code, stderr)
			}
			golden(t, "check."+format+".golden", out)
		})
	}
}

func TestCheckSARIFShape(t *testing.T) {
	out, _, _ := runCLI(t, "check", "--format", "sarif", "testdata/ws")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						Region struct {
							StartLine, StartColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("bad SARIF: %s", out[:min(len(out), 300)])
	}
	rules := log.Runs[0].Tool.Driver.Rules
	for _, r := range log.Runs[0].Results {
		if rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s points at rule %s", r.RuleID, rules[r.RuleIndex].ID)
		}
		if r.Locations[0].PhysicalLocation.Region.StartLine < 1 || r.Locations[0].PhysicalLocation.Region.StartColumn < 1 {
			t.Errorf("result %s has a 0-based region", r.RuleID)
		}
	}
	for _, r := range rules {
		if r.Help.Text == "" {
			t.Errorf("rule %s has no help text", r.ID)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	if out, stderr, code := runCLI(t, "check", "testdata/clean"); code != 0 {
		t.Errorf("clean workspace: exit %d\n%s%s", code, out, stderr)
	} else if !strings.HasSuffix(out, "\nFound 0 errors, 0 warnings in 1 feature\n") {
		t.Errorf("clean summary missing:\n%s", out)
	}
	if _, stderr, code := runCLI(t, "check", "testdata/nope"); code != 2 || !strings.Contains(stderr, "testdata/nope") {
		t.Errorf("missing path: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "check", "--format", "xml", "testdata/ws"); code != 2 || !strings.Contains(stderr, `unknown format "xml"`) {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("bad command: exit %d, stderr %q", code, stderr)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "tasks", "prd-x"), 0o755)
	os.WriteFile(filepath.Join(dir, "tasks", "prd-x", "_prd.md"), []byte("# PRD: X\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".specls.yaml"), []byte("rules:\n  section-emtpy: off\n"), 0o644)
	if _, stderr, code := runCLI(t, "check", dir); code != 2 || !strings.Contains(stderr, `.specls.yaml:2: unknown rule "section-emtpy"`) {
		t.Errorf("bad config: exit %d, stderr %q", code, stderr)
	}
}
