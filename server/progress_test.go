package server_test

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/server/lsptest"
)

func TestIndexProgress(t *testing.T) {
	ed, _ := start(t, nil)
	events := ed.WaitProgressEnd()
	if len(events) < 2 || events[0].Kind != "begin" || !strings.Contains(events[0].Title, "indexing") {
		t.Fatalf("progress %+v, want begin ... end", events)
	}
	if end := events[len(events)-1]; end.Message != "1 feature folder(s) checked" {
		t.Errorf("end message %q", end.Message)
	}
}

// TestMultiRoot: two workspace folders, each with its own configuration;
// a spec outside tasks/prd-*/ is checked too.
func TestMultiRoot(t *testing.T) {
	first := fixture(t, "basic")
	second := filepath.Join(t.TempDir(), "second")
	text := read(t, first, techspec)
	lsptest.WriteFiles(t, second, map[string]string{
		"tasks/prd-billing/_techspec.md": strings.Replace(text, "## Data Models", "## Data Model", 1),
		"docs/_prd.md":                   "# Product Requirements Document: Loose\n\n## Overview\n\nA PRD outside tasks/.\n",
	})
	ed := lsptest.Start(t, lsptest.Config{Root: first, Folders: []string{second}, Caps: pullCaps()})
	rep := ed.PullWorkspace(nil)
	found := map[string][]string{}
	for _, it := range rep.Items {
		if f, ok := it.(*protocol.WorkspaceFullDocumentDiagnosticReport); ok {
			found[f.URI.FsPath()] = lsptest.Codes(f.Items)
		}
	}
	billing := filepath.Join(second, "tasks/prd-billing/_techspec.md")
	if !has(found[billing], "section-renamed") {
		t.Errorf("second folder's tech spec: %v, want section-renamed (checked with its own, default configuration)", found[billing])
	}
	loose := filepath.Join(second, "docs/_prd.md")
	if !has(found[loose], "section-missing") {
		t.Errorf("a PRD outside tasks/prd-*: %v, want it checked", found[loose])
	}
	if _, ok := found[filepath.Join(first, techspec)]; !ok {
		t.Errorf("first folder missing from the workspace pull: %v", found)
	}
}

func TestWorkspaceFoldersChange(t *testing.T) {
	ed, _ := start(t, func(c *lsptest.Config) { c.Caps = pullCaps() })
	ed.WaitProgressEnd()
	extra := fixture(t, "basic")
	ctx := t.Context()
	err := ed.Server.DidChangeWorkspaceFolders(ctx, &protocol.DidChangeWorkspaceFoldersParams{Event: protocol.WorkspaceFoldersChangeEvent{
		Added: []protocol.WorkspaceFolder{{URI: uri.File(extra), Name: "extra"}}, Removed: []protocol.WorkspaceFolder{},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rep := ed.PullWorkspace(nil)
	for _, it := range rep.Items {
		if f, ok := it.(*protocol.WorkspaceFullDocumentDiagnosticReport); ok && strings.HasPrefix(f.URI.FsPath(), extra) {
			return
		}
	}
	t.Errorf("the added folder is not in the workspace pull")
}
