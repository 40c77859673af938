package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/specls/specls/server/lsptest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// specls builds the real binary once, for the tests that need a process of
// its own (its build info, another user).
func speclsBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "specls-bin-")
		if err != nil {
			binErr = err
			return
		}
		os.Chmod(dir, 0o755) // another user runs it in TestUnreadableIsAnError
		binPath = filepath.Join(dir, "specls")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errorString("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestMain removes the binary speclsBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, stderr, code := runCLI(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, cmd := range []string{"specls check", "specls new", "specls init", "specls generate", "specls version", "specls [serve]"} {
			if !strings.Contains(out, cmd) {
				t.Errorf("%v: the help does not list %q:\n%s", args, cmd, out)
			}
		}
		if strings.Contains(out, "-log-file") {
			t.Errorf("%v: the help is the server's flags:\n%s", args, out)
		}
	}
	out, _, code := runCLI(t, "help", "check")
	if code != 0 || !strings.Contains(out, "-fail-on") || !strings.Contains(out, "-max-warnings") {
		t.Errorf("help check: exit %d\n%s", code, out)
	}
}

// --version and version print the module version stamped into the binary,
// the one `go version -m` reads, which is what `go install ...@v0.3.0` sets.
func TestVersionFromBuildInfo(t *testing.T) {
	bin := speclsBinary(t)
	mod, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s+mod\s+\S+\s+(\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatalf("no mod line in go version -m:\n%s", mod)
	}
	want := string(m[1])
	if want == "(devel)" {
		want = "dev"
	}
	for _, arg := range []string{"--version", "version"} {
		out, err := exec.Command(bin, arg).Output()
		if err != nil || string(out) != "specls "+want+"\n" {
			t.Errorf("specls %s = %q, %v; want %q", arg, out, err, "specls "+want+"\n")
		}
	}
	// SARIF names the same version.
	sarif, _ := exec.Command(bin, "check", "--format", "sarif", "testdata/ws").Output()
	if !strings.Contains(string(sarif), `"version": "`+want+`"`) {
		t.Errorf("SARIF tool.driver.version is not %q", want)
	}
}

func TestFlagsAfterPaths(t *testing.T) {
	out, stderr, code := runCLI(t, "check", "testdata/ws", "--format", "json")
	var rep jsonReport
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Features) != 1 {
		t.Errorf("check PATH --format json: exit %d, stderr %q\n%s", code, stderr, out)
	}
	// After "--", a name that looks like a flag is a path.
	_, stderr, code = runCLI(t, "check", "--", "--format")
	if code != 2 || !strings.Contains(stderr, "--format") {
		t.Errorf("check -- --format: exit %d, stderr %q", code, stderr)
	}
}

func TestConflictingFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fix", "--diff"}, "--fix and --diff do not go together"},
		{[]string{"--diff", "--format", "json"}, "--diff prints a unified diff; it does not go with --format json"},
		{[]string{"--fail-on", "info"}, `bad --fail-on "info" (want error, warning or gate)`},
		{[]string{"--color", "sometimes"}, `bad --color "sometimes"`},
		{[]string{"--max-warnings", "-5"}, "bad --max-warnings -5"},
	} {
		out, stderr, code := runCLI(t, append([]string{"check", "testdata/ws"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, stderr, tt.want)
		}
	}
}

// newFeature writes an untouched `specls new` PRD: warnings only, and
// failing gates are not in it; with techspec, Gate E and others fail on
// warnings alone.
func newFeature(t *testing.T, techspec bool) string {
	t.Helper()
	dir := t.TempDir()
	args := []string{"new", "-C", dir, "chat-search"}
	if techspec {
		args = append(args, "--techspec")
	}
	if _, stderr, code := runCLI(t, args...); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	return dir
}

