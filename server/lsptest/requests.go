package lsptest

import (
	"encoding/json"

	"go.lsp.dev/protocol"
)

func (ed *Editor) docPos(rel string, pos protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}, Position: pos}
}

// Hover returns the hover text at pos ("" for none).
func (ed *Editor) Hover(rel string, pos protocol.Position) string {
	ed.t.Helper()
	text, _ := ed.HoverRange(rel, pos)
	return text
}

// HoverRange returns the hover text at pos and the range it describes.
func (ed *Editor) HoverRange(rel string, pos protocol.Position) (string, protocol.Range) {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	h, err := ed.Server.Hover(ctx, &protocol.HoverParams{TextDocumentPositionParams: ed.docPos(rel, pos)})
	if err != nil {
		ed.t.Fatalf("lsptest: hover: %v", err)
	}
	if h == nil {
		return "", protocol.Range{}
	}
	var r protocol.Range
	if h.Range != nil {
		r = *h.Range
	}
	switch c := h.Contents.(type) {
	case *protocol.MarkupContent:
		return c.Value, r
	case protocol.String:
		return string(c), r
	}
	ed.t.Fatalf("lsptest: hover contents %T", h.Contents)
	return "", r
}

// Completion returns the completion items at pos.
func (ed *Editor) Completion(rel string, pos protocol.Position) []protocol.CompletionItem {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.Completion(ctx, &protocol.CompletionParams{TextDocumentPositionParams: ed.docPos(rel, pos)})
	if err != nil {
		ed.t.Fatalf("lsptest: completion: %v", err)
	}
	switch r := res.(type) {
	case *protocol.CompletionList:
		return r.Items
	case protocol.CompletionItemSlice:
		return r
	case nil:
		return nil
	}
	ed.t.Fatalf("lsptest: completion result %T", res)
	return nil
}

// Labels returns the labels of completion items.
func Labels(items []protocol.CompletionItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

// Accept applies a completion item's text edit to the buffer, as choosing
// it in the editor does, and returns the new version.
func (ed *Editor) Accept(rel string, item protocol.CompletionItem) int32 {
	ed.t.Helper()
	te, ok := item.TextEdit.(*protocol.TextEdit)
	if !ok {
		ed.t.Fatalf("lsptest: completion item %q has no text edit", item.Label)
	}
	return ed.Change(rel, Edit{Range: te.Range, Text: te.NewText})
}

// CodeActions returns the code actions for a range.
func (ed *Editor) CodeActions(rel string, r protocol.Range, only ...protocol.CodeActionKind) []protocol.CommandOrCodeAction {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.CodeAction(ctx, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)},
		Range:        r,
		Context:      protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}, Only: only},
	})
	if err != nil {
		ed.t.Fatalf("lsptest: codeAction: %v", err)
	}
	return res
}

// Do performs a code action as an editor does: resolve it when it has
// neither edit nor command but data, apply its edit, then execute its
// command on the server. It returns the error of the command.
func (ed *Editor) Do(a protocol.CommandOrCodeAction) error {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	switch a := a.(type) {
	case *protocol.Command:
		_, err := ed.Server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: a.Command, Arguments: a.Arguments})
		return err
	case *protocol.CodeAction:
		if a.Edit == nil && len(a.Data) > 0 {
			res, err := ed.Server.CodeActionResolve(ctx, a)
			if err != nil {
				return err
			}
			a = res
		}
		if a.Edit == nil && a.Command.Command == "" {
			return errNoAction
		}
		if a.Edit != nil {
			if err := ed.applyWorkspaceEdit(a.Edit); err != nil {
				return err
			}
		}
		if a.Command.Command != "" {
			_, err := ed.Server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: a.Command.Command, Arguments: a.Command.Arguments})
			return err
		}
	}
	return nil
}

// Execute runs a command on the server; args are JSON-encoded.
func (ed *Editor) Execute(command string, args ...any) (json.RawMessage, error) {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	var raw []protocol.LSPAny
	for _, a := range args {
		raw = append(raw, mustJSON(a))
	}
	res, err := ed.Server.ExecuteCommand(ctx, &protocol.ExecuteCommandParams{Command: command, Arguments: raw})
	return json.RawMessage(res), err
}

// Definition returns the locations of the definition at pos.
func (ed *Editor) Definition(rel string, pos protocol.Position) []protocol.Location {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.Definition(ctx, &protocol.DefinitionParams{TextDocumentPositionParams: ed.docPos(rel, pos)})
	if err != nil {
		ed.t.Fatalf("lsptest: definition: %v", err)
	}
	switch r := res.(type) {
	case protocol.LocationSlice:
		return r
	case *protocol.Location:
		return []protocol.Location{*r}
	case protocol.DefinitionLinkSlice:
		// An empty array decodes as either arm.
		var out []protocol.Location
		for _, l := range r {
			out = append(out, protocol.Location{URI: l.TargetURI, Range: l.TargetSelectionRange})
		}
		return out
	case nil:
		return nil
	}
	ed.t.Fatalf("lsptest: definition result %T", res)
	return nil
}

// Symbols returns the document symbols (hierarchical).
func (ed *Editor) Symbols(rel string) protocol.DocumentSymbolResult {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.DocumentSymbol(ctx, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}})
	if err != nil {
		ed.t.Fatalf("lsptest: documentSymbol: %v", err)
	}
	return res
}

// Folding returns the folding ranges.
func (ed *Editor) Folding(rel string) []protocol.FoldingRange {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.FoldingRanges(ctx, &protocol.FoldingRangeParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}})
	if err != nil {
		ed.t.Fatalf("lsptest: foldingRange: %v", err)
	}
	return res
}

// Links returns the document links.
func (ed *Editor) Links(rel string) []protocol.DocumentLink {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.DocumentLink(ctx, &protocol.DocumentLinkParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}})
	if err != nil {
		ed.t.Fatalf("lsptest: documentLink: %v", err)
	}
	return res
}

// CodeLenses returns the code lenses.
func (ed *Editor) CodeLenses(rel string) []protocol.CodeLens {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	res, err := ed.Server.CodeLens(ctx, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}})
	if err != nil {
		ed.t.Fatalf("lsptest: codeLens: %v", err)
	}
	return res
}

// Pull asks for the diagnostics of one document (pull model).
func (ed *Editor) Pull(rel string, previousResultID string) protocol.DocumentDiagnosticReport {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	p := &protocol.DocumentDiagnosticParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}}
	if previousResultID != "" {
		p.PreviousResultID = &previousResultID
	}
	res, err := ed.Server.Diagnostic(ctx, p)
	if err != nil {
		ed.t.Fatalf("lsptest: textDocument/diagnostic: %v", err)
	}
	return res
}

// PullWorkspace asks for the diagnostics of the workspace.
func (ed *Editor) PullWorkspace(previous map[string]string) *protocol.WorkspaceDiagnosticReport {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	p := &protocol.WorkspaceDiagnosticParams{PreviousResultIds: []protocol.PreviousResultId{}}
	for rel, id := range previous {
		p.PreviousResultIds = append(p.PreviousResultIds, protocol.PreviousResultId{URI: ed.URI(rel), Value: id})
	}
	res, err := ed.Server.DiagnosticWorkspace(ctx, p)
	if err != nil {
		ed.t.Fatalf("lsptest: workspace/diagnostic: %v", err)
	}
	return res
}
