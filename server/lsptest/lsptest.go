// Package lsptest drives the language server in-process, the way an editor
// does, for LSP-level tests: it connects a fake editor to a server over
// net.Pipe, keeps the editor's buffers, applies the edits the server sends
// (code actions, workspace/applyEdit) and lets a test wait for the
// diagnostics of an exact document version instead of sleeping.
//
//	ed := lsptest.Start(t, lsptest.Config{Root: dir})
//	v := ed.Open("tasks/prd-x/_techspec.md", text)
//	diags := ed.Diagnostics("tasks/prd-x/_techspec.md", v)
package lsptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/internal/lspwire"
	"github.com/specls/specls/server"
	"github.com/specls/specls/spec"
)

// Timeout bounds every wait, so that a missing notification fails the test
// with a message instead of hanging it. It is not a speed assertion.
var Timeout = 30 * time.Second

// Config describes the editor and the workspace.
type Config struct {
	// Root is the workspace folder (absolute); "" opens no folder.
	Root string
	// Folders are more workspace folders (multi-root).
	Folders []string
	// Caps are the editor's capabilities; the zero value means PushCaps().
	Caps *protocol.ClientCapabilities
	// InitOptions is sent as initializationOptions (JSON-encoded).
	InitOptions any
	// Settings answers workspace/configuration for the "specls" section.
	Settings any
	// Options configure the server; a nil Logger logs into the test output
	// when the test fails.
	Options server.Options
	// Answer picks the answer to window/showMessageRequest; nil dismisses
	// every question (answers null).
	Answer func(*protocol.ShowMessageRequestParams) *protocol.MessageActionItem
}

// Published is one textDocument/publishDiagnostics the editor received.
type Published struct {
	URI         uri.URI
	Version     int32 // -1 when the notification carried none
	Diagnostics []protocol.Diagnostic
	Seq         int // position in the editor's history
}

// Codes returns the diagnostic codes, in order.
func (p Published) Codes() []string {
	return Codes(p.Diagnostics)
}

// Codes returns the codes of diagnostics, in order.
func Codes(ds []protocol.Diagnostic) []string {
	out := []string{}
	for _, d := range ds {
		if c, ok := d.Code.(protocol.String); ok {
			out = append(out, string(c))
		}
	}
	return out
}

// ProgressEvent is one $/progress notification.
type ProgressEvent struct {
	Token   string
	Kind    string // begin, report, end
	Title   string
	Message string
}

// buffer is an open document of the editor.
type buffer struct {
	uri     uri.URI
	version int32
	text    string
}

// Editor is the fake editor: a protocol.Client with buffers.
type Editor struct {
	protocol.UnimplementedClient

	t        testing.TB
	root     string
	conn     jsonrpc2.Conn
	Server   protocol.Server // the server, for requests the helpers do not cover
	Init     *protocol.InitializeResult
	enc      spec.Encoding
	exitCode chan int
	exited   bool

	mu            sync.Mutex
	changed       chan struct{}
	buffers       map[uri.URI]*buffer
	history       []Published
	messages      []protocol.ShowMessageParams
	logs          []protocol.LogMessageParams
	progress      []ProgressEvent
	registrations []protocol.Registration
	settings      json.RawMessage
	applied       []protocol.ApplyWorkspaceEditParams
	refreshes     int
	answer        func(*protocol.ShowMessageRequestParams) *protocol.MessageActionItem
	asked         []protocol.ShowMessageRequestParams
}

// PushCaps are the capabilities of an editor that takes pushed diagnostics
// (Neovim, Helix): UTF-16 only, documentChanges with file creation, dynamic
// registration of file watching, workspace configuration.
func PushCaps() protocol.ClientCapabilities {
	t := true
	return protocol.ClientCapabilities{
		General: &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}},
		Workspace: &protocol.WorkspaceClientCapabilities{
			ApplyEdit:              &t,
			WorkspaceEdit:          &protocol.WorkspaceEditClientCapabilities{DocumentChanges: &t, ResourceOperations: []protocol.ResourceOperationKind{protocol.ResourceOperationKindCreate}},
			DidChangeWatchedFiles:  &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: &t},
			DidChangeConfiguration: &protocol.DidChangeConfigurationClientCapabilities{DynamicRegistration: &t},
			Configuration:          &t,
			WorkspaceFolders:       &t,
		},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{VersionSupport: &t, DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{RelatedInformation: &t}},
			Hover:              &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown, protocol.MarkupKindPlainText}},
			DocumentSymbol:     &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &t},
			CodeAction: &protocol.CodeActionClientCapabilities{CodeActionLiteralSupport: protocol.ClientCodeActionLiteralOptions{CodeActionKind: protocol.ClientCodeActionKindOptions{ValueSet: []protocol.CodeActionKind{
				protocol.CodeActionKindQuickFix, protocol.CodeActionKindSource, protocol.CodeActionKindRefactor,
			}}}},
		},
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &t},
	}
}

