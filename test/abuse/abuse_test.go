package abuse

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// JSON-RPC and LSP error codes.
const (
	parseError           = -32700
	invalidRequest       = -32600
	methodNotFound       = -32601
	invalidParams        = -32602
	internalError        = -32603
	serverNotInitialized = -32002
	requestCancelled     = -32800
)

func code(m message) int {
	if m.Error == nil {
		return 0
	}
	return m.Error.Code
}

func TestMalformedHeaders(t *testing.T) {
	cases := []struct{ name, bytes string }{
		{"a line that is not a header", "hello from a confused client\r\n"},
		{"a Content-Length that is not a number", "Content-Length: abc\r\n\r\n"},
		{"a negative Content-Length", "Content-Length: -5\r\n\r\n"},
		{"a zero Content-Length", "Content-Length: 0\r\n\r\n"},
		{"no Content-Length", "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"},
		{"a Content-Length past 1 GiB", "Content-Length: 99999999999999999999\r\n\r\n"},
		{"a header without a colon", "Content-Length 12\r\n\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t)
			s.initialize()
			from := len(s.messages())
			s.write([]byte(tc.bytes))
			s.healthy()
			// A header the server cannot read is answered with a parse error
			// (there is no id to answer to).
			errs := s.nullErrorsSince(from)
			if len(errs) == 0 {
				t.Fatalf("no error response for a malformed header")
			}
			for _, m := range errs {
				if code(m) != parseError {
					t.Errorf("error %s, want code %d", m.raw, parseError)
				}
			}
		})
	}
}

// TestFrameLimits: input past the frame limits is refused with one
// ParseError that says which limit, before the server allocates for it,
// and the server reads on at the next header.
func TestFrameLimits(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":78,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///x/_prd.md"}}}`
	cases := []struct{ name, bytes, says string }{
		{"a header line of 1 MB", "X-Padding: " + strings.Repeat("a", 1<<20) + "\r\n\r\n", "header line is longer than 64 KB"},
		{"1 MB without a line break", strings.Repeat("b", 1<<20), "header line is longer than 64 KB"},
		{"a Content-Length of 1 GiB", "Content-Length: 1073741824\r\n\r\n{", "Content-Length 1073741824 is more than the 64 MB a message may have"},
		{"two Content-Length headers that disagree", fmt.Sprintf("Content-Length: %d\r\nContent-Length: %d\r\n\r\n%s", len(body), len(body)+1, body), fmt.Sprintf("two Content-Length headers that disagree (%d and %d)", len(body), len(body)+1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t)
			s.initialize()
			from := len(s.messages())
			s.write([]byte(tc.bytes))
			s.healthy()
			errs := s.nullErrorsSince(from)
			if len(errs) != 1 || code(errs[0]) != parseError || !strings.Contains(errs[0].Error.Message, tc.says) {
				t.Errorf("error responses %v, want one ParseError saying %q", errs, tc.says)
			}
			for _, m := range s.messages()[from:] {
				if m.idIs("78") {
					t.Errorf("the refused frame was served as a request: %s", m.raw)
				}
			}
		})
	}
}

func TestWrongContentLength(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":77,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///x/_prd.md"}}}`
	cases := []struct {
		name string
		n    int
	}{
		{"shorter than the body", len(body) - 20},
		{"longer than the body", len(body) + 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t)
			s.initialize()
			from := len(s.messages())
			s.write([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", tc.n, body)))
			// The frame boundary is lost: what the server reads as this frame
			// is not a message. It answers a parse error, finds the next
			// frame, and serves it. (A longer length swallows the start of
			// the next frame, so the first request after it may be lost; the
			// client's next one is served.)
			var id int
			for range 3 {
				id = s.request("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": s.uri(specPath)}})
			}
			r := s.response(strconv.Itoa(id))
			if r.Error != nil {
				t.Fatalf("request after the bad frame: %s", r.raw)
			}
			if len(s.nullErrorsSince(from)) == 0 {
				t.Errorf("no parse error for the broken frame")
			}
			for _, m := range s.messages()[from:] {
				if m.idIs("77") {
					t.Errorf("the broken frame was served as a request: %s", m.raw)
				}
			}
			s.healthy()
		})
	}
}

