// Package codeactions turns findings into fixes: byte edits, created files
// and generated sections. It is pure: it reads documents and returns edits;
// the server and the CLI apply them.
package codeactions

import (
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// Code action kinds, as LSP names them.
const (
	KindQuickFix = "quickfix"
	KindFixAll   = "source.fixAll.specls"
	KindSource   = "source"
	KindRewrite  = "refactor.rewrite"
)

// Edit replaces the bytes of Span in the file at Path with NewText.
type Edit struct {
	Path    string
	Span    spec.Span
	NewText string
}

// FileCreate creates a new file with Content; it fails if the file exists.
type FileCreate struct {
	Path    string
	Content string
}

// Command is work the server runs when the user picks the action (AI
// generation); its arguments are JSON-encodable.
type Command struct {
	Title     string
	Name      string
	Arguments []any
}

// Action is one code action.
type Action struct {
	Title     string
	Kind      string
	Fixes     []diagnostics.Finding // the findings it resolves
	Preferred bool
	// Safe actions are applied by fix-all and `specls check --fix`.
	Safe    bool
	Edits   []Edit
	Creates []FileCreate
	Command *Command
}

// Request asks for the actions at a span of one document.
type Request struct {
	Input    diagnostics.Input     // the feature, templates and configuration
	Findings []diagnostics.Finding // the feature's current findings
	Doc      *spec.Document        // the document the request is about
	Span     spec.Span             // the selection or cursor
	Only     []string              // kinds the client asked for; empty means all
	// AI is true when an LLM endpoint is configured; AI actions are offered then.
	AI bool
}

// For returns the code actions for a request.
func For(req Request) []Action {
	return nil
}