func TestFailOnAndMaxWarnings(t *testing.T) {
	prdOnly := newFeature(t, false)
	if out, _, code := runCLI(t, "check", prdOnly); code != 0 || !regexp.MustCompile(`Found 0 errors, \d+ warnings in 1 feature`).MatchString(out) {
		t.Fatalf("template PRD: exit %d, want 0 (warnings only)\n%s", code, out)
	}
	for _, tt := range []struct {
		name string
		dir  string
		args []string
		code int
		want string
	}{
		{"warnings pass by default", prdOnly, nil, 0, ""},
		{"fail on warning", prdOnly, []string{"--fail-on", "warning"}, 1, "specls: failing: 13 warnings (--fail-on warning)"},
		{"a clean feature passes --fail-on warning", "testdata/clean", []string{"--fail-on", "warning"}, 0, ""},
		{"a clean feature passes --fail-on gate", "testdata/clean", []string{"--fail-on", "gate"}, 0, ""},
		{"max warnings exceeded", prdOnly, []string{"--max-warnings", "3"}, 1, "specls: failing: 13 warnings, more than --max-warnings 3"},
		{"max warnings not exceeded", prdOnly, []string{"--max-warnings", "15"}, 0, ""},
		{"max warnings 0 on a clean feature", "testdata/clean", []string{"--max-warnings", "0"}, 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, append([]string{"check", tt.dir}, tt.args...)...)
			if code != tt.code || tt.want != "" && !strings.Contains(stderr, tt.want) || tt.want == "" && stderr != "" {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
	// An untouched template tech spec fails gates on warnings alone.
	both := newFeature(t, true)
	out, _, code := runCLI(t, "check", both, "--fail-on", "gate", "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != 1 {
		t.Errorf("--fail-on gate on a template tech spec: exit %d, want 1", code)
	}
	// With errors switched to warnings, only the gates can fail the run.
	lsptest.WriteFiles(t, both, map[string]string{".specls.yaml": "rules:\n  graph-missing: warning\n"})
	_, stderr, code := runCLI(t, "check", both)
	if code != 0 {
		t.Fatalf("warnings only: exit %d (%s)", code, stderr)
	}
	_, stderr, code = runCLI(t, "check", both, "--fail-on", "gate")
	if code != 1 || !regexp.MustCompile(`specls: failing: Gate A in \S*tasks/prd-chat-search fails and \d+ more \(--fail-on gate\)`).MatchString(stderr) {
		t.Errorf("--fail-on gate: exit %d, stderr %q", code, stderr)
	}
}

func TestNoSpecsIsAnError(t *testing.T) {
	empty := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", empty}, 2, "specls: no spec files under " + empty},
		{[]string{"check", "testdata/ws", "testdata/wss"}, 2, "testdata/wss: no such file or directory"},
		{[]string{"check", empty, "--allow-empty"}, 0, ""},
	} {
		out, stderr, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
		if code == 2 && out != "" {
			t.Errorf("%v: printed a report before failing:\n%s", tt.args, out)
		}
		if code == 0 && !strings.HasSuffix(out, "Found 0 errors, 0 warnings in 0 features\n") {
			t.Errorf("%v: summary:\n%s", tt.args, out)
		}
	}
}

// A tasks/ folder that is a symbolic link is followed, and a link loop
// below it ends. A folder link the user's own command line leads through
// is theirs to read even when it leaves the workspace (tasks/ kept in
// another checkout); a file link out of that folder is still refused
// (docs/security.md). Never "0 features" and exit 0.
func TestSymlinkedTasks(t *testing.T) {
	clean, _ := filepath.Abs("testdata/clean/tasks")
	ws := t.TempDir()
	real := filepath.Join(ws, "archive") // reached through tasks/ only: .gitignore skips it
	copyTree(t, clean, real, func(b []byte) []byte { return b })
	if err := os.Symlink(real, filepath.Join(real, "prd-ok", "loop")); err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile("testdata/clean/.specls.yaml")
	lsptest.WriteFiles(t, ws, map[string]string{".specls.yaml": string(cfg), ".gitignore": "archive/\n"})
	if err := os.Symlink(real, filepath.Join(ws, "tasks")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(ws)
	for _, args := range [][]string{{"check"}, {"check", "tasks"}} {
		out, stderr, code := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "tasks/prd-ok: 0 errors, 0 warnings") || !strings.HasSuffix(out, "Found 0 errors, 0 warnings in 1 feature\n") {
			t.Errorf("%v: exit %d, stderr %q\n%s", args, code, stderr, out)
		}
	}
	outside := t.TempDir()
	copyTree(t, clean, outside, func(b []byte) []byte { return b })
	ws2 := t.TempDir()
	lsptest.WriteFiles(t, ws2, map[string]string{".specls.yaml": string(cfg)})
	if err := os.Symlink(outside, filepath.Join(ws2, "tasks")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check", ws2}, {"check", filepath.Join(ws2, "tasks")}} {
		out, stderr, code := runCLI(t, args...)
		if code != 0 || strings.Contains(out, "path-outside-workspace") || !strings.HasSuffix(out, "Found 0 errors, 0 warnings in 1 feature\n") {
			t.Errorf("%v: folder link outside the workspace: exit %d, stderr %q\n%s", args, code, stderr, out)
		}
	}
	secret := filepath.Join(t.TempDir(), "credentials")
	lsptest.WriteFiles(t, filepath.Dir(secret), map[string]string{"credentials": "aws_secret_access_key = xyz\n"})
	notes := filepath.Join(outside, "prd-ok", "_tasks.md")
	if err := os.Symlink(secret, notes); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "check", ws2)
	if code != 1 || !strings.Contains(out, "prd-ok/_tasks.md:1:1: error path-outside-workspace") || strings.Contains(out, "xyz") {
		t.Errorf("file link out of a followed folder: exit %d\n%s", code, out)
	}
}

