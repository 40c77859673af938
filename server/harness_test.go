package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
)

// The basic fixture: a password-reset feature whose tech spec and PRD
// follow their templates. Its .specls.yaml checks Gate E only.
const (
	techspec = "tasks/prd-reset/_techspec.md"
	prd      = "tasks/prd-reset/_prd.md"
)

// fixture copies testdata/<name> into a temporary folder and returns it.
func fixture(t testing.TB, name string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	src := filepath.Join("testdata", name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func read(t testing.TB, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// start connects a push editor to a server on the basic fixture.
func start(t testing.TB, mod func(*lsptest.Config)) (*lsptest.Editor, string) {
	t.Helper()
	root := fixture(t, "basic")
	cfg := lsptest.Config{Root: root}
	if mod != nil {
		mod(&cfg)
	}
	return lsptest.Start(t, cfg), root
}

func pullCaps() *protocol.ClientCapabilities {
	c := lsptest.PullCaps()
	return &c
}

func has(codes []string, code string) bool { return slices.Contains(codes, code) }

// raw is a client that writes bytes and reads frames, for what a typed
// client cannot send: malformed JSON, requests before initialize, ids it
// chooses for cancellation.
type raw struct {
	t      *testing.T
	conn   net.Conn
	frames chan map[string]any
	code   chan int
}

func startRaw(t *testing.T, opts server.Options) *raw {
	t.Helper()
	s, c := net.Pipe()
	r := &raw{t: t, conn: c, frames: make(chan map[string]any, 64), code: make(chan int, 1)}
	go func() { r.code <- server.New(opts).Serve(context.Background(), s) }()
	go func() {
		defer close(r.frames)
		br := bufio.NewReader(c)
		for {
			n := -1
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				line = strings.TrimSpace(line)
				if line == "" {
					break
				}
				if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
					n, _ = strconv.Atoi(v)
				}
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(br, body); err != nil {
				return
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("server wrote a frame that is not JSON: %q", body)
				return
			}
			r.frames <- m
		}
	}()
	t.Cleanup(func() { c.Close() })
	return r
}

// send writes one frame: a []byte or string body as is, anything else as JSON.
func (r *raw) send(msg any) {
	r.t.Helper()
	var body []byte
	switch m := msg.(type) {
	case []byte:
		body = m
	case string:
		body = []byte(m)
	default:
		var err error
		if body, err = json.Marshal(m); err != nil {
			r.t.Fatal(err)
		}
	}
	if _, err := fmt.Fprintf(r.conn, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

func (r *raw) call(id any, method string, params any) {
	r.t.Helper()
	m := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	r.send(m)
}

func (r *raw) notify(method string, params any) {
	r.t.Helper()
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		m["params"] = params
	}
	r.send(m)
}

// response waits for the response with id (numbers compare as float64; nil
// for id null), answering the server's own requests with null and skipping
// notifications.
func (r *raw) response(id any) map[string]any {
	r.t.Helper()
	timeout := time.After(lsptest.Timeout)
	for {
		select {
		case m, ok := <-r.frames:
			if !ok {
				r.t.Fatalf("the server closed the stream while the response to %v was awaited", id)
			}
			if _, isReq := m["method"]; isReq {
				if sid, ok := m["id"]; ok {
					r.send(map[string]any{"jsonrpc": "2.0", "id": sid, "result": nil})
				}
				continue
			}
			want := id
			if n, ok := id.(int); ok {
				want = float64(n)
			}
			if m["id"] == want {
				return m
			}
		case <-timeout:
			r.t.Fatalf("no response to %v", id)
		}
	}
}

// errorCode returns the error code of a response, or 0 for a result.
func errorCode(m map[string]any) int {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return 0
	}
	return int(e["code"].(float64))
}

func (r *raw) exitCode() int {
	r.t.Helper()
	select {
	case c := <-r.code:
		return c
	case <-time.After(lsptest.Timeout):
		r.t.Fatal("the server did not stop")
		return -1
	}
}

func (r *raw) initialize(caps any) {
	r.t.Helper()
	if caps == nil {
		caps = map[string]any{}
	}
	r.call(1, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps})
	if m := r.response(1); errorCode(m) != 0 {
		r.t.Fatalf("initialize: %v", m)
	}
	r.notify("initialized", map[string]any{})
}