func TestInvalidJSON(t *testing.T) {
	cases := []struct {
		name, body string
		code       int
		id         string
	}{
		{"truncated object", `{"jsonrpc": "2.0", "id": 2, "method": `, parseError, "null"},
		{"not JSON at all", `Content-Length: 5`, parseError, "null"},
		{"trailing garbage", `{"jsonrpc":"2.0","id":3,"method":"shutdown"} trailing`, parseError, "null"},
		{"a number", `42`, invalidRequest, "null"},
		{"a string", `"initialize"`, invalidRequest, "null"},
		{"an object without a method", `{"jsonrpc":"2.0","id":4}`, invalidRequest, "4"},
		{"a method that is not a string", `{"jsonrpc":"2.0","id":5,"method":7}`, invalidRequest, "5"},
		{"an empty batch", `[]`, invalidRequest, "null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t)
			s.initialize()
			from := len(s.messages())
			s.write(frame([]byte(tc.body)))
			m, _ := s.waitFor("the error response", from, func(m message) bool { return m.isResponse() && m.Error != nil })
			if code(m) != tc.code || !m.idIs(tc.id) {
				t.Errorf("response %s, want code %d and id %s", m.raw, tc.code, tc.id)
			}
			s.healthy()
		})
	}
}

func TestUnknownMethods(t *testing.T) {
	s := start(t)
	s.initialize()
	r := s.call("specls/noSuchMethod", map[string]any{})
	if code(r) != methodNotFound || !strings.Contains(r.Error.Message, "specls/noSuchMethod") {
		t.Errorf("unknown request: %s, want MethodNotFound naming the method", r.raw)
	}
	// LSP: a request whose method starts with "$/" that the server does not
	// know gets MethodNotFound; such a notification is ignored.
	if r := s.call("$/specls/unknownRequest", nil); code(r) != methodNotFound {
		t.Errorf("unknown $/ request: %s, want MethodNotFound", r.raw)
	}
	from := len(s.messages())
	s.notifyServer("specls/noSuchNotification", map[string]any{"x": 1})
	s.notifyServer("$/specls/unknownNotification", nil)
	s.healthy()
	for _, m := range s.messages()[from:] {
		if m.Error != nil {
			t.Errorf("an unknown notification was answered: %s", m.raw)
		}
	}
}

func TestBeforeInitialize(t *testing.T) {
	s := start(t)
	// Requests before initialize get ServerNotInitialized; notifications
	// are dropped.
	s.open(specPath, 1, "# Dropped\n")
	r := s.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": s.uri(specPath)}, "position": map[string]any{"line": 0, "character": 0}})
	if code(r) != serverNotInitialized {
		t.Errorf("hover before initialize: %s, want code %d", r.raw, serverNotInitialized)
	}
	if r := s.call("shutdown", nil); code(r) != serverNotInitialized {
		t.Errorf("shutdown before initialize: %s, want code %d", r.raw, serverNotInitialized)
	}
	s.initialize()
	s.healthy()
	// A second initialize is refused; the session goes on.
	r = s.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	if code(r) != invalidRequest {
		t.Errorf("second initialize: %s, want code %d", r.raw, invalidRequest)
	}
	s.healthy()
}

func TestExitBeforeInitialize(t *testing.T) {
	s := start(t)
	s.notifyServer("exit", nil)
	<-s.done
	// exit without shutdown: exit code 1, as the specification says.
	if c := s.exitCode(); c != 1 {
		t.Errorf("exit code %d, want 1", c)
	}
}

func TestAfterShutdown(t *testing.T) {
	s := start(t)
	s.initialize()
	s.healthy()
	if r := s.call("shutdown", nil); r.Error != nil || string(r.Result) != "null" {
		t.Fatalf("shutdown: %s, want a null result", r.raw)
	}
	// After shutdown every request but exit is InvalidRequest, and
	// notifications are dropped.
	for _, method := range []string{"textDocument/documentSymbol", "shutdown", "initialize", "specls/noSuchMethod"} {
		r := s.call(method, map[string]any{"textDocument": map[string]any{"uri": s.uri(specPath)}})
		if code(r) != invalidRequest {
			t.Errorf("%s after shutdown: %s, want code %d", method, r.raw, invalidRequest)
		}
	}
	from := len(s.messages())
	s.notifyServer("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": s.uri(specPath), "version": 2}, "contentChanges": []any{map[string]any{"text": "x"}}})
	r := s.call("textDocument/hover", map[string]any{})
	if code(r) != invalidRequest {
		t.Errorf("hover after shutdown: %s", r.raw)
	}
	for _, m := range s.messages()[from:] {
		if !m.isResponse() && m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("a notification after shutdown was acted on: %s", m.raw)
		}
	}
	s.notifyServer("exit", nil)
	<-s.done
	if c := s.exitCode(); c != 0 {
		t.Errorf("exit after shutdown: code %d, want 0\n%s", c, s.log())
	}
}

