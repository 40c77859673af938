// Package server is the language server: it adapts the spec engine to the
// Language Server Protocol. Handlers are thin: they snapshot state under
// the one server lock, call pure functions (workspace, diagnostics,
// codeactions, assist) and convert byte offsets to LSP positions at the
// edge. Checking runs in goroutines that re-check the document version
// before they publish.
package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

// Options configure a server.
type Options struct {
	// Logger receives the server's log; nil discards it.
	Logger *slog.Logger
	// Debounce is how long push diagnostics wait after a change before the
	// check runs, unless the configuration sets server.debounce. Zero checks
	// at once.
	Debounce time.Duration
	// Version is reported in serverInfo.
	Version string
	// Actions computes code actions; nil means codeactions.For.
	Actions func(codeactions.Request) []codeactions.Action
}

// Server is one language-server session over one connection.
type Server struct {
	protocol.UnimplementedServer

	opts    Options
	log     *slog.Logger
	actions func(codeactions.Request) []codeactions.Action

	conn   jsonrpc2.Conn
	client protocol.Client

	// bg is cancelled at shutdown or exit: background checks, indexing and
	// long-polling requests end with it.
	bg       context.Context
	stopBg   context.CancelFunc
	exited   chan struct{}
	exitOnce sync.Once

	// configReady is closed once the client's settings have been read after
	// initialized, so that the first published diagnostics already use them.
	configReady chan struct{}
	readyOnce   sync.Once

	// mu guards everything below. Handlers hold it briefly; no client call
	// is made while it is held.
	mu       sync.Mutex
	state    state
	exitCode int
	caps     clientCaps
	folders  []string // workspace folder paths
	docs     map[string]*document
	results  map[string]*result // feature folder -> latest check
	parsed   spec.Cache         // parsed spec files, reused while their text is unchanged
	initDone chan struct{}      // closed when initialize has been answered
	spaces   map[string]*space  // workspace root -> configuration and templates
	roots    map[string]string  // feature folder -> its workspace root, once checked
	settings *config.Config     // the client's overrides of .specls.yaml; nil for none
	// initSettings are the initializationOptions, which workspace
	// configuration refines.
	initSettings *config.Config
	// settingsErr is a problem with the client's settings, shown once.
	settingsErr error
	cfgGen      uint64 // bumped when configuration, templates or settings change
	diskGen     uint64 // bumped when a spec file changes on disk
	timers      map[string]*time.Timer
	published   map[string]published
	changed     chan struct{} // closed and replaced on every change (workspace pull waits on it)
	shown       map[string]bool
	progressSeq int
	progress    map[string]context.CancelFunc // work-done tokens the client may cancel
	watching    bool                          // the client reports file changes to us

	// pubMu orders publishDiagnostics: it is taken before mu is released,
	// so notifications leave in the order their versions were decided.
	pubMu sync.Mutex
}

type state int

const (
	stateNew state = iota
	stateRunning
	stateShutdown
)

// New returns a server that has not started serving.
func New(opts Options) *Server {
	s := &Server{
		opts:        opts,
		log:         opts.Logger,
		actions:     opts.Actions,
		exited:      make(chan struct{}),
		configReady: make(chan struct{}),
		docs:        map[string]*document{},
		results:     map[string]*result{},
		spaces:      map[string]*space{},
		roots:       map[string]string{},
		timers:      map[string]*time.Timer{},
		published:   map[string]published{},
		changed:     make(chan struct{}),
		shown:       map[string]bool{},
		progress:    map[string]context.CancelFunc{},
		exitCode:    1,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.actions == nil {
		s.actions = codeactions.For
	}
	return s
}

// Serve answers LSP messages on rwc until the client sends exit or closes
// the stream, and returns the process exit code: 0 after shutdown, else 1.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	s.bg, s.stopBg = context.WithCancel(ctx)
	defer s.stopBg()
	stream := newStream(rwc, s.log)
	s.conn = jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	// The connection context is not cancelled at shutdown: exit must still
	// be read and handled after it.
	s.conn.Go(context.WithoutCancel(ctx), s.keepOpen(protocol.CancelHandler(s.guard(protocol.ServerHandler(s, nil)))))

	// After exit, pending work does not matter; the reader may be blocked
	// on a stdin that Close cannot interrupt, so do not wait long for it.
	linger := 2 * time.Second
	select {
	case <-s.conn.Done():
		s.log.Info("client closed the connection")
	case <-s.exited:
		linger = 100 * time.Millisecond
	case <-ctx.Done():
	}
	s.stop()
	s.mu.Lock()
	code := s.exitCode
	if s.state == stateShutdown {
		code = 0
	}
	s.mu.Unlock()
	if err := s.conn.Err(); err != nil {
		s.log.Warn("connection ended with an error", "err", err)
	}
	// Close waits for handlers to drain; a client that stopped reading must
	// not keep the process alive.
	closed := make(chan struct{})
	go func() { _ = s.conn.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(linger):
		s.log.Debug("not waiting longer for the connection to close")
	}
	return code
}

// stop ends background work and pending debounce timers.
func (s *Server) stop() {
	s.stopBg()
	s.mu.Lock()
	for _, t := range s.timers {
		t.Stop()
	}
	s.mu.Unlock()
	s.readyOnce.Do(func() { close(s.configReady) })
}

