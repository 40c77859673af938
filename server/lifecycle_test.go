package server_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
)

func TestLifecycleOrder(t *testing.T) {
	r := startRaw(t, server.Options{})
	r.call(0, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x/_prd.md"}, "position": map[string]any{"line": 0, "character": 0}})
	if got := errorCode(r.response(0)); got != -32002 {
		t.Fatalf("request before initialize: error %d, want -32002 (ServerNotInitialized)", got)
	}
	r.initialize(nil)
	r.call(2, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	if got := errorCode(r.response(2)); got != -32600 {
		t.Fatalf("second initialize: error %d, want -32600 (InvalidRequest)", got)
	}
	r.call(3, "shutdown", nil)
	if m := r.response(3); errorCode(m) != 0 || m["result"] != nil {
		t.Fatalf("shutdown: %v, want a null result", m)
	}
	r.call(4, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x/_prd.md"}, "position": map[string]any{"line": 0, "character": 0}})
	if got := errorCode(r.response(4)); got != -32600 {
		t.Fatalf("request after shutdown: error %d, want -32600 (InvalidRequest)", got)
	}
	r.notify("exit", nil)
	if code := r.exitCode(); code != 0 {
		t.Fatalf("exit after shutdown: code %d, want 0", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	r := startRaw(t, server.Options{})
	r.initialize(nil)
	r.notify("exit", nil)
	if code := r.exitCode(); code != 1 {
		t.Fatalf("exit without shutdown: code %d, want 1", code)
	}
}

func TestStreamClosed(t *testing.T) {
	for _, shutdown := range []bool{false, true} {
		ed, _ := start(t, nil)
		want := 1
		if shutdown {
			if err := ed.Shutdown(); err != nil {
				t.Fatal(err)
			}
			want = 0
		}
		if code := ed.Disconnect(); code != want {
			t.Errorf("stream closed (shutdown %v): code %d, want %d", shutdown, code, want)
		}
	}
}

func TestShutdownExit(t *testing.T) {
	ed, _ := start(t, nil)
	v := ed.OpenFile(techspec)
	ed.Diagnostics(techspec, v)
	if err := ed.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if code := ed.Exit(); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
}

func TestCapabilitiesFollowTheClient(t *testing.T) {
	tests := []struct {
		name     string
		caps     protocol.ClientCapabilities
		encoding protocol.PositionEncodingKind
		pull     bool
		literals bool
	}{
		{"push editor, UTF-16 only", lsptest.PushCaps(), protocol.PositionEncodingKindUTF16, false, true},
		{"pull editor offering UTF-8", lsptest.PullCaps(), protocol.PositionEncodingKindUTF8, true, true},
		{"bare client", protocol.ClientCapabilities{}, protocol.PositionEncodingKindUTF16, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caps := tt.caps
			ed, _ := start(t, func(c *lsptest.Config) { c.Caps = &caps })
			got := ed.Init.Capabilities
			if got.PositionEncoding != tt.encoding {
				t.Errorf("positionEncoding %q, want %q", got.PositionEncoding, tt.encoding)
			}
			if (got.DiagnosticProvider != nil) != tt.pull {
				t.Errorf("diagnosticProvider %v, want pull=%v", got.DiagnosticProvider, tt.pull)
			}
			_, isOptions := got.CodeActionProvider.(*protocol.CodeActionOptions)
			if isOptions != tt.literals {
				t.Errorf("codeActionProvider %T, want options=%v", got.CodeActionProvider, tt.literals)
			}
			sync, ok := got.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
			if !ok || sync.Change == nil || *sync.Change != protocol.TextDocumentSyncKindIncremental {
				t.Errorf("textDocumentSync %+v, want incremental", got.TextDocumentSync)
			}
			if got.ExecuteCommandProvider.Commands == nil {
				t.Errorf("no commands")
			}
			if got := ed.Init.ServerInfo.Name; got != "specls" {
				t.Errorf("serverInfo.name %q", got)
			}
		})
	}
}

func TestRegistersFileWatching(t *testing.T) {
	ed, _ := start(t, nil)
	reg := ed.WaitRegistration(protocol.MethodWorkspaceDidChangeWatchedFiles)
	for _, glob := range []string{"**/_techspec.md", "**/.specls.yaml", "**/*-template.md"} {
		if !strings.Contains(string(reg.RegisterOptions), glob) {
			t.Errorf("watchers %s lack %s", reg.RegisterOptions, glob)
		}
	}
}