// An unreadable folder or file is an error naming it, exit 2. Root reads
// everything, so as root the real binary runs as nobody.
func TestUnreadableIsAnError(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permissions are POSIX")
	}
	ws := t.TempDir()
	copyTree(t, "testdata/clean", ws, func(b []byte) []byte { return b })
	lsptest.WriteFiles(t, ws, map[string]string{"tasks/prd-locked/_prd.md": "# PRD: Locked\n", "tasks/prd-file/_prd.md": "# PRD: File\n"})
	run := func(args ...string) (string, int) {
		if os.Getuid() != 0 {
			_, stderr, code := runCLI(t, args...)
			return stderr, code
		}
		for d := ws; d != "/"; d = filepath.Dir(d) {
			os.Chmod(d, 0o755) // nobody must reach the workspace
			if d == os.TempDir() {
				break
			}
		}
		filepath.Walk(ws, func(p string, info os.FileInfo, err error) error {
			if err == nil && info.Mode().Perm() == 0o640 {
				os.Chmod(p, 0o644)
			}
			return nil
		})
		cmd := exec.Command(speclsBinary(t), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return stderr.String(), code
	}
	if stderr, code := run("check", ws); code == 2 {
		t.Fatalf("readable workspace: exit %d: %s", code, stderr)
	}
	locked := filepath.Join(ws, "tasks", "prd-locked")
	if err := os.Chmod(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755)
	if stderr, code := run("check", ws); code != 2 || !strings.Contains(stderr, "cannot read folder "+locked+": permission denied") {
		t.Errorf("unreadable folder: exit %d, stderr %q", code, stderr)
	}
	os.Chmod(locked, 0o755)
	file := filepath.Join(ws, "tasks", "prd-file", "_prd.md")
	if err := os.Chmod(file, 0o000); err != nil {
		t.Fatal(err)
	}
	if stderr, code := run("check", ws); code != 2 || !strings.Contains(stderr, file) || !strings.Contains(stderr, "permission denied") {
		t.Errorf("unreadable file: exit %d, stderr %q", code, stderr)
	}
}

