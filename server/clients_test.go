package server_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/uri"

	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
)

// aleCaps are the capabilities Vim's ALE 3.3 sends (autoload/ale/lsp.vim),
// byte for byte in meaning: an empty codeActionKind.valueSet, no
// applyEdit, plaintext hover only.
const aleCaps = `{
  "workspace": {"applyEdit": false, "didChangeConfiguration": {"dynamicRegistration": false},
    "symbol": {"dynamicRegistration": false}, "workspaceFolders": false, "configuration": false},
  "textDocument": {
    "synchronization": {"dynamicRegistration": false, "willSave": false, "willSaveWaitUntil": false, "didSave": true},
    "completion": {"dynamicRegistration": false, "completionItem": {"snippetSupport": false, "commitCharactersSupport": false,
      "documentationFormat": ["plaintext"], "deprecatedSupport": false, "preselectSupport": false}, "contextSupport": false},
    "hover": {"dynamicRegistration": false, "contentFormat": ["plaintext"]},
    "documentSymbol": {"dynamicRegistration": false, "hierarchicalDocumentSymbolSupport": false},
    "publishDiagnostics": {"relatedInformation": true},
    "codeAction": {"dynamicRegistration": false, "codeActionLiteralSupport": {"codeActionKind": {"valueSet": []}}}
  }
}`

// TestALEGetsLiteralEdits: ALE declares literal support with an empty
// valueSet and cannot take workspace/applyEdit, so every action offered to
// it carries its edit (or is a command needing no edit from the server):
// none may depend on specls.applyCodeAction, which would fail there.
func TestALEGetsLiteralEdits(t *testing.T) {
	root := fixture(t, "basic")
	r := startRaw(t, server.Options{Actions: fakeActions})
	var caps map[string]any
	if err := json.Unmarshal([]byte(aleCaps), &caps); err != nil {
		t.Fatal(err)
	}
	r.call(1, "initialize", map[string]any{"processId": 1, "rootPath": root, "rootUri": string(uri.File(root)), "capabilities": caps})
	init := r.response(1)
	if errorCode(init) != 0 {
		t.Fatalf("initialize: %v", init)
	}
	provider := init["result"].(map[string]any)["capabilities"].(map[string]any)["codeActionProvider"]
	if _, ok := provider.(map[string]any); !ok {
		t.Errorf("codeActionProvider %v, want options with kinds (literal support)", provider)
	}
	r.notify("initialized", map[string]any{})

	text := strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1)
	u := string(uri.File(filepath.Join(root, techspec)))
	r.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "markdown", "version": 1, "text": text}})
	line := strings.Count(text[:strings.Index(text, "## Data Model\n")], "\n")
	r.call(2, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": u},
		"range":        map[string]any{"start": map[string]any{"line": line, "character": 0}, "end": map[string]any{"line": line, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	res := r.response(2)
	actions, _ := res["result"].([]any)
	var titles []string
	renamed := false
	for _, a := range actions {
		a := a.(map[string]any)
		titles = append(titles, a["title"].(string))
		if _, isCommand := a["command"].(string); isCommand {
			t.Errorf("%q is a bare Command; ALE asked for literals", a["title"])
		}
		if c, ok := a["command"].(map[string]any); ok && c["command"] == "specls.applyCodeAction" {
			// Only what the server can do alone: run it, as ALE would.
			r.call(a["title"], "workspace/executeCommand", c)
			if m := r.response(a["title"]); errorCode(m) != 0 {
				t.Errorf("%q fails in ALE: %v", a["title"], m["error"])
			}
		}
		if a["title"] == "Rename to Data Models" {
			edit, _ := a["edit"].(map[string]any)
			changes, _ := edit["changes"].(map[string]any)
			edits, _ := changes[u].([]any)
			if len(edits) != 1 || edits[0].(map[string]any)["newText"] != "Data Models" {
				t.Errorf("rename edit %v, want one change of %s to Data Models", a["edit"], u)
			}
			renamed = true
		}
	}
	if !renamed {
		t.Errorf("no rename quick fix among %q (%v)", titles, res)
	}
	// The server creates the file itself when the client cannot: that
	// needs no applyEdit, so it is still offered, and it ran above.
	if !strings.Contains(strings.Join(titles, "|"), "Create _tasks.md") {
		t.Errorf("create action missing among %q", titles)
	}
	if _, err := os.Stat(filepath.Join(root, "tasks/prd-reset/_tasks.md")); err != nil {
		t.Errorf("the create action did not create the file: %v", err)
	}
}

// TestNoActionNeedingApplyEdit: a client with neither literals nor
// workspace/applyEdit can run commands only; an edit it could not apply is
// not offered, while what the server does alone still is.
func TestNoActionNeedingApplyEdit(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.TextDocument.CodeAction = nil
	caps.Workspace.ApplyEdit = nil
	caps.Workspace.WorkspaceEdit = nil // files are then created by the server
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = &caps; c.Options.Actions = fakeActions })
	renamed(t, ed, root)
	as := ed.CodeActions(techspec, ed.Range(techspec, "## Data Model"))
	got := strings.Join(titles(as), "|")
	if strings.Contains(got, "Rename") {
		t.Errorf("offered %q: the rename needs workspace/applyEdit", got)
	}
	if !strings.Contains(got, "Show the gates") || !strings.Contains(got, "Create _tasks.md") {
		t.Errorf("offered %q, want the command and the server-side create", got)
	}
}
