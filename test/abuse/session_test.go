package abuse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// bin is the specls binary under test: $SPECLS_BIN, or built by TestMain
// (with the race detector when the tests run with it).
var bin string

func TestMain(m *testing.M) {
	code := func() int {
		if b := os.Getenv("SPECLS_BIN"); b != "" {
			bin = b
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "specls-abuse-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "specls")
		args := []string{"build", "-o", bin}
		if raceEnabled {
			args = append(args, "-race")
		}
		build := exec.Command("go", append(args, "../../cmd/specls")...)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "abuse: building specls:", err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// wait bounds every wait for a message so that a missing answer fails the
// test with a message instead of hanging it; it is not a speed assertion
// (the race-enabled binary checks a 10 MB document in tens of seconds).
const wait = 3 * time.Minute

// message is one JSON-RPC message the server wrote.
type message struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
	raw []byte
}

func (m message) isResponse() bool { return m.Method == "" }

// idIs reports whether the message's id is the JSON value want ("null", "7", `"a"`).
func (m message) idIs(want string) bool {
	if len(m.ID) == 0 {
		return want == "null" && m.isResponse()
	}
	return string(m.ID) == want
}

// session is one `specls serve` process spoken to with raw bytes.
type session struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	root   string
	mu     sync.Mutex
	msgs   []message
	notify chan struct{} // closed and replaced on every message
	stderr bytes.Buffer
	done   chan struct{} // closed when the process exited
	code   int
	junk   []byte // stdout bytes that are not a frame
	nextID int
}

// start runs `specls serve` in a fresh workspace. The session is checked
// for data races and stdout junk when the test ends.
func start(t *testing.T) *session {
	t.Helper()
	s := &session{t: t, root: t.TempDir(), notify: make(chan struct{}), done: make(chan struct{}), nextID: 1000}
	s.cmd = exec.Command(bin, "serve", "--debounce", "0", "--log-level", "warn")
	s.cmd.Dir = s.root
	s.cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.stderr}
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go s.read(stdout)
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.stdin.Close()
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.done
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if strings.Contains(s.stderr.String(), "WARNING: DATA RACE") {
			t.Errorf("the server has a data race:\n%s", s.stderr.String())
		}
		if len(s.junk) > 0 {
			t.Errorf("stdout carried bytes that are not a protocol frame: %q", s.junk)
		}
	})
	return s
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// read parses the server's stdout into frames until it closes.
func (s *session) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<16)
	defer func() {
		err := s.cmd.Wait()
		s.mu.Lock()
		s.code = s.cmd.ProcessState.ExitCode()
		if err != nil && s.code == 0 {
			s.code = -1
		}
		s.mu.Unlock()
		close(s.done)
		s.mu.Lock()
		close(s.notify)
		s.notify = make(chan struct{})
		s.mu.Unlock()
	}()
	for {
		n := -1
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				if line != "" {
					s.mu.Lock()
					s.junk = append(s.junk, line...)
					s.mu.Unlock()
				}
				return
			}
			if line == "\r\n" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(strings.TrimSpace(v))
			} else if !strings.HasPrefix(line, "Content-Type: ") {
				s.mu.Lock()
				s.junk = append(s.junk, line...)
				s.mu.Unlock()
			}
		}
		body := make([]byte, max(n, 0))
		if _, err := io.ReadFull(br, body); err != nil {
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			s.mu.Lock()
			s.junk = append(s.junk, body...)
			s.mu.Unlock()
			continue
		}
		m.raw = body
		s.mu.Lock()
		s.msgs = append(s.msgs, m)
		close(s.notify)
		s.notify = make(chan struct{})
		s.mu.Unlock()
	}
}

// write sends raw bytes.
func (s *session) write(b []byte) {
	s.t.Helper()
	if _, err := s.stdin.Write(b); err != nil {
		s.t.Fatalf("writing to the server: %v (exited: %v)\n%s", err, s.exited(), s.log())
	}
}

// frame wraps a body in a correct header.
func frame(body []byte) []byte {
	return append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
}

// send frames a JSON value.
func (s *session) send(v any) {
	s.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		s.t.Fatal(err)
	}
	s.write(frame(b))
}

