package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRefusedFiles: a spec file that is not a regular text file inside the
// workspace, or is past the caps, is one finding; it is never read (no
// hang, no out-of-memory), never fixed, and the rest of the workspace is
// checked as usual.
func TestRefusedFiles(t *testing.T) {
	ok, err := os.ReadFile("testdata/clean/tasks/prd-ok/_techspec.md")
	if err != nil {
		t.Fatal(err)
	}
	okPRD, err := os.ReadFile("testdata/clean/tasks/prd-ok/_prd.md")
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(outside, []byte("aws_secret_access_key = SECRET-OUTSIDE"), 0o600); err != nil {
		t.Fatal(err)
	}
	deep := "# Technical Specification: Deep\n\n" + strings.Repeat("- ", 150) + "x\n"
	cases := []struct {
		name string
		make func(t *testing.T, path string) // makes _techspec.md at path
		code string
		line string // the finding's position, line:col
		msg  string
	}{
		{"dev-zero", link("/dev/zero"), "path-outside-workspace", "1:1", "/dev/zero"},
		{"dev-stdin", link("/dev/stdin"), "path-outside-workspace", "1:1", "outside the workspace root"},
		{"outside", link(outside), "path-outside-workspace", "1:1", "reads no file outside the workspace"},
		{"fifo", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err) // not a missing tool: the OS has none
			}
		}, "file-not-regular", "1:1", "a named pipe (FIFO)"},
		{"dangling", link("nowhere.md"), "file-not-regular", "1:1", "symlink to nothing"},
		{"binary", write("# Technical Specification: Bin\n\x00\x01\x02\xff" + strings.Repeat("[x] ", 100)), "file-not-text", "2:1", "NUL byte"},
		{"latin1", write("# Technical Specification: Caf\xe9\n\n## Architecture Overview\n"), "file-not-text", "1:31", "invalid UTF-8 at byte 30"},
		{"lone-cr", write("# Technical Specification: [Feature Name]\r\r```mermaid\rgraph TD\r  A[API] --> B[Auth]\r```\r"), "file-not-text", "1:42", "lone carriage return (CR) line ending at byte 41"},
		{"too-large", write("# Technical Specification: Big\n\n" + strings.Repeat("word ", 2000)), "file-too-large", "1:1", "over 4.0 KB); raise limits.max-file-size"},
		{"too-deep", write(deep), "nesting-too-deep", "3:1", "more than 100 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			files := map[string][]byte{
				".specls.yaml":              []byte("limits:\n  max-file-size: 4KB\n"),
				"tasks/prd-ok/_prd.md":      okPRD,
				"tasks/prd-ok/_techspec.md": ok,
				"tasks/prd-hostile/_prd.md": okPRD,
			}
			for rel, b := range files {
				p := filepath.Join(root, rel)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			bad := filepath.Join(root, "tasks/prd-hostile/_techspec.md")
			c.make(t, bad)
			var before []byte // the bytes specls must not change
			if c.name != "dev-zero" && c.name != "dev-stdin" && c.name != "fifo" {
				before, _ = os.ReadFile(bad)
			}
			for _, args := range [][]string{{"check", root}, {"check", "--fix", root}} {
				out, stderr, code := runWithin(t, 20*time.Second, args...)
				// A finding is its line and, indented below, its advice.
				var lines []string
				all := strings.Split(out, "\n")
				for i, l := range all {
					if strings.Contains(l, "prd-hostile/_techspec.md") {
						if i+1 < len(all) && strings.HasPrefix(all[i+1], "    ") {
							l += "; " + strings.TrimSpace(all[i+1])
						}
						lines = append(lines, l)
					}
				}
				if len(lines) != 1 || !strings.Contains(lines[0], "_techspec.md:"+c.line+": error "+c.code+":") || !strings.Contains(lines[0], c.msg) {
					t.Errorf("%v: findings about the file = %q, want one %s at %s saying %q\nstdout:\n%s\nstderr:\n%s", args, lines, c.code, c.line, c.msg, out, stderr)
				}
				if code != 1 {
					t.Errorf("%v: exit %d, want 1", args, code)
				}
				if !strings.Contains(out, " in 2 features") {
					t.Errorf("%v: the other feature was not checked:\n%s", args, out)
				}
				if strings.Contains(out+stderr, "SECRET-OUTSIDE") {
					t.Errorf("%v: the file outside the root was read", args)
				}
			}
			if before != nil {
				after, _ := os.ReadFile(bad)
				if !bytes.Equal(before, after) {
					t.Errorf("--fix changed the refused file")
				}
			}
			if fi, err := os.Lstat(bad); err == nil && c.make != nil && strings.HasPrefix(c.name, "d") && fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the symlink was replaced")
			}
		})
	}
}

func link(target string) func(*testing.T, string) {
	return func(t *testing.T, p string) {
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

func write(text string) func(*testing.T, string) {
	return func(t *testing.T, p string) {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runWithin runs the CLI and fails the test, rather than hang, when it
// does not finish in d.
func runWithin(t *testing.T, d time.Duration, args ...string) (string, string, int) {
	t.Helper()
	type res struct {
		out, err string
		code     int
	}
	done := make(chan res, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		done <- res{out.String(), errb.String(), code}
	}()
	select {
	case r := <-done:
		return r.out, r.err, r.code
	case <-time.After(d):
		t.Fatalf("%v did not finish in %s", args, d)
		return "", "", 0
	}
}
