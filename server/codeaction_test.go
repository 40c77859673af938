package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/server/lsptest"
)

// fakeActions stands in for codeactions.For: a rename fix for every
// section-renamed finding, a file creation, and a command.
func fakeActions(req codeactions.Request) []codeactions.Action {
	var out []codeactions.Action
	for _, f := range req.Findings {
		if f.Code == "section-renamed" && f.Path == req.Doc.Path && f.Data.Section != nil {
			out = append(out, codeactions.Action{
				Title:     "Rename to " + f.Data.Template.Title,
				Kind:      codeactions.KindQuickFix,
				Fixes:     []diagnostics.Finding{f},
				Preferred: true,
				Edits:     []codeactions.Edit{{Path: f.Path, Span: f.Data.Section.TitleSpan, NewText: f.Data.Template.Title}},
			})
		}
	}
	dir := filepath.Dir(req.Doc.Path)
	out = append(out,
		codeactions.Action{
			Title:   "Create _tasks.md",
			Kind:    codeactions.KindSource,
			Creates: []codeactions.FileCreate{{Path: filepath.Join(dir, "_tasks.md"), Content: "# Tasks\n\n- [ ] 1.0 Build it 😀\n"}},
		},
		codeactions.Action{
			Title:   "Show the gates",
			Kind:    codeactions.KindSource,
			Command: &codeactions.Command{Title: "Show the gates", Name: "specls.showGates", Arguments: []any{string(uri.File(req.Doc.Path))}},
		},
	)
	return out
}

func titles(as []protocol.CommandOrCodeAction) []string {
	var out []string
	for _, a := range as {
		switch a := a.(type) {
		case *protocol.CodeAction:
			out = append(out, a.Title)
		case *protocol.Command:
			out = append(out, a.Title)
		}
	}
	return out
}

func action(t *testing.T, as []protocol.CommandOrCodeAction, prefix string) protocol.CommandOrCodeAction {
	t.Helper()
	for _, a := range as {
		title := ""
		switch a := a.(type) {
		case *protocol.CodeAction:
			title = a.Title
		case *protocol.Command:
			title = a.Title
		}
		if strings.HasPrefix(title, prefix) {
			return a
		}
	}
	t.Fatalf("no action %q among %q", prefix, titles(as))
	return nil
}

// renamed opens the tech spec with "Data Models" misspelt and waits for
// its diagnostics.
func renamed(t *testing.T, ed *lsptest.Editor, root string) int32 {
	t.Helper()
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Fatalf("diagnostics %v, want section-renamed", codes)
	}
	return v
}

func TestCodeActionsVersionedEdits(t *testing.T) {
	ed, root := start(t, func(c *lsptest.Config) { c.Options.Actions = fakeActions })
	v := renamed(t, ed, root)
	as := ed.CodeActions(techspec, ed.Range(techspec, "## Data Model"))
	fix := action(t, as, "Rename to Data Models").(*protocol.CodeAction)
	if fix.Kind == nil || *fix.Kind != protocol.CodeActionKindQuickFix || fix.IsPreferred == nil || !*fix.IsPreferred {
		t.Errorf("fix kind %v preferred %v", fix.Kind, fix.IsPreferred)
	}
	if len(fix.Diagnostics) != 1 || lsptest.Codes(fix.Diagnostics)[0] != "section-renamed" {
		t.Errorf("fix diagnostics %v", lsptest.Codes(fix.Diagnostics))
	}
	if fix.Edit == nil || len(fix.Edit.DocumentChanges) != 1 {
		t.Fatalf("fix edit %+v, want one versioned document change", fix.Edit)
	}
	tde := fix.Edit.DocumentChanges[0].(*protocol.TextDocumentEdit)
	if tde.TextDocument.Version == nil || *tde.TextDocument.Version != v {
		t.Fatalf("edit version %v, want %d", tde.TextDocument.Version, v)
	}
	if err := ed.Do(fix); err != nil {
		t.Fatal(err)
	}
	v2 := ed.Version(techspec)
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v2)); has(codes, "section-renamed") {
		t.Fatalf("after the fix: %v", codes)
	}
	if !strings.Contains(ed.Text(techspec), "\n## Data Models\n") {
		t.Errorf("the fix did not rename the heading")
	}

	// A stale action (the document changed since) is refused by the editor.
	ed.Replace(techspec, "## Data Models", "## Data Model")
	stale := action(t, ed.CodeActions(techspec, ed.Range(techspec, "## Data Model")), "Rename")
	ed.Insert(techspec, "## Proto Definitions\n", "\nNew text.\n")
	before := ed.Text(techspec)
	if err := ed.Do(stale); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Fatalf("applying a stale edit: %v, want a refusal", err)
	}
	if ed.Text(techspec) != before {
		t.Errorf("a refused edit changed the buffer")
	}

	// Creating a file and running a command.
	if err := ed.Do(action(t, as, "Create _tasks.md")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, root, "tasks/prd-reset/_tasks.md"); got != "# Tasks\n\n- [ ] 1.0 Build it 😀\n" {
		t.Errorf("created file holds %q", got)
	}
	if err := ed.Do(action(t, as, "Show the gates")); err != nil {
		t.Fatal(err)
	}
	ed.WaitMessage("Gates:")
}