func (s *session) notifyServer(method string, params any) {
	s.t.Helper()
	s.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// request sends a request with a fresh numeric id and returns the id.
func (s *session) request(method string, params any) int {
	s.t.Helper()
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	s.send(msg)
	return id
}

// waitFor waits for the first message from index from on that matches.
func (s *session) waitFor(what string, from int, match func(message) bool) (message, int) {
	s.t.Helper()
	deadline := time.After(wait)
	for {
		s.mu.Lock()
		for i := from; i < len(s.msgs); i++ {
			if match(s.msgs[i]) {
				m := s.msgs[i]
				s.mu.Unlock()
				return m, i
			}
		}
		ch := s.notify
		s.mu.Unlock()
		select {
		case <-ch:
		case <-s.done:
			// Drain what arrived before the exit.
			s.mu.Lock()
			for i := from; i < len(s.msgs); i++ {
				if match(s.msgs[i]) {
					m := s.msgs[i]
					s.mu.Unlock()
					return m, i
				}
			}
			s.mu.Unlock()
			s.t.Fatalf("the server exited (code %d) while the test waited for %s\n%s", s.exitCode(), what, s.log())
		case <-deadline:
			s.t.Fatalf("no %s after %v\n%s", what, wait, s.log())
		}
	}
}

// response waits for the response to id.
func (s *session) response(id string) message {
	s.t.Helper()
	m, _ := s.waitFor("response to id "+id, 0, func(m message) bool { return m.isResponse() && m.idIs(id) })
	return m
}

// call sends a request and waits for its response.
func (s *session) call(method string, params any) message {
	s.t.Helper()
	return s.response(strconv.Itoa(s.request(method, params)))
}

// messages returns a copy of everything the server sent so far.
func (s *session) messages() []message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]message(nil), s.msgs...)
}

func (s *session) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

func (s *session) exitCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.code
}

func (s *session) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stderr.String()
	if len(out) > 4000 {
		out = "..." + out[len(out)-4000:]
	}
	return "server log:\n" + out
}

// uri returns the file URI of a path in the workspace.
func (s *session) uri(rel string) string {
	return (&url.URL{Scheme: "file", Path: filepath.Join(s.root, rel)}).String()
}

// specPath is the tech spec every session opens; healthy asks for its outline.
const specPath = "tasks/prd-abuse/_techspec.md"

const specText = "# Technical Specification: Abuse\n\n## Architecture Overview\n\nOne service.\n\n## Service Definitions\n\n### Auth Service\n\n- Purpose: sign-in.\n"

// initialize runs the handshake and opens the session's tech spec.
func (s *session) initialize() {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Join(s.root, "tasks", "prd-abuse"), 0o755); err != nil {
		s.t.Fatal(err)
	}
	r := s.call("initialize", map[string]any{
		"processId": nil, "rootUri": s.uri(""), "capabilities": map[string]any{},
	})
	if r.Error != nil || !bytes.Contains(r.Result, []byte(`"capabilities"`)) {
		s.t.Fatalf("initialize: %s", r.raw)
	}
	s.notifyServer("initialized", map[string]any{})
	s.open(specPath, 1, specText)
}

func (s *session) open(rel string, version int, text string) {
	s.t.Helper()
	s.notifyServer("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": s.uri(rel), "languageId": "markdown", "version": version, "text": text,
	}})
}

// symbols returns the names in the outline of a document.
func (s *session) symbols(uri string) []string {
	s.t.Helper()
	r := s.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}})
	if r.Error != nil {
		s.t.Fatalf("documentSymbol: %s", r.raw)
	}
	var syms []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(r.Result, &syms); err != nil {
		s.t.Fatalf("documentSymbol result %s: %v", r.Result, err)
	}
	var out []string
	for _, x := range syms {
		out = append(out, x.Name)
	}
	return out
}

// healthy checks that the process is running and answers a normal
// request correctly: the outline of the session's tech spec.
func (s *session) healthy() {
	s.t.Helper()
	if s.exited() {
		s.t.Fatalf("the server exited with code %d\n%s", s.exitCode(), s.log())
	}
	got := s.symbols(s.uri(specPath))
	want := []string{"Technical Specification: Abuse", "Architecture Overview", "Service Definitions", "Auth Service"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		s.t.Fatalf("after the abuse, the outline is %q, want %q", got, want)
	}
	if s.exited() {
		s.t.Fatalf("the server exited with code %d\n%s", s.exitCode(), s.log())
	}
}

// errorsSince returns the error responses with a null id after index from.
func (s *session) nullErrorsSince(from int) []message {
	var out []message
	for _, m := range s.messages()[from:] {
		if m.isResponse() && m.Error != nil && m.idIs("null") {
			out = append(out, m)
		}
	}
	return out
}
