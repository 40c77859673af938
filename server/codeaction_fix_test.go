package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

// The fix fixture: a tech spec with a problem of every Gate E kind that has
// a fix, next to its PRD.
const (
	fixSpec = "tasks/prd-ai-chat/_techspec.md"
	fixPRD  = "tasks/prd-ai-chat/_prd.md"
)

const fixSpecText = `# Technical Specification: [Feature Name]

## Architecture Overview

Four services behind a gateway 🚀; gRPC inside, REST at the edge.

### Communication Matrix

| From | To | Protocol | Pattern |
|------|----|----------|---------|
| [Service] | [Service] | [gRPC/REST/Kafka] | [Request-Reply/Streaming/Pub-Sub] |

### Consistency Model

- Auth Service: strong; a revoked session is revoked everywhere at once.

### Failure Impact Analysis

- Chat Service down: the gateway answers 503 after a 2 s timeout.

## Service Definitions

### API Gateway

- Purpose: the public REST entry point.
- Dependencies: Auth Service (gRPC), Chat Service (gRPC)

### Auth Service

- Purpose: users and sessions (日本語 names too).
- Dependencies: none

### Chat Service

- Purpose: conversations.
- Dependencies: Auth Service (gRPC), Kafka (events)

## Data Model

SQLAlchemy 2.0 models per service.

## Testing Strategy

pytest with async fixtures.

## Proto Definitions

- Shared message types
- Service contracts
- Versioning strategy

#### Communication Patterns

Unary gRPC calls with deadlines.
`

const fixPRDText = "# Product Requirements Document: AI Chat\n\n## Overview\n\nUsers chat with an AI agent.\n"

// fixable are the codes whose every diagnostic in the fixture has a
// preferred quick fix.
var fixable = []string{"section-missing", "section-renamed", "section-level", "section-order", "title-placeholder", "prd-missing"}

func startFix(t *testing.T, caps *protocol.ClientCapabilities, files map[string]string) *lsptest.Editor {
	t.Helper()
	root := t.TempDir()
	lsptest.WriteFiles(t, root, files)
	return lsptest.Start(t, lsptest.Config{Root: root, Caps: caps})
}

func message(d protocol.Diagnostic) string {
	if m, ok := d.Message.(protocol.String); ok {
		return string(m)
	}
	return ""
}

func code(d protocol.Diagnostic) string {
	if c, ok := d.Code.(protocol.String); ok {
		return string(c)
	}
	return ""
}

// checkVersioned checks that every text edit of a workspace edit is a
// TextDocumentEdit naming the version of the buffer it was computed for.
func checkVersioned(t *testing.T, ed *lsptest.Editor, we *protocol.WorkspaceEdit) {
	t.Helper()
	if len(we.Changes) > 0 {
		t.Errorf("plain changes sent to a client that takes documentChanges")
	}
	for _, dc := range we.DocumentChanges {
		tde, ok := dc.(*protocol.TextDocumentEdit)
		if !ok {
			continue
		}
		if tde.TextDocument.URI == ed.URI(fixSpec) { // the open buffer
			if v := tde.TextDocument.Version; v == nil || *v != ed.Version(fixSpec) {
				t.Errorf("edit of %s: version %v, the buffer has %d", fixSpec, v, ed.Version(fixSpec))
			}
		}
	}
}

// preferredFor returns the preferred code action that names d among its
// diagnostics.
func preferredFor(as []protocol.CommandOrCodeAction, d protocol.Diagnostic) *protocol.CodeAction {
	for _, a := range as {
		ca, ok := a.(*protocol.CodeAction)
		if !ok || ca.IsPreferred == nil || !*ca.IsPreferred {
			continue
		}
		for _, fd := range ca.Diagnostics {
			if code(fd) == code(d) && message(fd) == message(d) {
				return ca
			}
		}
	}
	return nil
}

// TestQuickFixesClearTheirDiagnostics asks for the code actions of each
// fixable diagnostic, applies the preferred one in the editor, and waits
// for the diagnostics of the new version: the diagnostic is gone. It runs
// for a push editor (UTF-16, edits in the response) and a pull editor
// (UTF-8, edits on codeAction/resolve).
func TestQuickFixesClearTheirDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name  string
		caps  func() protocol.ClientCapabilities
		noPRD bool
	}{
		{"push", lsptest.PushCaps, false},
		{"pull+resolve", lsptest.PullCaps, false},
		{"push, PRD missing", lsptest.PushCaps, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caps := tc.caps()
			pull := caps.TextDocument.Diagnostic != nil
			files := map[string]string{fixSpec: fixSpecText, fixPRD: fixPRDText}
			if tc.noPRD {
				delete(files, fixPRD)
			}
			ed := startFix(t, &caps, files)
			v := ed.Open(fixSpec, fixSpecText)
			current := func() []protocol.Diagnostic {
				if pull {
					rep := ed.Pull(fixSpec, "")
					if full, ok := rep.(*protocol.RelatedFullDocumentDiagnosticReport); ok {
						return full.Items
					}
					t.Fatalf("pull report %T", rep)
				}
				return latest(ed, fixSpec, v)
			}
			tried := map[string]bool{}
			fixed := 0
			for round := 0; round < 40; round++ {
				var d *protocol.Diagnostic
				for _, x := range current() {
					if slices.Contains(fixable, code(x)) && !tried[code(x)+message(x)] {
						d = &x
						break
					}
				}
				if d == nil {
					break
				}
				tried[code(*d)+message(*d)] = true
				ca := preferredFor(ed.CodeActions(fixSpec, d.Range, protocol.CodeActionKindQuickFix), *d)
				if ca == nil {
					t.Fatalf("no preferred quick fix names %s: %s", code(*d), message(*d))
				}
				if ca.Edit != nil {
					checkVersioned(t, ed, ca.Edit)
				}
				t.Logf("%s: %q", code(*d), ca.Title)
				mark := ed.Mark()
				if err := ed.Do(ca); err != nil {
					t.Fatalf("%q: %v", ca.Title, err)
				}
				fixed++
				nv := ed.Version(fixSpec)
				if nv == v { // the fix created another file: tell the server
					ed.FileChanged(fixPRD)
					if !pull {
						ed.WaitPublished(mark, fixSpec, func(p lsptest.Published) bool { return !hasDiag(p.Diagnostics, *d) })
					}
				}
				v = nv
				if got := current(); hasDiag(got, *d) {
					t.Errorf("after %q, still: %s: %s", ca.Title, code(*d), message(*d))
				}
			}
			if fixed < 5 {
				t.Errorf("only %d fixes applied", fixed)
			}
			for _, x := range current() {
				if slices.Contains(fixable, code(x)) {
					t.Errorf("left after every fix: %s: %s", code(x), message(x))
				}
			}
			checkAuthorLines(t, fixSpecText, ed.Text(fixSpec))
			if tc.noPRD {
				b, err := os.ReadFile(filepath.Join(root(ed), filepath.FromSlash(fixPRD)))
				// The tech spec names no feature: the PRD keeps the placeholder.
				if err != nil || !strings.HasPrefix(string(b), "# Product Requirements Document: [Feature Name]\n\n## Overview\n") {
					t.Errorf("the created PRD: %v %.60q", err, b)
				}
			}
		})
	}
}