// PullCaps are the capabilities of an editor that pulls diagnostics (VS
// Code): UTF-8 and UTF-16 offered, pull diagnostics with refresh, code
// action resolve.
func PullCaps() protocol.ClientCapabilities {
	t := true
	c := PushCaps()
	c.General.PositionEncodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16}
	c.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{DynamicRegistration: &t, RelatedDocumentSupport: &t}
	c.Workspace.Diagnostics = &protocol.DiagnosticWorkspaceClientCapabilities{RefreshSupport: &t}
	c.TextDocument.CodeAction.ResolveSupport = protocol.ClientCodeActionResolveOptions{Properties: []string{"edit"}}
	return c
}

// Start connects a fake editor to a new server, initializes it and sends
// initialized. The session ends with the test.
func Start(t testing.TB, cfg Config) *Editor {
	t.Helper()
	var logs bytes.Buffer
	var logMu sync.Mutex
	opts := cfg.Options
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		t.Cleanup(func() {
			if t.Failed() {
				logMu.Lock()
				t.Logf("server log:\n%s", logs.String())
				logMu.Unlock()
			}
		})
	}
	ed := &Editor{t: t, root: cfg.Root, changed: make(chan struct{}), buffers: map[uri.URI]*buffer{}, exitCode: make(chan int, 1)}
	ed.answer = cfg.Answer
	if cfg.Settings != nil {
		ed.settings, _ = json.Marshal(cfg.Settings)
	}
	serverSide, clientSide := net.Pipe()
	srv := server.New(opts)
	go func() { ed.exitCode <- srv.Serve(context.Background(), serverSide) }()

	ed.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(clientSide), jsonrpc2.WithCodec(lspwire.Codec{}))
	// Notifications are handled in order (diagnostics history must keep the
	// server's order); requests from the server may call back, so they run
	// concurrently.
	ed.conn.Go(context.Background(), protocol.CancelHandler(func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		lspwire.Release(ctx, req)
		return protocol.ClientHandler(ed, jsonrpc2.MethodNotFoundHandler)(ctx, req)
	}))
	ed.Server = protocol.ServerDispatcher(ed.conn)
	t.Cleanup(ed.close)

	caps := PushCaps()
	if cfg.Caps != nil {
		caps = *cfg.Caps
	}
	params := &protocol.InitializeParams{}
	params.Capabilities = caps
	params.ClientInfo = protocol.ClientInfo{Name: "lsptest"}
	var folders []protocol.WorkspaceFolder
	for _, f := range append([]string{cfg.Root}, cfg.Folders...) {
		if f != "" {
			folders = append(folders, protocol.WorkspaceFolder{URI: uri.File(f), Name: filepath.Base(f)})
		}
	}
	if len(folders) > 0 {
		root := folders[0].URI
		//lint:ignore SA1019 editors send rootUri beside workspaceFolders, and so does this one
		params.RootURI = &root
		if err := protocol.Unmarshal(mustJSON(map[string]any{"workspaceFolders": folders}), &params.WorkspaceFoldersInitializeParams); err != nil {
			t.Fatalf("lsptest: workspace folders: %v", err)
		}
	}
	if cfg.InitOptions != nil {
		params.InitializationOptions = mustJSON(cfg.InitOptions)
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	res, err := ed.Server.Initialize(ctx, params)
	if err != nil {
		t.Fatalf("lsptest: initialize: %v", err)
	}
	ed.Init = res
	ed.enc = spec.UTF16
	if res.Capabilities.PositionEncoding == protocol.PositionEncodingKindUTF8 {
		ed.enc = spec.UTF8
	}
	if err := ed.Server.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		t.Fatalf("lsptest: initialized: %v", err)
	}
	return ed
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// close ends the connection when the test did not exit the server.
func (ed *Editor) close() {
	if ed.exited {
		return
	}
	_ = ed.conn.Close()
	select {
	case <-ed.exitCode:
	case <-time.After(Timeout):
		ed.t.Errorf("lsptest: the server did not stop after its stream closed")
	}
}

// Encoding is the negotiated position encoding.
func (ed *Editor) Encoding() spec.Encoding { return ed.enc }

// Path returns the absolute path of a workspace-relative path.
func (ed *Editor) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(ed.root, filepath.FromSlash(rel))
}

// URI returns the file URI of a workspace-relative path.
func (ed *Editor) URI(rel string) uri.URI { return uri.File(ed.Path(rel)) }

func (ed *Editor) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), Timeout)
}