func TestColor(t *testing.T) {
	const red = "\x1b[1m\x1b[31merror\x1b[0m"
	for _, tt := range []struct {
		name     string
		args     []string
		env      map[string]string
		terminal bool
		want     bool
	}{
		{"a pipe", nil, nil, false, false},
		{"a terminal", nil, nil, true, true},
		{"NO_COLOR on a terminal", nil, map[string]string{"NO_COLOR": "1"}, true, false},
		{"FORCE_COLOR in a pipe", nil, map[string]string{"FORCE_COLOR": "1"}, false, true},
		{"FORCE_COLOR=0 on a terminal", nil, map[string]string{"FORCE_COLOR": "0"}, true, false},
		{"--color always beats NO_COLOR", []string{"--color", "always"}, map[string]string{"NO_COLOR": "1"}, false, true},
		{"--color never beats FORCE_COLOR", []string{"--color", "never"}, map[string]string{"FORCE_COLOR": "1"}, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", "")
			os.Unsetenv("NO_COLOR")
			t.Setenv("FORCE_COLOR", "")
			os.Unsetenv("FORCE_COLOR")
			t.Setenv("TERM", "xterm")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			defer fakeTerminal(tt.terminal)()
			out, _, _ := runCLI(t, append([]string{"check", "testdata/ws"}, tt.args...)...)
			if got := strings.Contains(out, red); got != tt.want {
				t.Errorf("coloured = %v, want %v:\n%s", got, tt.want, out[:min(len(out), 400)])
			}
			if !tt.want && strings.Contains(out, "\x1b[") {
				t.Errorf("escape codes in plain output:\n%s", out)
			}
		})
	}
	// JSON is never coloured.
	t.Setenv("FORCE_COLOR", "1")
	if out, _, _ := runCLI(t, "check", "testdata/ws", "--format", "json"); strings.Contains(out, "\x1b[") {
		t.Error("escape codes in JSON")
	}
}

// fakeTerminal makes every writer a terminal (or none) until the returned
// function runs.
func fakeTerminal(on bool) func() {
	old := isTerminal
	isTerminal = func(io.Writer) bool { return on }
	return func() { isTerminal = old }
}

func TestProgress(t *testing.T) {
	old := progressAfter
	progressAfter = 0
	defer func() { progressAfter = old }()
	t.Setenv("TERM", "xterm")
	ws := t.TempDir()
	for _, s := range []string{"a", "b", "c"} {
		copyTree(t, "testdata/clean/tasks/prd-ok", filepath.Join(ws, "tasks", "prd-"+s), func(b []byte) []byte { return b })
	}
	for _, tt := range []struct {
		name     string
		terminal bool
		ci       string
		want     bool
	}{
		{"terminal", true, "", true},
		{"pipe", false, "", false},
		{"CI log", true, "true", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			defer fakeTerminal(tt.terminal)()
			out, stderr, code := runCLI(t, "check", ws, "--color", "never")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stderr, "\rchecking features: 1/3"); got != tt.want {
				t.Errorf("progress shown = %v, want %v; stderr %q", got, tt.want, stderr)
			}
			if strings.Contains(out, "checking features") {
				t.Error("progress on stdout")
			}
			if tt.want && !strings.HasSuffix(stderr, "\r\x1b[K") {
				t.Errorf("progress line not cleared at the end: %q", stderr)
			}
		})
	}
}

func TestSummaryLine(t *testing.T) {
	out, _, _ := runCLI(t, "check", "testdata/ws", "testdata/clean")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	js, _, _ := runCLI(t, "check", "testdata/ws", "testdata/clean", "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil || rep.Errors == 0 || rep.Warnings == 0 {
		t.Fatalf("json: %v %+v", err, rep)
	}
	want := fmt.Sprintf(`^Found %d errors, %d warnings in 2 features \(\d+ fixable with --fix\)$`, rep.Errors, rep.Warnings)
	if !regexp.MustCompile(want).MatchString(last) {
		t.Errorf("summary = %q, want %s", last, want)
	}
	// --fix leaves nothing that --fix could fix.
	ws := t.TempDir()
	copyTree(t, "testdata/ws", ws, func(b []byte) []byte { return b })
	out, _, _ = runCLI(t, "check", "--fix", ws)
	if strings.Contains(out, "fixable") {
		t.Errorf("after --fix:\n%s", out)
	}
	if out, _, _ := runCLI(t, "check", "--quiet", "testdata/ws"); strings.Contains(out, "Found") {
		t.Errorf("--quiet printed the summary:\n%s", out)
	}
}

