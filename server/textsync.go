package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/config"
)

// Text synchronisation is incremental: change ranges are applied in the
// negotiated position encoding. These handlers run in order on the read
// loop and only update the store and schedule checks.

// DidOpen stores the buffer and checks its feature at once.
func (s *Server) DidOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	d := newDocument(p.TextDocument.URI, p.TextDocument.Version, []byte(p.TextDocument.Text))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[d.key] = d
	s.signalLocked()
	if d.isSpec() {
		s.scheduleLocked(filepath.Dir(d.path), 0)
	}
	return nil
}

// DidChange applies the changes and schedules a debounced check.
func (s *Server) DidChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	key := docKey(p.TextDocument.URI)
	s.mu.Lock()
	old := s.docs[key]
	if old == nil {
		s.mu.Unlock()
		s.log.Warn("change for a document that is not open", "uri", p.TextDocument.URI)
		return nil
	}
	text, err := applyChanges(old.text, p.ContentChanges, s.caps.encoding)
	d := &document{uri: old.uri, path: old.path, key: key, version: p.TextDocument.Version, text: text}
	s.docs[key] = d
	s.signalLocked()
	if d.isSpec() {
		dir := filepath.Dir(d.path)
		s.scheduleLocked(dir, s.debounceLocked(dir))
	}
	s.mu.Unlock()
	if err != nil {
		s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("specls: %s (version %d): %v; the server's copy of the file may differ from the editor's — close and reopen it", filepath.Base(key), p.TextDocument.Version, err))
	}
	return nil
}

// DidClose drops the buffer, publishes an empty list for it, and re-checks
// its siblings, which now read the file from disk.
func (s *Server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	key := docKey(p.TextDocument.URI)
	s.mu.Lock()
	d := s.docs[key]
	if d == nil {
		s.mu.Unlock()
		return nil
	}
	delete(s.docs, key)
	s.signalLocked()
	// Its parse is not worth keeping: a closed 50 MB document held
	// hundreds of MB. The file on disk is parsed again when needed.
	s.parsed.Forget(d.path)
	s.clearAndUnlock(d)
	if d.isSpec() {
		s.mu.Lock()
		s.scheduleLocked(filepath.Dir(d.path), 0)
		s.mu.Unlock()
	}
	return nil
}

// DidSave re-checks everything when the configuration or a template was
// saved and the client does not report file changes itself.
func (s *Server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	path := docKey(p.TextDocument.URI)
	s.mu.Lock()
	watching := s.watching
	s.mu.Unlock()
	if !watching && isConfigFile(path) {
		s.invalidateSoon("saved " + filepath.Base(path))
	}
	return nil
}

// isConfigFile reports whether a change to path changes how every spec is
// checked: .specls.yaml or a template.
func isConfigFile(path string) bool {
	base := filepath.Base(path)
	return base == config.FileName || strings.HasSuffix(base, "-template.md")
}

// changeLost tells the user that a didChange could not be applied because
// its parameters do not decode: from then on the server's copy of the
// document differs from the editor's.
func (s *Server) changeLost(params []byte, err error) {
	var p struct {
		TextDocument struct {
			URI     string `json:"uri"`
			Version any    `json:"version"`
		} `json:"textDocument"`
	}
	name := "a document"
	if json.Unmarshal(params, &p) == nil && p.TextDocument.URI != "" {
		name = fmt.Sprintf("%s (version %v)", filepath.Base(docKey(uri.URI(p.TextDocument.URI))), p.TextDocument.Version)
	}
	s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("specls: a change to %s could not be read (%v) and was not applied; the server's copy of the file may differ from the editor's — close and reopen it", name, err))
}
