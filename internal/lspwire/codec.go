package lspwire

import (
	"bytes"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Codec is the jsonrpc2.Codec of both ends of a specls connection: the
// protocol package's codec, which knows LSP's union types, with raw JSON
// passed through as it is.
type Codec struct{}

// Marshal encodes v; a raw message is its own encoding (null when nil).
func (Codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	}
	return protocol.Marshal(v)
}

// Unmarshal decodes data into v. It never keeps data: the frame buffer it
// comes from is reused for the next message.
func (Codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	// protocol.Unmarshal does not copy the frame for every destination (a
	// union at the root aliases it).
	return protocol.Unmarshal(bytes.Clone(data), v)
}
