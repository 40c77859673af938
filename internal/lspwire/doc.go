// Package lspwire holds what specls needs between the byte stream and the
// LSP handlers, and every workaround for go.lsp.dev/jsonrpc2 v1.0.1 and
// go.lsp.dev/protocol v1.0.0 in one place:
//
//   - Codec marshals with protocol's union-aware codec, copies the frame
//     before decoding (protocol.Unmarshal may alias it, and the frame buffer
//     is reused) and passes raw JSON through untouched.
//   - NewStream frames messages with limits (header lines, Content-Length,
//     the buffer kept between frames) and keeps serving after a malformed
//     frame, where jsonrpc2 would end the connection: it answers the frame
//     and resynchronises at the next Content-Length header.
//   - Release runs a request off the read loop before it is answered,
//     because jsonrpc2 recycles a request answered inline while the cancel
//     handler's context may still watch it.
//   - KeepOpen swallows (and logs) the error of a notification, because
//     jsonrpc2 closes the connection on one.
//   - WireError gives every handler error its JSON-RPC code.
//
// The server's own handler wrappers (recover, lifecycle, error mapping)
// live in package server and call these; lsptest's fake editor uses the
// same Codec.
package lspwire
