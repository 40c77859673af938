package server_test

import (
	"strings"
	"testing"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/server"
)

// TestMalformedInput sends what a broken client might: each bad message
// gets an error response and the server goes on serving.
func TestMalformedInput(t *testing.T) {
	r := startRaw(t, server.Options{})
	r.initialize(nil)
	hover := map[string]any{"textDocument": map[string]any{"uri": "file:///nowhere/_prd.md"}, "position": map[string]any{"line": 0, "character": 0}}

	r.send(`{"jsonrpc": "2.0", "id": 7, "method": `)
	if got := errorCode(r.response(nil)); got != -32700 {
		t.Errorf("invalid JSON: error %d, want -32700 (ParseError)", got)
	}
	r.send(`{"jsonrpc": "1.0", "id": 8, "method": "textDocument/hover"}`)
	if got := errorCode(r.response(8)); got != -32600 {
		t.Errorf("wrong jsonrpc version: error %d, want -32600 (InvalidRequest)", got)
	}
	r.call(9, "specls/noSuchMethod", map[string]any{})
	m := r.response(9)
	if got := errorCode(m); got != -32601 {
		t.Errorf("unknown method: error %d, want -32601 (MethodNotFound)", got)
	}
	if msg := m["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "specls/noSuchMethod") {
		t.Errorf("unknown method message %q does not name the method", msg)
	}
	r.call(10, "textDocument/hover", "not an object")
	if got := errorCode(r.response(10)); got != -32602 {
		t.Errorf("params of the wrong type: error %d, want -32602 (InvalidParams)", got)
	}
	// A notification with bad params has no response; it must not end the
	// connection.
	r.notify("textDocument/didOpen", 42)
	r.notify("specls/unknownNotification", map[string]any{})
	r.call(11, "textDocument/hover", hover)
	if m := r.response(11); errorCode(m) != 0 {
		t.Errorf("after the bad messages, hover failed: %v", m)
	}
	r.call(12, "shutdown", nil)
	r.response(12)
	r.notify("exit", nil)
	if code := r.exitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// TestPanicRecovered: a panic while answering one request becomes an
// InternalError response; the next request is answered.
func TestPanicRecovered(t *testing.T) {
	root := fixture(t, "basic")
	r := startRaw(t, server.Options{Actions: func(codeactions.Request) []codeactions.Action { panic("boom") }})
	r.call(1, "initialize", map[string]any{"processId": nil, "rootUri": "file://" + root, "capabilities": map[string]any{}})
	r.response(1)
	r.notify("initialized", map[string]any{})
	uri := "file://" + root + "/" + techspec
	r.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "markdown", "version": 1, "text": read(t, root, techspec)}})
	r.call(2, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	m := r.response(2)
	if got := errorCode(m); got != -32603 {
		t.Fatalf("panicking request: %v, want error -32603 (InternalError)", m)
	}
	if msg := m["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "boom") {
		t.Errorf("error message %q does not tell what happened", msg)
	}
	r.call(3, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 3}})
	if m := r.response(3); errorCode(m) != 0 || m["result"] == nil {
		t.Fatalf("hover after the panic: %v", m)
	}
}

// TestCancelRequest cancels a workspace pull that waits for a change.
func TestCancelRequest(t *testing.T) {
	root := fixture(t, "basic")
	r := startRaw(t, server.Options{})
	caps := map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}
	r.call(1, "initialize", map[string]any{"processId": nil, "rootUri": "file://" + root, "capabilities": caps})
	r.response(1)
	r.notify("initialized", map[string]any{})
	r.call(2, "workspace/diagnostic", map[string]any{"previousResultIds": []any{}})
	first := r.response(2)
	var prev []any
	for _, it := range first["result"].(map[string]any)["items"].([]any) {
		item := it.(map[string]any)
		prev = append(prev, map[string]any{"uri": item["uri"], "value": item["resultId"]})
	}
	if len(prev) != 2 {
		t.Fatalf("workspace pull: %d items, want the PRD and the tech spec: %v", len(prev), first)
	}
	// Nothing changed: the second pull waits until it is cancelled.
	r.call("wait", "workspace/diagnostic", map[string]any{"previousResultIds": prev})
	r.notify("$/cancelRequest", map[string]any{"id": "wait"})
	if got := errorCode(r.response("wait")); got != -32800 {
		t.Fatalf("cancelled request: error %d, want -32800 (RequestCancelled)", got)
	}
}
