package server

import (
	"context"
	"path/filepath"
	"slices"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/spec"
)

// clientCaps is what the server uses of the client's capabilities.
type clientCaps struct {
	encoding            spec.Encoding
	pull                bool // textDocument/diagnostic: pull instead of push
	diagnosticRefresh   bool
	relatedInformation  bool
	documentChanges     bool
	createFiles         bool
	applyEdit           bool
	workDoneProgress    bool
	configuration       bool
	watchDynamic        bool
	configDynamic       bool
	hierarchicalSymbols bool
	markdownHover       bool
	codeActionLiterals  bool
	codeActionResolve   bool
	codeLensRefresh     bool
	workspaceFolders    bool
}

func readCaps(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	cc.encoding = spec.UTF16
	if c.General != nil && slices.Contains(c.General.PositionEncodings, protocol.PositionEncodingKindUTF8) {
		cc.encoding = spec.UTF8
	}
	if w := c.Workspace; w != nil {
		cc.applyEdit = isTrue(w.ApplyEdit)
		if we := w.WorkspaceEdit; we != nil {
			cc.documentChanges = isTrue(we.DocumentChanges)
			cc.createFiles = cc.documentChanges && slices.Contains(we.ResourceOperations, protocol.ResourceOperationKindCreate)
		}
		cc.configuration = isTrue(w.Configuration)
		cc.workspaceFolders = isTrue(w.WorkspaceFolders)
		if w.DidChangeWatchedFiles != nil {
			cc.watchDynamic = isTrue(w.DidChangeWatchedFiles.DynamicRegistration)
		}
		if w.DidChangeConfiguration != nil {
			cc.configDynamic = isTrue(w.DidChangeConfiguration.DynamicRegistration)
		}
		if w.Diagnostics != nil {
			cc.diagnosticRefresh = isTrue(w.Diagnostics.RefreshSupport)
		}
		if w.CodeLens != nil {
			cc.codeLensRefresh = isTrue(w.CodeLens.RefreshSupport)
		}
	}
	if t := c.TextDocument; t != nil {
		cc.pull = t.Diagnostic != nil
		if p := t.PublishDiagnostics; p != nil {
			cc.relatedInformation = isTrue(p.RelatedInformation)
		}
		if t.Diagnostic != nil && isTrue(t.Diagnostic.RelatedInformation) {
			cc.relatedInformation = true
		}
		if s := t.DocumentSymbol; s != nil {
			cc.hierarchicalSymbols = isTrue(s.HierarchicalDocumentSymbolSupport)
		}
		if h := t.Hover; h != nil {
			cc.markdownHover = len(h.ContentFormat) == 0 || slices.Contains(h.ContentFormat, protocol.MarkupKindMarkdown)
		}
		if a := t.CodeAction; a != nil {
			// The spec makes the presence of codeActionLiteralSupport the
			// promise, and its valueSet is required: ALE sends an empty one
			// (decoded as a non-nil empty slice) and applies literal edits.
			cc.codeActionLiterals = a.CodeActionLiteralSupport.CodeActionKind.ValueSet != nil
			cc.codeActionResolve = slices.Contains(a.ResolveSupport.Properties, "edit")
		}
	}
	if w := c.Window; w != nil {
		cc.workDoneProgress = isTrue(w.WorkDoneProgress)
	}
	return cc
}

func isTrue(b *bool) bool { return b != nil && *b }

func ptr[T any](v T) *T { return &v }

// Initialize records the client's capabilities, workspace folders and
// initialization options, and answers with the capabilities chosen for it.
func (s *Server) Initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	caps := readCaps(p.Capabilities)
	var folders []string
	if ws, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range ws {
			if path := filePath(f.URI); path != "" {
				folders = append(folders, path)
			}
		}
	}
	//lint:ignore SA1019 a client that predates workspaceFolders (LSP 3.6) sends only rootUri
	if root := p.RootURI; len(folders) == 0 && root != nil {
		if path := filePath(*root); path != "" {
			folders = append(folders, path)
		}
	}
	if len(folders) == 0 {
		//lint:ignore SA1019 the oldest clients send only rootPath
		if root, ok := p.RootPath.Get(); ok && root != "" {
			folders = append(folders, filepath.Clean(root))
		}
	}
	settings, serr := parseSettings(p.InitializationOptions, "initializationOptions")

	// A client that never sends initialized must not leave diagnostics
	// waiting for settings forever.
	time.AfterFunc(5*time.Second, func() { s.readyOnce.Do(func() { close(s.configReady) }) })

	s.mu.Lock()
	s.caps = caps
	s.folders = folders
	s.settings = settings
	s.initSettings = settings
	s.settingsErr = serr
	s.state = stateRunning
	s.mu.Unlock()

	name := "unknown client"
	if p.ClientInfo.Name != "" {
		name = p.ClientInfo.Name
	}
	s.log.Info("initialize", "client", name, "folders", folders, "encoding", caps.encoding.String(), "pull", caps.pull)
	return &protocol.InitializeResult{
		Capabilities: s.capabilities(caps),
		ServerInfo:   protocol.ServerInfo{Name: "specls", Version: protocol.NewOptional(s.version())},
	}, nil
}