// root returns the workspace folder of the editor.
func root(ed *lsptest.Editor) string {
	return filepath.Dir(filepath.Dir(filepath.Dir(ed.Path(fixSpec))))
}

// latest returns the last diagnostics published for a version: a change
// on disk (a created PRD) republishes the same version.
func latest(ed *lsptest.Editor, rel string, v int32) []protocol.Diagnostic {
	out := ed.Diagnostics(rel, v)
	h := ed.History()
	for i := len(h) - 1; i >= 0; i-- {
		if h[i].URI == ed.URI(rel) && h[i].Version == v {
			return h[i].Diagnostics
		}
	}
	return out
}

func hasDiag(ds []protocol.Diagnostic, d protocol.Diagnostic) bool {
	for _, x := range ds {
		if code(x) == code(d) && message(x) == message(d) {
			return true
		}
	}
	return false
}

// checkAuthorLines checks that the author's lines are all still there,
// headings (renamed, re-levelled) and template lines aside.
func checkAuthorLines(t *testing.T, before, after string) {
	t.Helper()
	count := map[string]int{}
	for _, l := range strings.Split(after, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(before, "\n") {
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "| [") ||
			l == "- Shared message types" || l == "- Service contracts" || l == "- Versioning strategy" {
			continue
		}
		if count[l] == 0 {
			t.Errorf("the line %q is gone", l)
		}
		count[l]--
	}
}

// TestFixAllSourceAction applies source.fixAll.specls: the fixable
// diagnostics are gone in the new version, and fix-all has nothing left
// to offer.
func TestFixAllSourceAction(t *testing.T) {
	ed := startFix(t, nil, map[string]string{fixSpec: fixSpecText, fixPRD: fixPRDText})
	v := ed.Open(fixSpec, fixSpecText)
	ed.Diagnostics(fixSpec, v)
	whole := lsptest.RangeOf(fixSpecText, 0, len(fixSpecText), ed.Encoding())
	as := ed.CodeActions(fixSpec, whole, "source.fixAll.specls")
	if len(as) != 1 {
		t.Fatalf("want one fix-all action, got %d", len(as))
	}
	ca := as[0].(*protocol.CodeAction)
	if ca.Kind == nil || *ca.Kind != "source.fixAll.specls" || ca.Edit == nil {
		t.Fatalf("fix-all action %+v", ca)
	}
	checkVersioned(t, ed, ca.Edit)
	if err := ed.Do(ca); err != nil {
		t.Fatal(err)
	}
	v = ed.Version(fixSpec)
	for _, d := range ed.Diagnostics(fixSpec, v) {
		if slices.Contains(fixable, code(d)) && code(d) != "prd-missing" {
			t.Errorf("after fix-all: %s: %s", code(d), message(d))
		}
	}
	checkAuthorLines(t, fixSpecText, ed.Text(fixSpec))
	text := ed.Text(fixSpec)
	if again := ed.CodeActions(fixSpec, lsptest.RangeOf(text, 0, len(text), ed.Encoding()), "source.fixAll.specls"); len(again) != 0 {
		t.Errorf("a second fix-all is offered: %q", again[0].(*protocol.CodeAction).Title)
	}
}

// TestStaleFixRefused: an edit computed for an older version of the buffer
// names that version, so the editor refuses it instead of corrupting text.
func TestStaleFixRefused(t *testing.T) {
	ed := startFix(t, nil, map[string]string{fixSpec: fixSpecText, fixPRD: fixPRDText})
	v := ed.Open(fixSpec, fixSpecText)
	var d protocol.Diagnostic
	for _, x := range ed.Diagnostics(fixSpec, v) {
		if code(x) == "section-renamed" {
			d = x
		}
	}
	ca := preferredFor(ed.CodeActions(fixSpec, d.Range, protocol.CodeActionKindQuickFix), d)
	if ca == nil || ca.Edit == nil {
		t.Fatal("no rename with an edit")
	}
	ed.Insert(fixSpec, "pytest with async fixtures.", " More tests.")
	before := ed.Text(fixSpec)
	if err := ed.Do(ca); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("a stale edit was applied (err %v)", err)
	}
	if ed.Text(fixSpec) != before {
		t.Error("the buffer changed")
	}
}