// guard wraps the protocol dispatcher: it enforces the lifecycle, releases
// requests to run concurrently (notifications stay in order on the read
// loop), recovers panics and turns every error into a JSON-RPC error. A
// notification never returns an error: jsonrpc2 would close the connection.
func (s *Server) guard(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		call := req.IsCall()
		method := strings.Clone(req.Method())
		// The lifecycle is decided here, on the read loop, in message order:
		// an exit right behind shutdown must see the shutdown even when the
		// client did not wait for its answer.
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
		if call {
			// Every request runs off the read loop, released before it is
			// answered: jsonrpc2 recycles a request answered inline while the
			// cancel handler's context may still watch it.
			jsonrpc2.Async(ctx)
		}
		if rej != nil {
			if call {
				s.log.Debug("request refused", "method", method, "err", rej)
				return nil, rej
			}
			return nil, nil
		}

		start := time.Now()
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("handler panicked", "method", method, "panic", r, "stack", string(debug.Stack()))
				s.showOnce(protocol.MessageTypeError, fmt.Sprintf("specls: internal error in %s: %v (the server keeps running; see its log)", method, r))
				result = nil
				err = nil
				if call {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "specls: internal error in %s: %v", method, r)
				}
			}
		}()
		result, err = next(ctx, req)
		s.log.Debug("handled", "method", method, "call", call, "ms", float64(time.Since(start).Microseconds())/1000, "err", err)
		if err == nil {
			return result, nil
		}
		if !call {
			s.log.Warn("notification failed", "method", method, "err", err)
			if method == protocol.MethodTextDocumentDidChange {
				s.changeLost(req.Params(), err)
			}
			return nil, nil
		}
		err = wireError(ctx, err)
		var w *jsonrpc2.Error
		// A request the server does not know is MethodNotFound, even when
		// it has no params to decode.
		if errors.As(err, &w) && (w.Code == jsonrpc2.MethodNotFound || w.Code == jsonrpc2.InvalidParams && !clientRequests[method]) {
			err = jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "specls: method %q is not supported", method)
		}
		return nil, err
	}
}

// keepOpen drops the errors of notifications that reach the outermost
// handler: jsonrpc2 ends the connection on one, and protocol.CancelHandler
// returns one for a $/cancelRequest whose id is missing or malformed.
func (s *Server) keepOpen(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		result, err := next(ctx, req)
		if err != nil && !req.IsCall() {
			s.log.Warn("notification failed", "method", req.Method(), "err", err)
			return nil, nil
		}
		return result, err
	}
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

// wireError gives every error a JSON-RPC code: parameters that do not
// decode are InvalidParams, a cancelled request is RequestCancelled.
func wireError(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return protocol.ErrRequestCancelled
	}
	var w *jsonrpc2.Error
	if errors.As(err, &w) {
		if w.Code == jsonrpc2.ParseError {
			// The frame parsed (or it would not have reached us): it is the
			// parameters that do not fit the method.
			return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
		}
		if w.Error() == err.Error() {
			return w
		}
		return &jsonrpc2.Error{Code: w.Code, Message: err.Error(), Data: w.Data}
	}
	return jsonrpc2.Errorf(jsonrpc2.InternalError, "%v", err)
}

// codec marshals payloads with the protocol package's union-aware codec.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
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

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	// protocol.Unmarshal does not copy the frame for every destination (a
	// union at the root aliases it); the frame buffer is reused.
	return protocol.Unmarshal(bytes.Clone(data), v)
}

// showOnce tells the user about a problem once per configuration
// generation: window/showMessage for errors and warnings, logMessage else.
func (s *Server) showOnce(typ protocol.MessageType, msg string) {
	s.mu.Lock()
	if s.shown[msg] || s.state == stateNew {
		s.mu.Unlock()
		return
	}
	s.shown[msg] = true
	s.mu.Unlock()
	s.message(typ, msg)
}

// message logs msg and sends it to the client.
func (s *Server) message(typ protocol.MessageType, msg string) {
	switch typ {
	case protocol.MessageTypeError:
		s.log.Error(msg)
	case protocol.MessageTypeWarning:
		s.log.Warn(msg)
	default:
		s.log.Info(msg)
	}
	if s.client == nil {
		return
	}
	ctx := context.Background()
	var err error
	if typ == protocol.MessageTypeError || typ == protocol.MessageTypeWarning {
		err = s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: typ, Message: msg})
	} else {
		err = s.client.LogMessage(ctx, &protocol.LogMessageParams{Type: typ, Message: msg})
	}
	if err != nil {
		s.log.Debug("could not send a message to the client", "err", err)
	}
}

// safely runs f in the background, recovering a panic so that one bad
// check never ends the session.
func (s *Server) safely(what string, f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("background work panicked", "what", what, "panic", r, "stack", string(debug.Stack()))
				s.showOnce(protocol.MessageTypeError, fmt.Sprintf("specls: internal error while %s: %v", what, r))
			}
		}()
		f()
	}()
}

// encoding returns the negotiated position encoding.
func (s *Server) encoding() spec.Encoding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caps.encoding
}