// signal wakes the waiters; the caller holds mu.
func (ed *Editor) signal() {
	close(ed.changed)
	ed.changed = make(chan struct{})
}

// wait calls check under the lock until it returns true.
func (ed *Editor) wait(what string, check func() bool) {
	ed.t.Helper()
	deadline := time.After(Timeout)
	for {
		ed.mu.Lock()
		ok := check()
		ch := ed.changed
		ed.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			ed.t.Fatalf("lsptest: timed out waiting for %s", what)
		}
	}
}

// WriteFiles writes files under the root, creating folders. Each file is
// written beside its place and renamed over it, so a server reading it
// concurrently sees the old text or the new, never the empty file a
// truncating write leaves for a moment: that read made tests flaky (the
// server took an empty .specls.yaml for the last good configuration).
func WriteFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), ".lsptest-*")
		if err != nil {
			t.Fatal(err)
		}
		_, err = tmp.WriteString(text)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), p)
		}
		if err != nil {
			os.Remove(tmp.Name())
			t.Fatal(err)
		}
	}
}

// --- protocol.Client: what the server sends to the editor ---

func (ed *Editor) PublishDiagnostics(ctx context.Context, p *protocol.PublishDiagnosticsParams) error {
	v := int32(-1)
	if got, ok := p.Version.Get(); ok {
		v = got
	}
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.history = append(ed.history, Published{URI: p.URI, Version: v, Diagnostics: p.Diagnostics, Seq: len(ed.history)})
	ed.signal()
	return nil
}

func (ed *Editor) ShowMessage(ctx context.Context, p *protocol.ShowMessageParams) error {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.messages = append(ed.messages, *p)
	ed.signal()
	return nil
}

func (ed *Editor) LogMessage(ctx context.Context, p *protocol.LogMessageParams) error {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.logs = append(ed.logs, *p)
	ed.signal()
	return nil
}

func (ed *Editor) RegisterCapability(ctx context.Context, p *protocol.RegistrationParams) error {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.registrations = append(ed.registrations, p.Registrations...)
	ed.signal()
	return nil
}

func (ed *Editor) Configuration(ctx context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	out := make([]protocol.LSPAny, len(p.Items))
	for i, it := range p.Items {
		out[i] = protocol.LSPAny("null")
		if it.Section != nil && *it.Section == "specls" && ed.settings != nil {
			out[i] = protocol.LSPAny(ed.settings)
		}
	}
	return out, nil
}

func (ed *Editor) WorkDoneProgressCreate(ctx context.Context, p *protocol.WorkDoneProgressCreateParams) error {
	return nil
}

func (ed *Editor) Progress(ctx context.Context, p *protocol.ProgressParams) error {
	var v struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(p.Value, &v)
	ev := ProgressEvent{Kind: v.Kind, Title: v.Title, Message: v.Message}
	switch t := p.Token.(type) {
	case protocol.String:
		ev.Token = string(t)
	case protocol.Integer:
		ev.Token = fmt.Sprint(int32(t))
	}
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.progress = append(ed.progress, ev)
	ed.signal()
	return nil
}

func (ed *Editor) DiagnosticRefresh(ctx context.Context) error {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	ed.refreshes++
	ed.signal()
	return nil
}

func (ed *Editor) CodeLensRefresh(ctx context.Context) error { return nil }

func (ed *Editor) ShowMessageRequest(ctx context.Context, p *protocol.ShowMessageRequestParams) (*protocol.MessageActionItem, error) {
	ed.mu.Lock()
	ed.asked = append(ed.asked, *p)
	answer := ed.answer
	ed.signal()
	ed.mu.Unlock()
	if answer == nil {
		return nil, nil
	}
	return answer(p), nil
}

// Asked returns the window/showMessageRequest questions received.
func (ed *Editor) Asked() []protocol.ShowMessageRequestParams {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	return append([]protocol.ShowMessageRequestParams(nil), ed.asked...)
}

// ApplyEdit applies a workspace edit as an editor does: all or nothing,
// refusing a TextDocumentEdit whose version is not the buffer's.
func (ed *Editor) ApplyEdit(ctx context.Context, p *protocol.ApplyWorkspaceEditParams) (*protocol.ApplyWorkspaceEditResult, error) {
	ed.mu.Lock()
	ed.applied = append(ed.applied, *p)
	ed.signal()
	ed.mu.Unlock()
	if err := ed.applyWorkspaceEdit(&p.Edit); err != nil {
		reason := err.Error()
		return &protocol.ApplyWorkspaceEditResult{Applied: false, FailureReason: &reason}, nil
	}
	return &protocol.ApplyWorkspaceEditResult{Applied: true}, nil
}

// --- what tests read ---