// Every problem of a configuration is reported at once, each at its line.
func TestConfigErrorsAll(t *testing.T) {
	ws := t.TempDir()
	copyTree(t, "testdata/clean", ws, func(b []byte) []byte { return b })
	lsptest.WriteFiles(t, ws, map[string]string{".specls.yaml": "rules:\n  section-emtpy: off\n  graph-cycle: loud\ngates:\n  C: [1, 2]\nserver:\n  debounce: 5\noptions:\n  licenses: MIT\n"})
	cfg := filepath.Join(ws, ".specls.yaml")
	_, stderr, code := runCLI(t, "check", ws)
	want := []string{
		"specls: " + cfg + `:2: unknown rule "section-emtpy" (see docs/rules.md for the codes)`,
		"specls: " + cfg + `:3: rules.graph-cycle: unknown severity "loud" (want off, hint, info, warning or error)`,
		"specls: " + cfg + ":5: gates.C wants a severity (off, hint, info, warning or error), got a list",
		"specls: " + cfg + ":7: server.debounce wants a duration with a unit, got 5; write 5ms or 5s",
		"specls: " + cfg + `:9: options.licenses wants a list of licence names, got "MIT"`,
	}
	if code != 2 || stderr != strings.Join(want, "\n")+"\n" {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, strings.Join(want, "\n"))
	}
	// Every unknown rule code.
	lsptest.WriteFiles(t, ws, map[string]string{".specls.yaml": "rules:\n  section-emtpy: off\n  graph-cycle: warning\n  grpah-cycle: off\n"})
	_, stderr, code = runCLI(t, "check", ws)
	if code != 2 || strings.Count(stderr, "unknown rule") != 2 || !strings.Contains(stderr, cfg+`:4: unknown rule "grpah-cycle"`) {
		t.Errorf("unknown rules: exit %d, stderr %q", code, stderr)
	}
	// A mis-indented key is reported at its own line.
	lsptest.WriteFiles(t, ws, map[string]string{".specls.yaml": "rules:\n  section-empty: off\n graph-cycle: off\n"})
	if _, stderr, code := runCLI(t, "check", ws); code != 2 || !strings.Contains(stderr, cfg+":3: this line's indentation") {
		t.Errorf("mis-indented: exit %d, stderr %q", code, stderr)
	}
}

// findingLines returns the finding lines of a text report with the feature
// folder's prefix cut, sorted.
func findingLines(out, prefix string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ".md:") {
			got = append(got, strings.TrimPrefix(l, prefix))
		}
	}
	sort.Strings(got)
	return got
}

// The working directory changes nothing: checking from inside a feature
// folder gives the findings of a check from the workspace root.
func TestWorkingDirectoryChangesNothing(t *testing.T) {
	ws, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(ws)
	fromRoot, _, code := runCLI(t, "check", "tasks/prd-loyalty-points")
	if code != 1 {
		t.Fatalf("from the root: exit %d", code)
	}
	t.Chdir(filepath.Join(ws, "tasks", "prd-loyalty-points"))
	inside, _, code := runCLI(t, "check")
	if code != 1 {
		t.Fatalf("inside: exit %d", code)
	}
	a, b := findingLines(fromRoot, "tasks/prd-loyalty-points/"), findingLines(inside, "")
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("findings differ:\n--- from the root\n%s\n--- inside\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	if strings.Contains(inside, "feature-folder") || strings.Contains(inside, "\n.:") {
		t.Errorf("inside the folder:\n%s", inside)
	}
	if !strings.Contains(inside, "\ntasks/prd-loyalty-points: 8 errors") {
		t.Errorf("the feature is not named by its folder:\n%s", inside)
	}
	out, _, _ := runCLI(t, "check", ".", "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Features) != 1 || rep.Features[0].Slug != "loyalty-points" {
		t.Errorf("JSON from inside: %v %+v", err, rep.Features)
	}
}

