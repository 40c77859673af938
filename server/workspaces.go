package server

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

// watchedGlobs are the files whose changes on disk matter: spec files,
// the configuration and templates.
var watchedGlobs = []string{"**/_prd.md", "**/_techspec.md", "**/_tasks.md", "**/" + config.FileName, "**/*-template.md"}

// register asks the client to report file changes and configuration
// changes, where it allows dynamic registration.
func (s *Server) register(ctx context.Context, cc clientCaps) {
	var regs []protocol.Registration
	if cc.watchDynamic {
		var ws []protocol.FileSystemWatcher
		for _, g := range watchedGlobs {
			ws = append(ws, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
		}
		opts, err := protocol.Marshal(&protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: ws})
		if err == nil {
			regs = append(regs, protocol.Registration{ID: "specls-watch", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: opts})
		}
	}
	if cc.configDynamic {
		opts, err := protocol.Marshal(&protocol.DidChangeConfigurationRegistrationOptions{Section: protocol.String(settingsSection)})
		if err == nil {
			regs = append(regs, protocol.Registration{ID: "specls-config", Method: protocol.MethodWorkspaceDidChangeConfiguration, RegisterOptions: opts})
		}
	}
	if len(regs) == 0 {
		return
	}
	if err := s.client.RegisterCapability(ctx, &protocol.RegistrationParams{Registrations: regs}); err != nil {
		s.log.Warn("client/registerCapability failed; reacting to saves instead", "err", err)
		return
	}
	s.mu.Lock()
	s.watching = cc.watchDynamic
	s.mu.Unlock()
}

// DidChangeWatchedFiles re-checks what a change on disk affects: the
// feature folder of a spec file; everything for the configuration or a
// template.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	dirs := map[string]bool{}
	for _, ev := range p.Changes {
		path := docKey(ev.URI)
		if isConfigFile(path) {
			s.invalidateSoon("changed on disk: " + filepath.Base(path))
			return nil
		}
		if spec.IsSpecFile(path) {
			s.files.Forget(path)
			dirs[filepath.Dir(path)] = true
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	s.mu.Lock()
	s.diskGen++
	s.signalLocked()
	for dir := range dirs {
		s.scheduleLocked(dir, 0)
	}
	cc := s.caps
	s.mu.Unlock()
	if cc.pull {
		s.refresh(clientCaps{pull: true, diagnosticRefresh: cc.diagnosticRefresh})
	}
	return nil
}

// DidChangeWorkspaceFolders tracks the folders and indexes new ones.
func (s *Server) DidChangeWorkspaceFolders(ctx context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	var added []string
	s.mu.Lock()
	for _, f := range p.Event.Removed {
		path := filePath(f.URI)
		for i, have := range s.folders {
			if have == path {
				s.folders = append(s.folders[:i], s.folders[i+1:]...)
				break
			}
		}
	}
	for _, f := range p.Event.Added {
		if path := filePath(f.URI); path != "" {
			s.folders = append(s.folders, path)
			added = append(added, path)
		}
	}
	s.signalLocked()
	s.mu.Unlock()
	if len(added) > 0 {
		s.safely("indexing new workspace folders", func() { s.index(s.bg, added...) })
	}
	return nil
}
