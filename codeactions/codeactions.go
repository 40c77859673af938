// Package codeactions turns findings into fixes: byte edits, created files
// and generated sections. It is pure: it reads documents and returns edits;
// the server and the CLI apply them.
package codeactions

import (
	"fmt"
	"strings"

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

	// rank orders insertions at one offset: a section inserted there goes
	// by its template position (template index + 1; 0 for other text).
	rank int
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

	// claims lists the template sections the action writes, so that fix-all
	// never writes one twice.
	claims []string
	// ident caches identity() for an action offered for many findings
	// (see ensure); nil: computed on each call.
	ident *string
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
	// AIHost is the endpoint's host, shown in the AI actions' titles so
	// that the user sees where a click sends the spec.
	AIHost string
}

// For returns the code actions for a request: the quick fixes of the
// findings of req.Doc that touch req.Span, "Generate <section>" on a section
// at the span that still holds template text, and the source actions (fix
// all, insert all missing sections, create the tech spec of a PRD).
func For(req Request) []Action {
	if req.Doc == nil {
		return nil
	}
	in := req.Input
	if in.Feature == nil {
		in.Feature = &spec.Feature{}
	}
	f := newFixer(in, req.Doc)
	f.findings, f.hasFindings = req.Findings, true
	var out actionList
	if wants(req.Only, KindQuickFix) {
		for _, fd := range req.Findings {
			if fd.Path == req.Doc.Path && touches(fd.Span, req.Span) {
				out.add(f.actionsFor(fd)...)
			}
		}
	}
	if wants(req.Only, KindRewrite) {
		for _, a := range f.generateAt(req.Span, req.Findings) {
			if !out.hasEdits(a) { // already offered as the finding's quick fix
				out.add(a)
			}
		}
	}
	if wants(req.Only, KindSource) {
		out.add(f.sourceActions(req.Findings)...)
	}
	if wants(req.Only, KindFixAll) {
		if a, ok := fixAllAction(in, req.Doc, req.Findings); ok {
			out.add(a)
		}
	}
	return out.list
}

// wants reports whether kind is one the client asked for: LSP kinds are
// hierarchical, so "source" covers "source.fixAll.specls".
func wants(only []string, kind string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

// touches reports whether two spans overlap or meet.
func touches(a, b spec.Span) bool {
	return a.Start <= b.End && b.Start <= a.End
}

// actionList collects actions, dropping one whose title and edits repeat an
// earlier one (several findings can offer the same fix).
type actionList struct {
	list []Action
	seen map[string]bool
}

func (l *actionList) add(as ...Action) {
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	for _, a := range as {
		k := a.identity()
		if l.seen[k] {
			for i := range l.list {
				if l.list[i].identity() == k {
					l.list[i].Fixes = appendFindings(l.list[i].Fixes, a.Fixes...)
				}
			}
			continue
		}
		l.seen[k] = true
		l.list = append(l.list, a)
	}
}

// hasEdits reports whether an action with the same title and edits is in
// the list, whatever its kind.
func (l *actionList) hasEdits(a Action) bool {
	for _, b := range l.list {
		b.Kind = a.Kind
		if b.identity() == a.identity() {
			return true
		}
	}
	return false
}

func (a Action) identity() string {
	if a.ident != nil && *a.ident != "" {
		return *a.ident
	}
	id := a.identityNow()
	if a.ident != nil {
		*a.ident = id
	}
	return id
}

func (a Action) identityNow() string {
	var sb strings.Builder
	sb.WriteString(a.Kind + "\x00" + a.Title)
	for _, e := range a.Edits {
		// The text's length, then the text as it is: unambiguous, and a
		// 3 MB generated table is copied, not quoted.
		fmt.Fprintf(&sb, "\x00%s%v%d:", e.Path, e.Span, len(e.NewText))
		sb.WriteString(e.NewText)
	}
	for _, c := range a.Creates {
		sb.WriteString("\x00+" + c.Path)
	}
	return sb.String()
}

func appendFindings(to []diagnostics.Finding, fs ...diagnostics.Finding) []diagnostics.Finding {
	for _, f := range fs {
		dup := false
		for _, g := range to {
			if g.Code == f.Code && g.Span == f.Span && g.Path == f.Path && g.Message == f.Message {
				dup = true
				break
			}
		}
		if !dup {
			to = append(to, f)
		}
	}
	return to
}
