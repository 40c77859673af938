package server_test

import (
	"testing"

	"github.com/specls/specls/server/lsptest"
)

// The server finds the configuration and templates as `specls check` does:
// a .compozy/tasks/<slug>/ folder is a feature folder, and the repository
// root's .specls.yaml and tasks/docs templates apply to it.
func TestCompozyFeatureUsesRepositoryConfig(t *testing.T) {
	root := t.TempDir()
	lsptest.WriteFiles(t, root, map[string]string{
		".git/HEAD":                   "ref: refs/heads/main\n",
		".specls.yaml":                "rules:\n  section-placeholder: off\n",
		"tasks/docs/_prd-template.md": "# PRD: [Feature Name]\n\n## Problem\n\nWhat hurts.\n",
	})
	const doc = ".compozy/tasks/chat/_prd.md"
	ed := lsptest.Start(t, lsptest.Config{Root: root})
	v := ed.Open(doc, "# PRD: Chat\n\n## Goals\n\nTODO\n")
	codes := lsptest.Codes(ed.Diagnostics(doc, v))
	if has(codes, "feature-folder") || has(codes, "section-placeholder") {
		t.Errorf("codes %v: .compozy/tasks/chat is a feature folder, and the root's .specls.yaml switches section-placeholder off", codes)
	}
	if !has(codes, "section-missing") {
		t.Errorf("codes %v: the repository's PRD template asks for Problem", codes)
	}
}