const onePRDTemplate = "# PRD: [Feature Name]\n\n## Problem\n\nWhat hurts.\n"

// .compozy/tasks/<slug>/ is a feature folder out of the box; the
// configuration at the repository root applies to it, and so do the
// templates of tasks/docs at the repository root.
func TestCompozyLayout(t *testing.T) {
	repo := t.TempDir()
	lsptest.WriteFiles(t, repo, map[string]string{
		".git/HEAD":                        "ref: refs/heads/main\n",
		".specls.yaml":                     "rules:\n  section-placeholder: off\n",
		"tasks/docs/_prd-template.md":      onePRDTemplate,
		".compozy/tasks/chat/_prd.md":      "# PRD: Chat\n\n## Goals\n\nTODO\n",
		"pkg/api/tasks/prd-search/_prd.md": "# PRD: Search\n\n## Problem\n\nTODO\n",
	})
	out, stderr, code := runCLI(t, "check", repo, "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, stderr %s: %v", code, stderr, err)
	}
	codes := map[string][]string{}
	for _, f := range rep.Features {
		for _, fd := range f.Findings {
			codes[f.Slug] = append(codes[f.Slug], fd.Code)
		}
	}
	if len(rep.Features) != 2 || rep.Features[0].Slug != "chat" || rep.Features[0].Dir != filepath.ToSlash(filepath.Join(repo, ".compozy/tasks/chat")) {
		t.Fatalf("features: %+v", rep.Features)
	}
	for slug, cs := range codes {
		if strings.Contains(strings.Join(cs, " "), "feature-folder") || strings.Contains(strings.Join(cs, " "), "section-placeholder") {
			t.Errorf("%s: %v (the folder is a feature folder; the root .specls.yaml switches section-placeholder off)", slug, cs)
		}
	}
	// The repository's PRD template asks for Problem: the compozy feature
	// lacks it, the nested one has it.
	if !strings.Contains(strings.Join(codes["chat"], " "), "section-missing") || strings.Contains(strings.Join(codes["search"], " "), "section-missing") {
		t.Errorf("the repository's template is not in force: %v", codes)
	}
	// From inside the compozy folder, the same findings.
	t.Chdir(filepath.Join(repo, ".compozy", "tasks", "chat"))
	out2, _, _ := runCLI(t, "check")
	if !strings.Contains(out2, "\n.compozy/tasks/chat: ") || strings.Contains(out2, "feature-folder") || strings.Contains(out2, "section-placeholder") {
		t.Errorf("from inside .compozy/tasks/chat:\n%s", out2)
	}
}

// layout.features sets the feature folder patterns.
func TestLayoutFeatures(t *testing.T) {
	ws := t.TempDir()
	lsptest.WriteFiles(t, ws, map[string]string{
		".specls.yaml":                "layout:\n  features: [\"docs/specs/*\"]\n",
		"docs/specs/chat/_prd.md":     "# PRD: Chat\n",
		"tasks/prd-search/_prd.md":    "# PRD: Search\n",
		"docs/specs/Bad_Name/_prd.md": "# PRD: Bad\n",
	})
	out, _, _ := runCLI(t, "check", ws)
	var folder []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "feature-folder") {
			folder = append(folder, l)
		}
	}
	if len(folder) != 2 || !strings.Contains(strings.Join(folder, "\n"), `folder "prd-search" matches none of the feature folder patterns of layout.features (docs/specs/*)`) ||
		!strings.Contains(strings.Join(folder, "\n"), `slug "Bad_Name" is not kebab-case`) {
		t.Errorf("feature-folder findings:\n%s", strings.Join(folder, "\n"))
	}
	// The pattern's "*" is the slug.
	lsptest.WriteFiles(t, ws, map[string]string{".specls.yaml": "layout:\n  features: [\"specs/feat-*\"]\n", "docs/specs/feat-live-chat/_prd.md": "# PRD: Live chat\n"})
	out, _, _ = runCLI(t, "check", filepath.Join(ws, "docs/specs/feat-live-chat"), "--format", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Features) != 1 || rep.Features[0].Slug != "live-chat" {
		t.Errorf("slug of specs/feat-live-chat: %v %+v", err, rep.Features)
	}
}

