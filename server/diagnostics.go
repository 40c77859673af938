package server

import (
	"context"
	"path/filepath"
	"sort"
	"time"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/spec"
)

// Diagnostics reach the client one of two ways, chosen at initialize and
// never both: pushed (textDocument/publishDiagnostics, debounced per
// feature folder, carrying the document version) when the client declares
// no pull support, else pulled (textDocument/diagnostic and
// workspace/diagnostic with result IDs).

// published is the last push for a document.
type published struct {
	version int32
	id      string
}

// debounceLocked returns the push delay for a feature folder: the
// workspace's server.debounce when set, else the server's default.
func (s *Server) debounceLocked(dir string) time.Duration {
	if root, ok := s.roots[dir]; ok {
		if sp := s.spaces[root]; sp != nil && sp.gen == s.cfgGen && sp.ws.Config.Server.Debounce.Duration > 0 {
			return sp.ws.Config.Server.Debounce.Duration
		}
	}
	return s.opts.Debounce
}

// scheduleLocked (re)starts the push timer of a feature folder.
func (s *Server) scheduleLocked(dir string, delay time.Duration) {
	if s.caps.pull || s.state != stateRunning {
		return
	}
	if t := s.timers[dir]; t != nil {
		t.Stop()
	}
	s.timers[dir] = time.AfterFunc(delay, func() { s.runCheck(dir) })
}

// runCheck checks a feature folder and pushes the result to its open
// documents. It runs on a timer's goroutine.
func (s *Server) runCheck(dir string) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("check panicked", "dir", dir, "panic", p)
		}
	}()
	select {
	case <-s.configReady:
	case <-s.bg.Done():
		return
	}
	if s.bg.Err() != nil {
		return
	}
	r := s.check(dir)
	s.publish(r)
	s.gc.checked()
	// A moment later, if no newer edit came (typing faster than that, the
	// collection would slow the next check instead of preceding it).
	time.AfterFunc(idleWait, func() {
		s.mu.Lock()
		idle := s.freshLocked(r) && s.bg.Err() == nil
		s.mu.Unlock()
		if idle {
			s.gc.after()
		}
	})
}

// idleWait is how long after publishing a check the server waits for the
// next keystroke before it may collect (idleGC).
const idleWait = 2 * time.Millisecond

// publish pushes a result to the open documents it was computed from. A
// document that changed since is skipped (its own check is scheduled), so
// diagnostics of an older version never reach the client.
func (s *Server) publish(r *result) {
	type pending struct {
		doc   *document
		diags []protocol.Diagnostic
		id    string
	}
	s.mu.Lock()
	related := s.caps.relatedInformation
	var todo []pending
	for k, d := range r.overlays {
		if s.docs[k] == d {
			todo = append(todo, pending{doc: d})
		}
	}
	s.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	for i := range todo {
		todo[i].diags = r.diagnosticsFor(todo[i].doc.path, related)
		todo[i].id = resultID(todo[i].diags)
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].doc.key < todo[j].doc.key })

	s.mu.Lock()
	var out []*protocol.PublishDiagnosticsParams
	for _, p := range todo {
		if s.docs[p.doc.key] != p.doc {
			continue
		}
		last, ok := s.published[p.doc.key]
		if ok && (last.version > p.doc.version || last.version == p.doc.version && last.id == p.id) {
			continue
		}
		s.published[p.doc.key] = published{version: p.doc.version, id: p.id}
		out = append(out, &protocol.PublishDiagnosticsParams{URI: p.doc.uri, Version: protocol.NewOptional(p.doc.version), Diagnostics: p.diags})
	}
	if len(out) == 0 {
		s.mu.Unlock()
		return
	}
	s.pubMu.Lock()
	s.mu.Unlock()
	defer s.pubMu.Unlock()
	for _, p := range out {
		if err := s.client.PublishDiagnostics(s.bg, p); err != nil {
			s.log.Debug("publishDiagnostics failed", "uri", p.URI, "err", err)
		}
	}
}

// clearLocked pushes an empty list for a document that closed. The caller
// holds mu; clearLocked releases it.
func (s *Server) clearAndUnlock(d *document) {
	_, was := s.published[d.key]
	delete(s.published, d.key)
	if s.caps.pull || !was && !d.isSpec() {
		s.mu.Unlock()
		return
	}
	s.pubMu.Lock()
	s.mu.Unlock()
	defer s.pubMu.Unlock()
	if err := s.client.PublishDiagnostics(s.bg, &protocol.PublishDiagnosticsParams{URI: d.uri, Diagnostics: []protocol.Diagnostic{}}); err != nil {
		s.log.Debug("publishDiagnostics failed", "uri", d.uri, "err", err)
	}
}

// signalLocked wakes workspace pulls waiting for a change.
func (s *Server) signalLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// openDirsLocked returns the feature folders of the open spec documents.
func (s *Server) openDirsLocked() []string {
	seen := map[string]bool{}
	var dirs []string
	for _, d := range s.docs {
		if d.isSpec() && !seen[filepath.Dir(d.path)] {
			seen[filepath.Dir(d.path)] = true
			dirs = append(dirs, filepath.Dir(d.path))
		}
	}
	sort.Strings(dirs)
	return dirs
}

// invalidate forgets loaded configuration and every cached check, then
// re-checks what is open (push) or asks the client to pull again.
func (s *Server) invalidate(reason string) {
	s.mu.Lock()
	s.cfgGen++
	s.files.Reset() // a changed root or limit is in the key, but drop what the old ones read
	s.spaces = map[string]*space{}
	s.roots = map[string]string{}
	s.shown = map[string]bool{}
	s.signalLocked()
	for _, dir := range s.openDirsLocked() {
		s.scheduleLocked(dir, 0)
	}
	cc := s.caps
	s.mu.Unlock()
	s.log.Info("re-checking everything", "reason", reason)
	s.refresh(cc)
}

