package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// actionRef names a code action so that it can be computed again, for
// codeAction/resolve and for the command that applies an action.
type actionRef struct {
	URI     string         `json:"uri"`
	Version int32          `json:"version"` // -1 when the file was not open
	Range   protocol.Range `json:"range"`
	Only    []string       `json:"only,omitempty"`
	Index   int            `json:"index"`
	Title   string         `json:"title"`
}

// errNeedsCreate means the client cannot create files in a WorkspaceEdit.
var errNeedsCreate = errors.New("the client cannot create files in an edit")

// CodeAction offers the fixes of codeactions.For. Edits become a
// WorkspaceEdit with versioned TextDocumentEdits (so a stale edit is
// refused by the client) or plain changes for clients without
// documentChanges; created files become CreateFile operations, or a command
// the server runs when the client cannot create files.
func (s *Server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	out := []protocol.CommandOrCodeAction{}
	v, err := s.view(ctx, p.TextDocument.URI)
	if v == nil || err != nil {
		return out, err
	}
	var only []string
	for _, k := range p.Context.Only {
		only = append(only, string(k))
	}
	acts := s.computeActions(v, v.span(p.Range), only)
	s.mu.Lock()
	cc := s.caps
	s.mu.Unlock()
	for i, a := range acts {
		if !appliable(a, cc) {
			continue
		}
		ref, _ := json.Marshal(actionRef{URI: string(p.TextDocument.URI), Version: v.version(), Range: p.Range, Only: only, Index: i, Title: a.Title})
		apply := protocol.Command{Title: a.Title, Command: cmdApplyAction, Arguments: []protocol.LSPAny{ref}}
		if !cc.codeActionLiterals {
			out = append(out, &apply)
			continue
		}
		ca := &protocol.CodeAction{Title: a.Title, Diagnostics: s.fixDiagnostics(v, a.Fixes, cc)}
		if a.Kind != "" {
			k := protocol.CodeActionKind(a.Kind)
			ca.Kind = &k
		}
		if a.Preferred {
			ca.IsPreferred = ptr(true)
		}
		hasEdit := len(a.Edits)+len(a.Creates) > 0
		switch {
		case hasEdit && len(a.Creates) > 0 && !cc.createFiles:
			ca.Command = apply // the server creates the files and applies the rest
			out = append(out, ca)
			continue
		case hasEdit && cc.codeActionResolve:
			ca.Data = ref // the edit is computed on codeAction/resolve
		case hasEdit:
			we, err := workspaceEdit(v.r, a, cc)
			if err != nil {
				s.log.Warn("code action skipped", "title", a.Title, "err", err)
				continue
			}
			ca.Edit = we
		}
		if a.Command != nil {
			ca.Command = toCommand(a.Command)
		}
		out = append(out, ca)
	}
	return out, nil
}

// appliable tells whether the client can carry out an action: edits that
// go through the server's command (no literals, or files the client cannot
// create) and generated text need workspace/applyEdit. An action the editor
// cannot apply is not offered at all.
func appliable(a codeactions.Action, cc clientCaps) bool {
	if cc.applyEdit {
		return true
	}
	if a.Command != nil && (a.Command.Name == codeactions.CommandGenerateSection || a.Command.Name == codeactions.CommandDraftTechSpec) {
		return false
	}
	if !cc.codeActionLiterals {
		// The server creates files itself; anything else is an edit.
		return len(a.Edits) == 0 && (len(a.Creates) == 0 || !cc.createFiles)
	}
	// Literal edits need nothing more, unless files must be created by
	// the server and the rest applied through the client.
	return len(a.Creates) == 0 || cc.createFiles || len(a.Edits) == 0
}

// CodeActionResolve fills in the edit of an action offered without one.
func (s *Server) CodeActionResolve(ctx context.Context, ca *protocol.CodeAction) (*protocol.CodeAction, error) {
	var ref actionRef
	if err := json.Unmarshal(ca.Data, &ref); err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: code action data: %v", err)
	}
	v, a, err := s.findAction(ctx, ref)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	cc := s.caps
	s.mu.Unlock()
	we, err := workspaceEdit(v.r, a, cc)
	if err != nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "specls: %v", err)
	}
	ca.Edit = we
	return ca, nil
}

// findAction computes the actions of a reference again and returns the one
// it names, failing with ContentModified when the document changed.
func (s *Server) findAction(ctx context.Context, ref actionRef) (*view, codeactions.Action, error) {
	v, err := s.view(ctx, uri.URI(ref.URI))
	if err != nil {
		return nil, codeactions.Action{}, err
	}
	if v == nil {
		return nil, codeactions.Action{}, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: %s is not a spec file", ref.URI)
	}
	if v.version() != ref.Version {
		return nil, codeactions.Action{}, jsonrpc2.Errorf(protocol.CodeContentModified, "specls: %s changed since the action was offered; ask for code actions again", filepath.Base(v.path))
	}
	acts := s.computeActions(v, v.span(ref.Range), ref.Only)
	if ref.Index < 0 || ref.Index >= len(acts) || acts[ref.Index].Title != ref.Title {
		return nil, codeactions.Action{}, jsonrpc2.Errorf(protocol.CodeContentModified, "specls: the action %q is no longer offered", ref.Title)
	}
	return v, acts[ref.Index], nil
}

func (s *Server) computeActions(v *view, sp spec.Span, only []string) []codeactions.Action {
	req := codeactions.Request{
		Input:    v.r.ws.Input(v.r.feature),
		Findings: v.r.findings,
		Doc:      v.doc,
		Span:     sp,
		Only:     only,
		AI:       v.r.ws.Config.AI.Enabled(),
		AIHost:   v.r.ws.Config.AIGrant.Host,
	}
	return append(s.actions(req), codeactions.AIActions(req)...)
}