func TestOutOfRangePositions(t *testing.T) {
	s := start(t)
	s.initialize()
	doc := map[string]any{"uri": s.uri(specPath)}
	far := map[string]any{"line": 1_000_000, "character": 1_000_000}
	pastLine := map[string]any{"line": 0, "character": 500}
	huge := map[string]any{"line": 4294967295, "character": 4294967295}
	requests := []struct {
		method string
		params map[string]any
	}{
		{"textDocument/hover", map[string]any{"textDocument": doc, "position": far}},
		{"textDocument/hover", map[string]any{"textDocument": doc, "position": pastLine}},
		{"textDocument/hover", map[string]any{"textDocument": doc, "position": huge}},
		{"textDocument/definition", map[string]any{"textDocument": doc, "position": far}},
		{"textDocument/completion", map[string]any{"textDocument": doc, "position": far}},
		{"textDocument/completion", map[string]any{"textDocument": doc, "position": pastLine}},
		{"textDocument/codeAction", map[string]any{"textDocument": doc, "range": map[string]any{"start": far, "end": huge}, "context": map[string]any{"diagnostics": []any{}}}},
		{"textDocument/codeAction", map[string]any{"textDocument": doc, "range": map[string]any{"start": far, "end": map[string]any{"line": 0, "character": 0}}, "context": map[string]any{"diagnostics": []any{}}}},
		{"textDocument/hover", map[string]any{"textDocument": doc, "position": map[string]any{"line": -1, "character": -1}}},
		{"textDocument/codeLens", map[string]any{"textDocument": doc}},
		{"textDocument/foldingRange", map[string]any{"textDocument": doc}},
	}
	for _, rq := range requests {
		r := s.call(rq.method, rq.params)
		// A position past the end answers nothing or InvalidParams; a
		// negative one does not decode (InvalidParams). Never an internal
		// error: that is a recovered panic.
		if c := code(r); c != 0 && c != invalidParams {
			b, _ := json.Marshal(rq.params)
			t.Errorf("%s %s: %s", rq.method, b, r.raw)
		}
	}
	// A change whose range lies past the end is applied at the end (no text
	// is lost) and the user is told; the document stays usable.
	from := len(s.messages())
	s.notifyServer("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": s.uri(specPath), "version": 2},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": far, "end": far}, "text": "\n## Appended\n"}}})
	m, _ := s.waitFor("a message about the bad change", from, func(m message) bool { return m.Method == "window/showMessage" })
	if !strings.Contains(string(m.Params), "version 2") {
		t.Errorf("message %s does not name the version", m.Params)
	}
	got := s.symbols(s.uri(specPath))
	if len(got) == 0 || got[len(got)-1] != "Appended" {
		t.Errorf("outline after the change past the end: %q, want it to end with the appended heading", got)
	}
}

func TestNonFileURIs(t *testing.T) {
	s := start(t)
	s.initialize()
	for _, u := range []string{"untitled:Untitled-1", "untitled:/home/u/_techspec.md", "vscode-notebook-cell:/x.ipynb#W0sZmlsZQ%3D%3D", "http://example.com/tasks/prd-x/_techspec.md", "file:", "::not a uri::"} {
		t.Run(u, func(t *testing.T) {
			s.notifyServer("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "markdown", "version": 1, "text": specText}})
			doc := map[string]any{"uri": u}
			pos := map[string]any{"line": 0, "character": 3}
			for _, rq := range []struct {
				method string
				params map[string]any
			}{
				{"textDocument/hover", map[string]any{"textDocument": doc, "position": pos}},
				{"textDocument/documentSymbol", map[string]any{"textDocument": doc}},
				{"textDocument/completion", map[string]any{"textDocument": doc, "position": pos}},
				{"textDocument/codeAction", map[string]any{"textDocument": doc, "range": map[string]any{"start": pos, "end": pos}, "context": map[string]any{"diagnostics": []any{}}}},
				{"textDocument/diagnostic", map[string]any{"textDocument": doc}},
				{"textDocument/foldingRange", map[string]any{"textDocument": doc}},
			} {
				if r := s.call(rq.method, rq.params); code(r) != 0 && code(r) != invalidParams && code(r) != methodNotFound {
					t.Errorf("%s on %s: %s", rq.method, u, r.raw)
				}
			}
			s.notifyServer("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": u, "version": 2}, "contentChanges": []any{map[string]any{"text": "# Other\n"}}})
			s.notifyServer("textDocument/didClose", map[string]any{"textDocument": doc})
			s.healthy()
		})
	}
}

