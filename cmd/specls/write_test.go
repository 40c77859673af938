package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fixWorkspace copies testdata/failing, whose tech spec and PRD both have
// safe fixes, and returns the root and the tech spec's path.
func fixWorkspace(t *testing.T) (root, techspec string) {
	t.Helper()
	root = t.TempDir()
	copyTree(t, "testdata/failing", root, func(b []byte) []byte { return b })
	return root, filepath.Join(root, "tasks", "prd-ai-chat", "_techspec.md")
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The title fix replaces the placeholder it reported, not a link's label
// before it, and fix-all does not go on to replace the link.
func TestFixTitleWithLink(t *testing.T) {
	root, p := fixWorkspace(t)
	text := read(t, p)
	text = strings.Replace(text, "# Technical Specification: [Feature Name]", "# Technical Specification: AI Chat (see [RFC 12](https://x.example/rfc12)) [Beta]", 1)
	os.WriteFile(p, []byte(text), 0o644)
	_, stderr, code := runCLI(t, "check", "--fix", root)
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	title, _, _ := strings.Cut(read(t, p), "\n")
	if want := "# Technical Specification: AI Chat (see [RFC 12](https://x.example/rfc12)) AI Chat"; title != want {
		t.Errorf("title after --fix:\n%s\nwant\n%s", title, want)
	}
}

func TestFixSkipsFileSavedMeanwhile(t *testing.T) {
	root, p := fixWorkspace(t)
	saved := read(t, p) + "\nA line the author saved while --fix ran.\n"
	beforeRename = func(string) {
		if err := os.WriteFile(p, []byte(saved), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { beforeRename = nil })
	out, stderr, code := runCLI(t, "check", "--fix", root)
	if code != 2 {
		t.Errorf("exit %d, want 2 (a file was skipped)", code)
	}
	if got := read(t, p); got != saved {
		t.Errorf("the author's save was overwritten:\n%s", got)
	}
	if !strings.Contains(stderr, "skipped "+displayPath(p)+": it changed on disk") {
		t.Errorf("stderr does not say the file was skipped:\n%s", stderr)
	}
	if strings.Contains(out, "fixed "+displayPath(p)) {
		t.Errorf("reported fixes that were not written:\n%s", out)
	}
	leftovers(t, filepath.Dir(p))
}

func TestFixRefusesReadOnly(t *testing.T) {
	root, p := fixWorkspace(t)
	before := read(t, p)
	if err := os.Chmod(p, 0o444); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "check", "--fix", root)
	if code != 2 || !strings.Contains(stderr, "is read-only") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and a read-only message", code, stderr)
	}
	if read(t, p) != before {
		t.Errorf("a read-only file was rewritten")
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode = %v", fi.Mode().Perm())
	}
	// The other file of the feature is fixed as usual.
	if prd := filepath.Join(filepath.Dir(p), "_prd.md"); !strings.Contains(read(t, prd), "## Goals") {
		t.Errorf("the writable PRD was not fixed")
	}
}

func TestFixKeepsLinksModeAndOwner(t *testing.T) {
	root, p := fixWorkspace(t)
	// The tech spec is a symlink to a file elsewhere in the workspace; the
	// PRD has a second hard link, mode 0640 and, as root, another owner.
	real := filepath.Join(root, "shared", "chat-techspec.md")
	os.MkdirAll(filepath.Dir(real), 0o755)
	if err := os.Rename(p, real); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../shared/chat-techspec.md", p); err != nil {
		t.Fatal(err)
	}
	prd := filepath.Join(filepath.Dir(p), "_prd.md")
	other := filepath.Join(root, "prd-hardlink.md")
	if err := os.Link(prd, other); err != nil {
		t.Fatal(err)
	}
	os.Chmod(real, 0o640)
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 4242, 4343
		if err := os.Chown(real, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := runCLI(t, "check", "--fix", root)
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink became a regular file")
	}
	if text := read(t, real); strings.HasPrefix(text, "# Technical Specification: [Feature Name]") {
		t.Errorf("the symlink's target was not fixed")
	}
	fi, _ := os.Stat(real)
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != 0o640 || int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("mode %v owner %d:%d, want 0640 %d:%d", fi.Mode().Perm(), st.Uid, st.Gid, uid, gid)
	}
	if a, b := read(t, prd), read(t, other); a != b || !strings.Contains(a, "## Goals") {
		t.Errorf("the hard link was broken: the links differ or were not fixed")
	}
	leftovers(t, filepath.Dir(p))
	leftovers(t, filepath.Dir(real))
}

func leftovers(t *testing.T, dir string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(dir, ".*.specls-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestFixSignalRemovesTemp stops `specls check --fix` with SIGINT and
// SIGTERM while a temporary file exists: the process, this test binary
// run as a helper, exits and leaves no temporary file and the original
// text.
func TestFixSignalRemovesTemp(t *testing.T) {
	if dir := os.Getenv("SPECLS_FIX_SIGNAL_HELPER"); dir != "" {
		beforeRename = func(tmp string) {
			os.Stdout.WriteString("ready " + tmp + "\n")
			select {} // wait for the signal
		}
		os.Exit(run([]string{"check", "--fix", dir}, nil, os.Stdout, os.Stderr))
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			root, p := fixWorkspace(t)
			before := read(t, p)
			prdBefore := read(t, filepath.Join(filepath.Dir(p), "_prd.md"))
			cmd := exec.Command(os.Args[0], "-test.run=^TestFixSignalRemovesTemp$")
			cmd.Env = append(os.Environ(), "SPECLS_FIX_SIGNAL_HELPER="+root)
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stdout)
			tmp := ""
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
					tmp = rest
					break
				}
			}
			if tmp == "" {
				cmd.Process.Kill()
				t.Fatal("the helper never reached the rename")
			}
			if _, err := os.Stat(tmp); err != nil {
				t.Fatalf("the temporary file is not there before the signal: %v", err)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			want := map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143}[sig]
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != want {
				t.Errorf("exit: %v, want status %d", err, want)
			}
			if _, err := os.Stat(tmp); !os.IsNotExist(err) {
				t.Errorf("the temporary file %s is still there", tmp)
			}
			leftovers(t, filepath.Dir(p))
			// The first file written is the PRD (sorted); it waits before
			// its rename, so both files hold their original text.
			if read(t, p) != before || read(t, filepath.Join(filepath.Dir(p), "_prd.md")) != prdBefore {
				t.Errorf("a file changed although the run was stopped before any rename")
			}
		})
	}
}
