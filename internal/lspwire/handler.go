package lspwire

import (
	"context"
	"errors"
	"log/slog"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Release runs a request off the read loop from here on, so that it is
// answered after its handler returns without holding up later messages.
// Every request must be released before it is answered, refused ones too:
// jsonrpc2 recycles a request answered inline while the cancel handler's
// context may still watch it. A notification is left in order on the read
// loop.
func Release(ctx context.Context, req *jsonrpc2.Request) {
	if req.IsCall() {
		jsonrpc2.Async(ctx)
	}
}

// KeepOpen drops (and logs) the error of a notification that reaches the
// outermost handler: jsonrpc2 ends the connection on one, and
// protocol.CancelHandler returns one for a $/cancelRequest whose id is
// missing or malformed. A notification has no response to carry it.
func KeepOpen(log *slog.Logger, next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		result, err := next(ctx, req)
		if err != nil && !req.IsCall() {
			log.Warn("notification failed", "method", req.Method(), "err", err)
			return nil, nil
		}
		return result, err
	}
}

// WireError gives the error of a request for method a JSON-RPC code:
//   - a cancelled request is RequestCancelled;
//   - a ParseError is InvalidParams: the frame parsed (or it would not have
//     reached a handler), so it is the params that do not fit the method;
//   - a request LSP does not define is MethodNotFound, even when the
//     protocol dispatcher reported that its (absent) params do not decode;
//   - any other error without a code is InternalError.
func WireError(ctx context.Context, method string, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return protocol.ErrRequestCancelled
	}
	var w *jsonrpc2.Error
	if !errors.As(err, &w) {
		return jsonrpc2.Errorf(jsonrpc2.InternalError, "%v", err)
	}
	switch {
	case w.Code == jsonrpc2.ParseError:
		w = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	case w.Error() != err.Error():
		// A wrapped error keeps its code and says what wrapped it.
		w = &jsonrpc2.Error{Code: w.Code, Message: err.Error(), Data: w.Data}
	}
	if w.Code == jsonrpc2.MethodNotFound || w.Code == jsonrpc2.InvalidParams && !clientRequests[method] {
		return jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "specls: method %q is not supported", method)
	}
	return w
}

// clientRequests are the requests LSP defines from client to server.
var clientRequests = func() map[string]bool {
	m := map[string]bool{}
	for _, mi := range protocol.Methods {
		if mi.Kind == "request" && mi.Direction != protocol.DirectionServerToClient {
			m[mi.Method] = true
		}
	}
	return m
}()