func (s *Server) version() string {
	if s.opts.Version == "" {
		return "dev"
	}
	return s.opts.Version
}

// capabilities chooses what to offer from what the client declared.
func (s *Server) capabilities(cc clientCaps) protocol.ServerCapabilities {
	enc := protocol.PositionEncodingKindUTF16
	if cc.encoding == spec.UTF8 {
		enc = protocol.PositionEncodingKindUTF8
	}
	change := protocol.TextDocumentSyncKindIncremental
	caps := protocol.ServerCapabilities{
		PositionEncoding: enc,
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: ptr(true),
			Change:    &change,
			Save:      &protocol.SaveOptions{IncludeText: ptr(false)},
		},
		HoverProvider:          protocol.Boolean(true),
		DefinitionProvider:     protocol.Boolean(true),
		DocumentSymbolProvider: protocol.Boolean(true),
		FoldingRangeProvider:   protocol.Boolean(true),
		CompletionProvider: &protocol.CompletionOptions{
			TriggerCharacters: []string{"#", "|", "-"},
		},
		CodeLensProvider:     &protocol.CodeLensOptions{},
		DocumentLinkProvider: &protocol.DocumentLinkOptions{},
		ExecuteCommandProvider: protocol.ExecuteCommandOptions{
			Commands: commandNames(),
		},
		Workspace: &protocol.WorkspaceOptions{
			WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
				Supported:           ptr(true),
				ChangeNotifications: protocol.Boolean(true),
			},
		},
	}
	if cc.codeActionLiterals {
		caps.CodeActionProvider = &protocol.CodeActionOptions{
			CodeActionKinds: []protocol.CodeActionKind{
				protocol.CodeActionKindQuickFix,
				protocol.CodeActionKind(codeactions.KindFixAll),
				protocol.CodeActionKindSource,
				protocol.CodeActionKindRefactorRewrite,
			},
			ResolveProvider: ptr(cc.codeActionResolve),
		}
	} else {
		caps.CodeActionProvider = protocol.Boolean(true)
	}
	if cc.pull {
		caps.DiagnosticProvider = &protocol.DiagnosticOptions{
			Identifier:            ptr("specls"),
			InterFileDependencies: true,
			WorkspaceDiagnostics:  true,
		}
	}
	return caps
}

// Initialized starts the session's background work: watching files,
// reading the client's settings and indexing the workspace.
func (s *Server) Initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	s.safely("starting up", func() { s.startup(s.bg) })
	return nil
}

// startup runs after initialized, off the read loop, because it calls the
// client and waits for answers.
func (s *Server) startup(ctx context.Context) {
	s.mu.Lock()
	cc := s.caps
	serr := s.settingsErr
	s.mu.Unlock()
	if serr != nil {
		s.showOnce(protocol.MessageTypeError, serr.Error())
	}
	s.register(ctx, cc)
	if cc.configuration {
		s.fetchSettings(ctx)
	}
	s.readyOnce.Do(func() { close(s.configReady) })
	s.index(ctx)
}

// Shutdown stops background work; the server then only waits for exit.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.stop()
	s.log.Info("shutdown")
	return nil
}

// Exit ends the session: 0 after shutdown, 1 otherwise.
func (s *Server) Exit(ctx context.Context) error {
	s.mu.Lock()
	if s.state == stateShutdown {
		s.exitCode = 0
	} else {
		s.exitCode = 1
	}
	s.mu.Unlock()
	s.exitOnce.Do(func() { close(s.exited) })
	return nil
}

// SetTrace is accepted; the log level is set on the command line.
func (s *Server) SetTrace(ctx context.Context, p *protocol.SetTraceParams) error { return nil }

// filePath returns the file path of a file URI, or "".
func filePath(u uri.URI) string {
	if !u.IsFile() {
		return ""
	}
	p := u.FsPath()
	if p == "" {
		return ""
	}
	return filepath.Clean(p)
}
