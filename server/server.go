// Package server is the language server: it adapts the spec engine to the
// Language Server Protocol. Handlers are thin: they snapshot state under
// the one server lock, call pure functions (workspace, diagnostics,
// codeactions, assist) and convert byte offsets to LSP positions at the
// edge. Checking runs in goroutines that re-check the document version
// before they publish.
package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/lspwire"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
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

	// cfgPub orders the loads of .specls.yaml that record their outcome
	// and publish its diagnostic (configLoaded): a load overtaken by a
	// newer configuration must not publish after it.
	cfgPub sync.Mutex

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
	gc       idleGC             // collections between keystrokes
	files    workspace.Files    // spec files read from disk, kept while a stat says they are unchanged
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
	// A buffer's text and a file read through s.files are never written
	// to (an edit makes a new text): the parsed documents share them.
	s.parsed.Shared = true
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
	s.conn = jsonrpc2.NewConn(lspwire.NewStream(rwc, s.log), jsonrpc2.WithCodec(lspwire.Codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	// The connection context is not cancelled at shutdown: exit must still
	// be read and handled after it.
	s.conn.Go(context.WithoutCancel(ctx), s.handler())

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
