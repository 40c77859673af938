package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func frames(msgs ...string) string {
	var sb strings.Builder
	for _, m := range msgs {
		fmt.Fprintf(&sb, "Content-Length: %d\r\n\r\n%s", len(m), m)
	}
	return sb.String()
}

// TestServeStdio runs the server on scripted stdin: stdout holds nothing but
// protocol frames, the log goes to the log file, and the exit code follows
// the lifecycle.
func TestServeStdio(t *testing.T) {
	const (
		initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
		shutdown   = `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
		exit       = `{"jsonrpc":"2.0","method":"exit"}`
	)
	tests := []struct {
		name  string
		input string
		code  int
	}{
		{"shutdown then exit", frames(initialize, shutdown, exit), 0},
		{"exit without shutdown", frames(initialize, exit), 1},
		{"stream closed", frames(initialize), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "specls.log")
			var stdout, stderr bytes.Buffer
			code := run([]string{"serve", "--log-file", logFile, "--log-level", "debug"}, strings.NewReader(tt.input), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			assertOnlyFrames(t, stdout.Bytes())
			log, err := os.ReadFile(logFile)
			if err != nil || !strings.Contains(string(log), "msg=initialize") {
				t.Errorf("log file %q: %v", log, err)
			}
		})
	}
}

var header = regexp.MustCompile(`^Content-Length: (\d+)\r\n\r\n`)

func assertOnlyFrames(t *testing.T, out []byte) {
	t.Helper()
	for len(out) > 0 {
		m := header.FindSubmatch(out)
		if m == nil {
			t.Fatalf("stdout holds something that is not a frame: %q", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		out = out[len(m[0])+n:]
	}
}

func TestServeFlags(t *testing.T) {
	for _, args := range [][]string{{"serve", "--log-level", "loud"}, {"serve", "--debounce", "-1s"}, {"serve", "extra"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, strings.NewReader(""), &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit code %d, want 2", args, code)
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: wrote %q to stdout", args, stdout.String())
		}
	}
	// Editors pass --stdio.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--stdio"}, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Errorf("--stdio with a closed stream: exit code %d, want 1", code)
	}
}

// TestServeQuietByDefault: editors record every stderr line of a server
// (Neovim's lsp.log as [ERROR]), so a clean session logs nothing unless
// --log-level asks for it.
func TestServeQuietByDefault(t *testing.T) {
	const (
		initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
		shutdown   = `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
		exit       = `{"jsonrpc":"2.0","method":"exit"}`
	)
	for _, tt := range []struct {
		args  []string
		quiet bool
	}{
		{[]string{"serve"}, true},
		{[]string{"serve", "--log-level", "info"}, false},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, strings.NewReader(frames(initialize, shutdown, exit)), &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit code %d (stderr %q)", tt.args, code, stderr.String())
		}
		if got := stderr.Len() == 0; got != tt.quiet {
			t.Errorf("%v: stderr %q, want quiet=%v", tt.args, stderr.String(), tt.quiet)
		}
	}
}