// History returns every publishDiagnostics received so far.
func (ed *Editor) History() []Published {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	return slices.Clone(ed.history)
}

// Mark returns the position in the history after which later waits look.
func (ed *Editor) Mark() int {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	return len(ed.history)
}

// Diagnostics waits for the diagnostics published for version of the
// document at rel and returns them.
func (ed *Editor) Diagnostics(rel string, version int32) []protocol.Diagnostic {
	ed.t.Helper()
	return ed.WaitPublished(0, rel, func(p Published) bool { return p.Version == version }).Diagnostics
}

// WaitPublished waits for a publish for rel after history position since
// that satisfies ok, and returns it.
func (ed *Editor) WaitPublished(since int, rel string, ok func(Published) bool) Published {
	ed.t.Helper()
	u := ed.URI(rel)
	var got Published
	ed.wait("diagnostics of "+rel, func() bool {
		for _, p := range ed.history[min(since, len(ed.history)):] {
			if p.URI == u && ok(p) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// Messages returns the window/showMessage notifications received.
func (ed *Editor) Messages() []protocol.ShowMessageParams {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	return slices.Clone(ed.messages)
}

// WaitMessage waits for a showMessage containing text.
func (ed *Editor) WaitMessage(text string) protocol.ShowMessageParams {
	ed.t.Helper()
	var got protocol.ShowMessageParams
	ed.wait("a message containing "+text, func() bool {
		for _, m := range ed.messages {
			if strings.Contains(m.Message, text) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

// WaitProgressEnd waits for a work-done progress to end and returns its
// events, begin to end.
func (ed *Editor) WaitProgressEnd() []ProgressEvent {
	ed.t.Helper()
	var got []ProgressEvent
	ed.wait("work-done progress to end", func() bool {
		for _, e := range ed.progress {
			if e.Kind == "end" {
				for _, f := range ed.progress {
					if f.Token == e.Token {
						got = append(got, f)
					}
				}
				return true
			}
		}
		return false
	})
	return got
}

// WaitRegistration waits for the server to register method.
func (ed *Editor) WaitRegistration(method string) protocol.Registration {
	ed.t.Helper()
	var got protocol.Registration
	ed.wait("registration of "+method, func() bool {
		for _, r := range ed.registrations {
			if r.Method == method {
				got = r
				return true
			}
		}
		return false
	})
	return got
}

// WaitRefreshes waits until the server asked for n diagnostic refreshes.
func (ed *Editor) WaitRefreshes(n int) {
	ed.t.Helper()
	ed.wait(fmt.Sprintf("%d diagnostic refresh(es)", n), func() bool { return ed.refreshes >= n })
}

// Applied returns the workspace/applyEdit requests received.
func (ed *Editor) Applied() []protocol.ApplyWorkspaceEditParams {
	ed.mu.Lock()
	defer ed.mu.Unlock()
	return slices.Clone(ed.applied)
}

// SetSettings changes the editor's "specls" settings and notifies the server.
func (ed *Editor) SetSettings(v any) {
	ed.t.Helper()
	ed.mu.Lock()
	ed.settings = mustJSON(v)
	ed.mu.Unlock()
	ctx, cancel := ed.ctx()
	defer cancel()
	if err := ed.Server.DidChangeConfiguration(ctx, &protocol.DidChangeConfigurationParams{Settings: mustJSON(map[string]any{"specls": v})}); err != nil {
		ed.t.Fatalf("lsptest: didChangeConfiguration: %v", err)
	}
}

// Shutdown sends shutdown.
func (ed *Editor) Shutdown() error {
	ctx, cancel := ed.ctx()
	defer cancel()
	return ed.Server.Shutdown(ctx)
}

// Exit sends exit and returns the server's exit code.
func (ed *Editor) Exit() int {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	_ = ed.Server.Exit(ctx)
	select {
	case code := <-ed.exitCode:
		ed.exited = true
		_ = ed.conn.Close()
		return code
	case <-time.After(Timeout):
		ed.t.Fatalf("lsptest: the server did not exit")
		return -1
	}
}

// Disconnect closes the editor's end of the stream, as a crashing editor
// does, and returns the server's exit code.
func (ed *Editor) Disconnect() int {
	ed.t.Helper()
	_ = ed.conn.Close()
	select {
	case code := <-ed.exitCode:
		ed.exited = true
		return code
	case <-time.After(Timeout):
		ed.t.Fatalf("lsptest: the server did not stop after its stream closed")
		return -1
	}
}

// NotifyRaw sends a notification with params as they are, for tests of
// what does not decode.
func (ed *Editor) NotifyRaw(method string, params json.RawMessage) error {
	ctx, cancel := ed.ctx()
	defer cancel()
	return ed.conn.Notify(ctx, method, params)
}