// refresh asks a pull client to pull diagnostics again, and any client to
// refresh code lenses (gate summaries).
func (s *Server) refresh(cc clientCaps) {
	if !cc.diagnosticRefresh && !cc.codeLensRefresh {
		return
	}
	s.safely("refreshing the client", func() {
		if cc.pull && cc.diagnosticRefresh {
			if err := s.client.DiagnosticRefresh(s.bg); err != nil {
				s.log.Debug("workspace/diagnostic/refresh failed", "err", err)
			}
		}
		if cc.codeLensRefresh {
			if err := s.client.CodeLensRefresh(s.bg); err != nil {
				s.log.Debug("workspace/codeLens/refresh failed", "err", err)
			}
		}
	})
}

// waitReady waits until the client's settings have been read.
func (s *Server) waitReady(ctx context.Context) error {
	select {
	case <-s.configReady:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Diagnostic answers a pull for one document.
func (s *Server) Diagnostic(ctx context.Context, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	path := docKey(p.TextDocument.URI)
	full := func(diags []protocol.Diagnostic) protocol.DocumentDiagnosticReport {
		id := resultID(diags)
		if p.PreviousResultID != nil && *p.PreviousResultID == id {
			return &protocol.RelatedUnchangedDocumentDiagnosticReport{UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: string(protocol.DocumentDiagnosticReportKindUnchanged), ResultID: id}}
		}
		return &protocol.RelatedFullDocumentDiagnosticReport{FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: string(protocol.DocumentDiagnosticReportKindFull), ResultID: &id, Items: diags}}
	}
	if !filepath.IsAbs(path) || !spec.IsSpecFile(path) {
		return full([]protocol.Diagnostic{}), nil
	}
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	r := s.summary(filepath.Dir(path))
	s.mu.Lock()
	related := s.caps.relatedInformation
	s.mu.Unlock()
	return full(r.diagnosticsFor(path, related)), ctx.Err()
}

// DiagnosticWorkspace answers a pull for every spec file of the workspace,
// open or not. When nothing changed since the client's previous results it
// waits for a change (a long poll), so a client that re-sends the request
// at once does not spin.
func (s *Server) DiagnosticWorkspace(ctx context.Context, p *protocol.WorkspaceDiagnosticParams) (*protocol.WorkspaceDiagnosticReport, error) {
	prev := map[string]string{}
	for _, r := range p.PreviousResultIds {
		prev[docKey(r.URI)] = r.Value
	}
	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	for {
		s.mu.Lock()
		changed := s.changed
		folders := append([]string(nil), s.folders...)
		dirs := s.openDirsLocked()
		versions := map[string]int32{}
		for k, d := range s.docs {
			versions[k] = d.version
		}
		related := s.caps.relatedInformation
		s.mu.Unlock()

		seenDir := map[string]bool{}
		for _, d := range dirs {
			seenDir[d] = true
		}
		for _, f := range folders {
			found, err := spec.Discover(f) // what is readable, beside an error for what is not
			if err != nil {
				s.log.Warn("cannot list workspace folder", "folder", f, "err", err)
			}
			for _, d := range found {
				if !seenDir[d] {
					seenDir[d] = true
					dirs = append(dirs, d)
				}
			}
		}
		sort.Strings(dirs)

		report := &protocol.WorkspaceDiagnosticReport{Items: []protocol.WorkspaceDocumentDiagnosticReport{}}
		news := false
		seen := map[string]bool{}
		for _, dir := range dirs {
			if ctx.Err() != nil {
				return nil, protocol.ErrRequestCancelled
			}
			r := s.summary(dir)
			for _, path := range r.paths() {
				seen[path] = true
				var version *int32
				if v, ok := versions[path]; ok {
					version = &v
				}
				diags := r.diagnosticsFor(path, related)
				id := resultID(diags)
				if prev[path] == id {
					report.Items = append(report.Items, &protocol.WorkspaceUnchangedDocumentDiagnosticReport{
						UnchangedDocumentDiagnosticReport: protocol.UnchangedDocumentDiagnosticReport{Kind: string(protocol.DocumentDiagnosticReportKindUnchanged), ResultID: id},
						URI:                               r.uriOf(path), Version: version,
					})
					continue
				}
				news = true
				report.Items = append(report.Items, &protocol.WorkspaceFullDocumentDiagnosticReport{
					FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: string(protocol.DocumentDiagnosticReportKindFull), ResultID: &id, Items: diags},
					URI:                          r.uriOf(path), Version: version,
				})
			}
		}
		// A file the client knew that is gone: clear it.
		var gone []string
		for path := range prev {
			if !seen[path] {
				gone = append(gone, path)
			}
		}
		sort.Strings(gone)
		for _, path := range gone {
			news = true
			empty := resultID([]protocol.Diagnostic{})
			report.Items = append(report.Items, &protocol.WorkspaceFullDocumentDiagnosticReport{
				FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: string(protocol.DocumentDiagnosticReportKindFull), ResultID: &empty, Items: []protocol.Diagnostic{}},
				URI:                          fileURI(path),
			})
		}
		if news || len(prev) == 0 {
			return report, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, protocol.ErrRequestCancelled
		case <-s.bg.Done():
			return report, nil
		}
	}
}