// TestCodeActionsPlainChanges: a client without documentChanges gets a
// changes map, and file creation runs on the server.
func TestCodeActionsPlainChanges(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.Workspace.WorkspaceEdit = nil
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = &caps; c.Options.Actions = fakeActions })
	renamed(t, ed, root)
	as := ed.CodeActions(techspec, ed.Range(techspec, "## Data Model"))
	fix := action(t, as, "Rename").(*protocol.CodeAction)
	if fix.Edit == nil || len(fix.Edit.Changes[ed.URI(techspec)]) != 1 || len(fix.Edit.DocumentChanges) != 0 {
		t.Fatalf("edit %+v, want a changes map", fix.Edit)
	}
	create := action(t, as, "Create").(*protocol.CodeAction)
	if create.Edit != nil || create.Command.Command != "specls.applyCodeAction" {
		t.Fatalf("create action %+v, want the server's command", create)
	}
	if err := ed.Do(create); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "tasks/prd-reset/_tasks.md")); err != nil {
		t.Fatalf("the server did not create the file: %v", err)
	}
	// The same command again must not overwrite the file.
	if err := ed.Do(create); err == nil {
		t.Errorf("creating an existing file again succeeded")
	}
}

// TestCodeActionsCommandsOnly: a client without code action literals gets
// commands; the server applies the edit with workspace/applyEdit.
func TestCodeActionsCommandsOnly(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.TextDocument.CodeAction = nil
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = &caps; c.Options.Actions = fakeActions })
	renamed(t, ed, root)
	as := ed.CodeActions(techspec, ed.Range(techspec, "## Data Model"))
	cmd, ok := action(t, as, "Rename").(*protocol.Command)
	if !ok {
		t.Fatalf("%T, want a command", action(t, as, "Rename"))
	}
	if err := ed.Do(cmd); err != nil {
		t.Fatal(err)
	}
	if len(ed.Applied()) != 1 || !strings.Contains(ed.Text(techspec), "\n## Data Models\n") {
		t.Fatalf("applyEdit requests %d; text renamed: %v", len(ed.Applied()), strings.Contains(ed.Text(techspec), "\n## Data Models\n"))
	}
}

// TestCodeActionResolve: a client that resolves edits gets them on
// codeAction/resolve, in UTF-8.
func TestCodeActionResolve(t *testing.T) {
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = pullCaps(); c.Options.Actions = fakeActions })
	ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model ✓", 1))
	fix := action(t, ed.CodeActions(techspec, ed.Range(techspec, "## Data Model")), "Rename").(*protocol.CodeAction)
	if fix.Edit != nil || len(fix.Data) == 0 {
		t.Fatalf("unresolved action %+v, want data and no edit", fix)
	}
	if err := ed.Do(fix); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ed.Text(techspec), "\n## Data Models\n") {
		t.Errorf("resolved edit gave:\n%s", ed.Text(techspec))
	}
}