func TestTenMegabyteDocument(t *testing.T) {
	s := start(t)
	s.initialize()
	// A tech spec with the template outline and 10 MB of prose in it.
	var sb strings.Builder
	sb.WriteString(specText)
	sb.WriteString("\n## Appendix\n\n")
	line := "The gateway forwards each request to the owning service with a deadline and retries on UNAVAILABLE (FR-1).\n"
	for i := 0; sb.Len() < 10<<20; i++ {
		sb.WriteString(line)
		if i%20 == 19 {
			sb.WriteString("\n")
		}
	}
	big := "tasks/prd-big/_techspec.md"
	from := len(s.messages())
	s.open(big, 1, sb.String())
	// Reading goes on while the big document is checked.
	s.healthy()
	m, _ := s.waitFor("diagnostics of the 10 MB document", from, func(m message) bool {
		return m.Method == "textDocument/publishDiagnostics" && strings.Contains(string(m.Params), "prd-big")
	})
	var p struct {
		Version     int               `json:"version"`
		Diagnostics []json.RawMessage `json:"diagnostics"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil || p.Version != 1 {
		t.Errorf("diagnostics %.300s: %v", m.Params, err)
	}
	// An edit at its end works on the whole text.
	lines := strings.Count(sb.String(), "\n")
	s.notifyServer("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": s.uri(big), "version": 2},
		"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": lines, "character": 0}, "end": map[string]any{"line": lines, "character": 0}}, "text": "## Last\n"}}})
	got := s.symbols(s.uri(big))
	if len(got) == 0 || got[len(got)-1] != "Last" {
		t.Errorf("outline of the big document ends %q, want the heading added at its end", got[max(0, len(got)-3):])
	}
	s.healthy()
}

func TestBinaryBytes(t *testing.T) {
	t.Run("a frame of binary", func(t *testing.T) {
		s := start(t)
		s.initialize()
		r := rand.New(rand.NewPCG(1, 2))
		b := make([]byte, 4096)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		b[0] = 0xFF // not JSON
		from := len(s.messages())
		s.write(frame(b))
		s.healthy()
		if errs := s.nullErrorsSince(from); len(errs) == 0 || code(errs[0]) != parseError {
			t.Errorf("binary frame: errors %v, want a parse error", errs)
		}
	})
	t.Run("binary between frames", func(t *testing.T) {
		s := start(t)
		s.initialize()
		from := len(s.messages())
		s.write([]byte("\x00\x01\x02\xff\xfe\x7f garbage \xc3\x28\r\n\r\n"))
		s.healthy()
		if len(s.nullErrorsSince(from)) == 0 {
			t.Errorf("no parse error for binary between frames")
		}
	})
	t.Run("control characters and bad UTF-8 in a document", func(t *testing.T) {
		s := start(t)
		s.initialize()
		// JSON carries control characters escaped; a lone surrogate escape
		// and raw invalid UTF-8 are put in the string by hand.
		text := "# Technical Specification: Bin\u0000ary\n\n## Architecture Overview\n\n\u0001\u0002\u001f\ufffe\uffff 😀 text\n"
		body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{
			"uri": s.uri("tasks/prd-bin/_techspec.md"), "languageId": "markdown", "version": 1, "text": text}}})
		body = []byte(strings.Replace(string(body), "text\\n", "\\ud800 \xff\xfe\xc3\x28\\n", 1))
		s.write(frame(body))
		got := s.symbols(s.uri("tasks/prd-bin/_techspec.md"))
		if len(got) != 2 || got[1] != "Architecture Overview" {
			t.Errorf("outline of the document with binary bytes: %q", got)
		}
		pos := map[string]any{"line": 4, "character": 5}
		if r := s.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": s.uri("tasks/prd-bin/_techspec.md")}, "position": pos}); code(r) != 0 {
			t.Errorf("hover: %s", r.raw)
		}
		s.healthy()
	})
}

// TestRapidChanges sends 1,000 changes without waiting: the server applies
// them all in order, publishes no diagnostics older than ones it already
// published, and ends with the diagnostics of the last version.
func TestRapidChanges(t *testing.T) {
	s := start(t)
	s.initialize()
	path := "tasks/prd-rapid/_techspec.md"
	s.open(path, 1, "# T\n\n## Architecture Overview\n\nText.\n")
	title := "T"
	var batch []byte
	for v := 2; v <= 1001; v++ {
		ch := string(rune('a' + v%26))
		// Append one letter to the title; every tenth change replaces the
		// whole text instead, in the same state.
		change := map[string]any{"range": map[string]any{"start": map[string]any{"line": 0, "character": len(title) + 2}, "end": map[string]any{"line": 0, "character": len(title) + 2}}, "text": ch}
		title += ch
		if v%10 == 0 {
			change = map[string]any{"text": "# " + title + "\n\n## Architecture Overview\n\nText.\n"}
		}
		body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": map[string]any{
			"textDocument": map[string]any{"uri": s.uri(path), "version": v}, "contentChanges": []any{change}}})
		batch = append(batch, frame(body)...)
	}
	s.write(batch)
	s.waitFor("diagnostics of version 1001", 0, func(m message) bool {
		return m.Method == "textDocument/publishDiagnostics" && strings.Contains(string(m.Params), "prd-rapid") && strings.Contains(string(m.Params), `"version":1001`)
	})
	if got := s.symbols(s.uri(path)); len(got) == 0 || got[0] != title {
		t.Errorf("title after 1,000 changes: %q, want %q", got, title)
	}
	last := 0
	for _, m := range s.messages() {
		if m.Method != "textDocument/publishDiagnostics" || !strings.Contains(string(m.Params), "prd-rapid") {
			continue
		}
		var p struct {
			Version int `json:"version"`
		}
		_ = json.Unmarshal(m.Params, &p)
		if p.Version < last {
			t.Errorf("diagnostics of version %d published after those of version %d", p.Version, last)
		}
		last = p.Version
	}
	s.healthy()
}

// TestCancellationStorm sends requests each followed by its cancellation,
// cancellations of ids never sent and of ids already answered: every
// request gets exactly one response (its result, or RequestCancelled) and
// no cancellation is answered.
func TestCancellationStorm(t *testing.T) {
	s := start(t)
	s.initialize()
	doc := map[string]any{"uri": s.uri(specPath)}
	pos := map[string]any{"line": 0, "character": 3}
	methods := []struct {
		method string
		params map[string]any
	}{
		{"textDocument/documentSymbol", map[string]any{"textDocument": doc}},
		{"textDocument/hover", map[string]any{"textDocument": doc, "position": pos}},
		{"textDocument/codeAction", map[string]any{"textDocument": doc, "range": map[string]any{"start": pos, "end": pos}, "context": map[string]any{"diagnostics": []any{}}}},
		{"textDocument/completion", map[string]any{"textDocument": doc, "position": pos}},
		{"textDocument/foldingRange", map[string]any{"textDocument": doc}},
		{"textDocument/codeLens", map[string]any{"textDocument": doc}},
	}
	answered := s.call("textDocument/documentSymbol", map[string]any{"textDocument": doc})
	var batch []byte
	var ids []string
	for i := range 300 {
		id := strconv.Itoa(5000 + i)
		if i%3 == 0 {
			id = strconv.Quote("s" + id) // string ids too
		}
		ids = append(ids, id)
		m := methods[i%len(methods)]
		req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(id), "method": m.method, "params": m.params})
		batch = append(batch, frame(req)...)
		if i%2 == 0 { // cancel half of them at once, the rest after more traffic
			batch = append(batch, frame([]byte(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":`+id+`}}`))...)
		}
		batch = append(batch, frame([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":%d}}`, 900000+i)))...)
	}
	for i, id := range ids {
		if i%2 == 1 {
			batch = append(batch, frame([]byte(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":`+id+`}}`))...)
		}
	}
	batch = append(batch, frame([]byte(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":`+string(answered.ID)+`}}`))...)
	batch = append(batch, frame([]byte(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{}}`))...)
	batch = append(batch, frame([]byte(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"no":"such"}}}`))...)
	s.write(batch)
	for _, id := range ids {
		r := s.response(id)
		if c := code(r); c != 0 && c != requestCancelled {
			t.Errorf("request %s: %s, want a result or RequestCancelled", id, r.raw)
		}
	}
	s.healthy()
	count := map[string]int{}
	for _, m := range s.messages() {
		if m.isResponse() {
			count[string(m.ID)]++
		}
	}
	for _, id := range append(ids, string(answered.ID)) {
		if count[id] != 1 {
			t.Errorf("request %s got %d responses, want 1", id, count[id])
		}
	}
	for id, n := range count {
		if strings.HasPrefix(id, "9000") || id == "null" {
			t.Errorf("a cancellation was answered (%d responses with id %s)", n, id)
		}
	}
}
