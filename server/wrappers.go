package server

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/specls/specls/internal/lspwire"
)

// handler is the connection's handler: the protocol dispatcher inside the
// server's wrappers, outermost first:
//
//   - lspwire.KeepOpen: a notification's error is logged, never returned
//     (jsonrpc2 would close the connection);
//   - protocol.CancelHandler: $/cancelRequest cancels the request's context;
//   - lifecycle: initialize, shutdown and exit, decided in message order,
//     then the request is released to run concurrently;
//   - mapErrors: every request's error gets its JSON-RPC code;
//   - recoverPanics: a panicking handler becomes an InternalError.
func (s *Server) handler() jsonrpc2.Handler {
	h := protocol.ServerHandler(s, nil)
	h = s.recoverPanics(h)
	h = s.mapErrors(h)
	h = s.lifecycle(h)
	h = protocol.CancelHandler(h)
	return lspwire.KeepOpen(s.log, h)
}

// lifecycle enforces the LSP lifecycle (see admit) and then releases a
// request to run concurrently; notifications stay in order on the read
// loop. The lifecycle is decided here, on the read loop, in message order:
// an exit right behind shutdown must see the shutdown even when the client
// did not wait for its answer.
func (s *Server) lifecycle(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		call := req.IsCall()
		// The method borrows the frame until the request is released.
		method := strings.Clone(req.Method())
		if method != protocol.MethodInitialize {
			// Nothing overtakes initialize: a message behind it waits here
			// until it is answered (its handler talks to no one meanwhile).
			s.mu.Lock()
			done := s.initDone
			s.mu.Unlock()
			if done != nil {
				<-done
			}
		}
		rej := s.admit(method, call)
		if rej == nil {
			switch method {
			case protocol.MethodInitialize:
				done := make(chan struct{})
				s.mu.Lock()
				s.initDone = done
				s.mu.Unlock()
				defer close(done)
			case protocol.MethodShutdown:
				s.mu.Lock()
				s.state = stateShutdown
				s.mu.Unlock()
			}
		}
		lspwire.Release(ctx, req)
		if rej != nil {
			if call {
				s.log.Debug("request refused", "method", method, "err", rej)
				return nil, rej
			}
			return nil, nil
		}
		return next(ctx, req)
	}
}

// admit applies the lifecycle: before initialize only initialize and exit
// are served; after shutdown only exit.
func (s *Server) admit(method string, call bool) error {
	if method == protocol.MethodExit {
		return nil
	}
	s.mu.Lock()
	st := s.state
	s.mu.Unlock()
	switch st {
	case stateNew:
		if method == protocol.MethodInitialize {
			return nil
		}
		return jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "specls: the server is not initialized; send initialize first")
	case stateShutdown:
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "specls: %s after shutdown; only exit is accepted", method)
	}
	if method == protocol.MethodInitialize {
		return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "specls: initialize was already received")
	}
	return nil
}

// mapErrors logs each handled message and gives a request's error its
// JSON-RPC code (lspwire.WireError). A notification's error goes on to
// lspwire.KeepOpen, after the user is told of a lost change.
func (s *Server) mapErrors(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		start := time.Now()
		result, err := next(ctx, req)
		s.log.Debug("handled", "method", req.Method(), "call", req.IsCall(), "ms", float64(time.Since(start).Microseconds())/1000, "err", err)
		if err == nil {
			return result, nil
		}
		if !req.IsCall() {
			if req.Method() == protocol.MethodTextDocumentDidChange {
				s.changeLost(req.Params(), err)
			}
			return nil, err
		}
		return nil, lspwire.WireError(ctx, req.Method(), err)
	}
}

// recoverPanics turns a panic while handling a message into an
// InternalError for a request and a message to the user, so that one bad
// handler never ends the session.
func (s *Server) recoverPanics(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		defer func() {
			if r := recover(); r != nil {
				method := req.Method()
				s.log.Error("handler panicked", "method", method, "panic", r, "stack", string(debug.Stack()))
				s.showOnce(protocol.MessageTypeError, fmt.Sprintf("specls: internal error in %s: %v (the server keeps running; see its log)", method, r))
				result, err = nil, nil
				if req.IsCall() {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "specls: internal error in %s: %v", method, r)
				}
			}
		}()
		return next(ctx, req)
	}
}