// version returns the version of the view's document, or -1 when it is
// read from disk.
func (v *view) version() int32 {
	if d, ok := v.r.overlays[v.path]; ok {
		return d.version
	}
	return -1
}

// fixDiagnostics converts the findings an action fixes in this document.
func (s *Server) fixDiagnostics(v *view, fs []diagnostics.Finding, cc clientCaps) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, f := range fs {
		if filepath.Clean(f.Path) == v.path {
			out = append(out, v.r.toDiagnostic(f, v.doc, cc.relatedInformation))
		}
	}
	return out
}

func toCommand(c *codeactions.Command) protocol.Command {
	cmd := protocol.Command{Title: c.Title, Command: c.Name}
	for _, a := range c.Arguments {
		raw, err := json.Marshal(a)
		if err == nil {
			cmd.Arguments = append(cmd.Arguments, raw)
		}
	}
	return cmd
}

// workspaceEdit converts an action's edits and created files. Spans are
// read against the texts of the check r (so the versions sent are the ones
// the spans belong to).
func workspaceEdit(r *result, a codeactions.Action, cc clientCaps) (*protocol.WorkspaceEdit, error) {
	if len(a.Creates) > 0 && !cc.createFiles {
		return nil, errNeedsCreate
	}
	created := map[string]string{}
	for _, c := range a.Creates {
		created[filepath.Clean(c.Path)] = c.Content
	}
	var order []string
	byPath := map[string][]codeactions.Edit{}
	for _, e := range a.Edits {
		p := filepath.Clean(e.Path)
		if _, ok := byPath[p]; !ok {
			order = append(order, p)
		}
		byPath[p] = append(byPath[p], e)
	}
	we := &protocol.WorkspaceEdit{}
	if cc.documentChanges {
		for _, c := range a.Creates {
			u := r.uriOf(c.Path)
			we.DocumentChanges = append(we.DocumentChanges, &protocol.CreateFile{Kind: "create", URI: u})
			if c.Content != "" {
				we.DocumentChanges = append(we.DocumentChanges, &protocol.TextDocumentEdit{
					TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}},
					Edits:        []protocol.TextDocumentEditElement{&protocol.TextEdit{NewText: c.Content}},
				})
			}
		}
	} else {
		we.Changes = map[uri.URI][]protocol.TextEdit{}
	}
	for _, p := range order {
		m, version, err := textOf(r, p, created)
		if err != nil {
			return nil, err
		}
		var edits []protocol.TextEdit
		for _, e := range byPath[p] {
			edits = append(edits, protocol.TextEdit{Range: toRange(m, e.Span, r.enc), NewText: e.NewText})
		}
		u := r.uriOf(p)
		if !cc.documentChanges {
			we.Changes[u] = append(we.Changes[u], edits...)
			continue
		}
		tde := &protocol.TextDocumentEdit{TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version}}
		for i := range edits {
			tde.Edits = append(tde.Edits, &edits[i])
		}
		we.DocumentChanges = append(we.DocumentChanges, tde)
	}
	return we, nil
}

// textOf returns the mapper of the text an edit of path applies to, and the
// version of the open buffer (nil for a file on disk).
func textOf(r *result, path string, created map[string]string) (*spec.Mapper, *int32, error) {
	var version *int32
	if d, ok := r.overlays[path]; ok {
		v := d.version
		version = &v
	}
	if d := r.doc(path); d != nil {
		return d.Mapper(), version, nil
	}
	if content, ok := created[path]; ok {
		return spec.NewMapper([]byte(content)), nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("edit %s: %w", path, err)
	}
	return spec.NewMapper(b), nil, nil
}

// applyAction applies an action through the client (workspace/applyEdit),
// creating files itself when the client cannot, then runs its command. r
// must be the check the action was computed from.
func (s *Server) applyAction(ctx context.Context, r *result, a codeactions.Action) error {
	s.mu.Lock()
	cc := s.caps
	s.mu.Unlock()
	if len(a.Creates) > 0 && !cc.createFiles {
		for _, c := range a.Creates {
			if err := createFile(c.Path, c.Content); err != nil {
				return jsonrpc2.Errorf(jsonrpc2.InternalError, "specls: %v", err)
			}
		}
		a.Creates = nil
	}
	if len(a.Edits)+len(a.Creates) > 0 {
		if !cc.applyEdit {
			return jsonrpc2.NewError(jsonrpc2.InvalidRequest, "specls: the editor does not accept edits from the server (workspace.applyEdit)")
		}
		we, err := workspaceEdit(r, a, cc)
		if err != nil {
			return jsonrpc2.Errorf(jsonrpc2.InternalError, "specls: %v", err)
		}
		res, err := s.client.ApplyEdit(ctx, &protocol.ApplyWorkspaceEditParams{Label: ptr(a.Title), Edit: *we})
		if err != nil {
			return fmt.Errorf("workspace/applyEdit: %w", err)
		}
		if !res.Applied {
			reason := "no reason given"
			if res.FailureReason != nil {
				reason = *res.FailureReason
			}
			return jsonrpc2.Errorf(protocol.CodeContentModified, "specls: the editor did not apply %q: %s", a.Title, reason)
		}
	}
	if a.Command != nil {
		h := commands[a.Command.Name]
		if h == nil {
			return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: unknown command %q", a.Command.Name)
		}
		cmd := toCommand(a.Command)
		if _, err := h(ctx, s, cmd.Arguments); err != nil {
			return err
		}
	}
	return nil
}

// createFile writes a new file; it never overwrites one.
func createFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return fmt.Errorf("create %s: %w", path, err)
	}
	return f.Close()
}