func TestNewTechSpec(t *testing.T) {
	dir := t.TempDir()
	lsptest.WriteFiles(t, dir, map[string]string{"tasks/docs/_techspec-template.md": "# Tech Spec: [Feature Name]\n## Design\n\nHow.\n"})
	out, stderr, code := runCLI(t, "new", "chat-search", "--techspec", "-C", dir)
	if code != 0 || out != "created "+displayPath(filepath.Join(dir, "tasks/prd-chat-search/_prd.md"))+"\ncreated "+displayPath(filepath.Join(dir, "tasks/prd-chat-search/_techspec.md"))+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "tasks/prd-chat-search/_techspec.md"))
	if string(b) != "# Tech Spec: Chat Search\n\n## Design\n\nHow.\n" {
		t.Errorf("tech spec = %q", b)
	}
	// An existing tech spec stops everything; nothing is half written.
	os.Remove(filepath.Join(dir, "tasks/prd-chat-search/_prd.md"))
	_, stderr, code = runCLI(t, "new", "chat-search", "--techspec", "-C", dir)
	if code != 2 || !strings.Contains(stderr, "_techspec.md exists; not overwritten") {
		t.Errorf("existing tech spec: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "tasks/prd-chat-search/_prd.md")); err == nil {
		t.Error("the PRD was written though the tech spec exists")
	}
	// A PRD written by hand is kept, and its tech spec started.
	lsptest.WriteFiles(t, dir, map[string]string{"tasks/prd-chat-search/_prd.md": "# PRD: mine\n"})
	os.Remove(filepath.Join(dir, "tasks/prd-chat-search/_techspec.md"))
	out, stderr, code = runCLI(t, "new", "chat-search", "--techspec", "-C", dir)
	if code != 0 || !strings.Contains(out, "created ") || !strings.Contains(out, "kept ") {
		t.Errorf("existing PRD: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "tasks/prd-chat-search/_prd.md")); string(b) != "# PRD: mine\n" {
		t.Errorf("the PRD was changed: %q", b)
	}
	// Without --techspec, an existing PRD is an error, as ever.
	if _, stderr, code := runCLI(t, "new", "chat-search", "-C", dir); code != 2 || !strings.Contains(stderr, "_prd.md exists; not overwritten") {
		t.Errorf("existing PRD without --techspec: exit %d, stderr %q", code, stderr)
	}
}

// The README's sample output is a real run of `specls check examples`:
// each run of lines between "..." markers appears as it is, in order.
func TestREADMESampleIsReal(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sample, ok := strings.Cut(string(b), "$ specls check examples\n")
	if !ok {
		t.Fatal("README has no `$ specls check examples` sample")
	}
	sample, _, _ = strings.Cut(sample, "```")
	t.Chdir("../..")
	out, _, code := runCLI(t, "check", "examples", "--color", "never")
	if code != 1 {
		t.Errorf("exit %d, want 1 (prd-loyalty-points fails on purpose)", code)
	}
	chunks := strings.Split(strings.TrimSpace(sample), "\n...\n")
	if !strings.HasPrefix(out, chunks[0]+"\n") || !strings.HasSuffix(out, chunks[len(chunks)-1]+"\n") {
		t.Errorf("README sample does not start and end as the real output:\n%s\nreal output:\n%s", sample, out)
	}
	rest := out
	for _, c := range chunks {
		i := strings.Index(rest, c+"\n")
		if i < 0 {
			t.Errorf("README lines not in the real output (or out of order):\n%s\nreal output:\n%s", c, out)
			return
		}
		rest = rest[i+len(c):]
	}
}
