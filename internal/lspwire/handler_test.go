package lspwire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

func TestWireError(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bg := context.Background()
	coded := jsonrpc2.NewError(protocol.CodeContentModified, "changed")
	cases := []struct {
		name   string
		ctx    context.Context
		method string
		err    error
		code   jsonrpc2.Code
		msg    string
	}{
		{"a cancelled request", cancelled, "textDocument/hover", errors.New("late"), -32800, ""},
		{"a plain error", bg, "textDocument/hover", errors.New("disk full"), jsonrpc2.InternalError, "disk full"},
		{"params that do not decode", bg, "textDocument/hover", jsonrpc2.NewError(jsonrpc2.ParseError, "bad"), jsonrpc2.InvalidParams, "invalid params: bad"},
		{"an unknown method whose params do not decode", bg, "specls/nothing", jsonrpc2.NewError(jsonrpc2.ParseError, "bad"), jsonrpc2.MethodNotFound, `method "specls/nothing" is not supported`},
		{"an unknown method", bg, "specls/nothing", jsonrpc2.NewError(jsonrpc2.MethodNotFound, "x"), jsonrpc2.MethodNotFound, `method "specls/nothing" is not supported`},
		{"a coded error", bg, "codeAction/resolve", coded, protocol.CodeContentModified, "changed"},
		{"a wrapped coded error", bg, "codeAction/resolve", fmt.Errorf("applying: %w", coded), protocol.CodeContentModified, "applying: changed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var w *jsonrpc2.Error
			if !errors.As(WireError(tc.ctx, tc.method, tc.err), &w) {
				t.Fatalf("not a JSON-RPC error")
			}
			if w.Code != tc.code || !strings.Contains(w.Message, tc.msg) {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Message, tc.code, tc.msg)
			}
		})
	}
}

// TestCodecCopiesTheFrame: what Unmarshal decodes stays intact when the
// frame buffer is reused for the next message.
func TestCodecCopiesTheFrame(t *testing.T) {
	for _, dst := range []func() any{
		func() any { return new(jsonrpc2.RawMessage) },
		func() any { return new(protocol.HoverParams) },
	} {
		frame := []byte(`{"textDocument":{"uri":"file:///a/_prd.md"},"position":{"line":1,"character":2}}`)
		v := dst()
		if err := (Codec{}).Unmarshal(frame, v); err != nil {
			t.Fatal(err)
		}
		want, _ := Codec{}.Marshal(v)
		for i := range frame {
			frame[i] = ' '
		}
		if got, _ := (Codec{}).Marshal(v); string(got) != string(want) {
			t.Errorf("%T changed with the frame: %s, was %s", v, got, want)
		}
	}
	if b, err := (Codec{}).Marshal(jsonrpc2.RawMessage(nil)); err != nil || string(b) != "null" {
		t.Errorf("a nil raw message marshals to %s, %v; want null", b, err)
	}
}
