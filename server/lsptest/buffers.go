package lsptest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/spec"
)

// Edit is one change of a buffer: Range is in the negotiated encoding.
type Edit struct {
	Range protocol.Range
	Text  string
}

// Open opens a buffer with text at version 1 (the file need not exist on
// disk) and returns the version.
func (ed *Editor) Open(rel, text string) int32 {
	ed.t.Helper()
	u := ed.URI(rel)
	ed.mu.Lock()
	ed.buffers[u] = &buffer{uri: u, version: 1, text: text}
	ed.mu.Unlock()
	ctx, cancel := ed.ctx()
	defer cancel()
	if err := ed.Server.DidOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "markdown", Version: 1, Text: text}}); err != nil {
		ed.t.Fatalf("lsptest: didOpen %s: %v", rel, err)
	}
	return 1
}

// OpenFile opens the file at rel with its text on disk.
func (ed *Editor) OpenFile(rel string) int32 {
	ed.t.Helper()
	b, err := os.ReadFile(ed.Path(rel))
	if err != nil {
		ed.t.Fatalf("lsptest: %v", err)
	}
	return ed.Open(rel, string(b))
}

// Text returns the buffer's text.
func (ed *Editor) Text(rel string) string {
	ed.t.Helper()
	ed.mu.Lock()
	text := ed.openLocked(rel).text
	ed.mu.Unlock()
	return text
}

// openLocked returns the buffer of rel. It is called with ed.mu held and,
// when rel is not open, unlocks it and fails the test.
func (ed *Editor) openLocked(rel string) *buffer {
	ed.t.Helper()
	b := ed.buffers[ed.URI(rel)]
	if b == nil {
		ed.mu.Unlock()
		ed.t.Fatalf("lsptest: %s is not open", rel)
	}
	return b
}

// Version returns the buffer's version.
func (ed *Editor) Version(rel string) int32 {
	ed.t.Helper()
	ed.mu.Lock()
	v := ed.openLocked(rel).version
	ed.mu.Unlock()
	return v
}

// Change applies edits to the buffer, sends them as one incremental
// didChange and returns the new version.
func (ed *Editor) Change(rel string, edits ...Edit) int32 {
	ed.t.Helper()
	u := ed.URI(rel)
	ed.mu.Lock()
	b := ed.openLocked(rel)
	var changes []protocol.TextDocumentContentChangeEvent
	text := b.text
	for _, e := range edits {
		var err error
		text, err = apply(text, e.Range, e.Text, ed.enc)
		if err != nil {
			ed.mu.Unlock()
			ed.t.Fatalf("lsptest: change %s: %v", rel, err)
		}
		changes = append(changes, &protocol.TextDocumentContentChangePartial{Range: e.Range, Text: e.Text})
	}
	b.text = text
	b.version++
	v := b.version
	ed.mu.Unlock()
	ed.sendChange(u, v, changes)
	return v
}

// SetText replaces the whole buffer with a full-text change.
func (ed *Editor) SetText(rel, text string) int32 {
	ed.t.Helper()
	u := ed.URI(rel)
	ed.mu.Lock()
	b := ed.openLocked(rel)
	b.text = text
	b.version++
	v := b.version
	ed.mu.Unlock()
	ed.sendChange(u, v, []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: text}})
	return v
}

func (ed *Editor) sendChange(u uri.URI, v int32, changes []protocol.TextDocumentContentChangeEvent) {
	ed.t.Helper()
	ctx, cancel := ed.ctx()
	defer cancel()
	p := &protocol.DidChangeTextDocumentParams{ContentChanges: changes}
	p.TextDocument.URI = u
	p.TextDocument.Version = v
	if err := ed.Server.DidChange(ctx, p); err != nil {
		ed.t.Fatalf("lsptest: didChange: %v", err)
	}
}

// Replace replaces the first occurrence of old in the buffer with new.
func (ed *Editor) Replace(rel, old, new string) int32 {
	ed.t.Helper()
	return ed.Change(rel, Edit{Range: ed.Range(rel, old), Text: new})
}

// Insert inserts text just after the first occurrence of after.
func (ed *Editor) Insert(rel, after, text string) int32 {
	ed.t.Helper()
	p := ed.PosAfter(rel, after)
	return ed.Change(rel, Edit{Range: protocol.Range{Start: p, End: p}, Text: text})
}

// Save writes the buffer to disk and sends didSave.
func (ed *Editor) Save(rel string) {
	ed.t.Helper()
	text := ed.Text(rel)
	if err := os.WriteFile(ed.Path(rel), []byte(text), 0o644); err != nil {
		ed.t.Fatal(err)
	}
	ctx, cancel := ed.ctx()
	defer cancel()
	if err := ed.Server.DidSave(ctx, &protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: ed.URI(rel)}}); err != nil {
		ed.t.Fatalf("lsptest: didSave: %v", err)
	}
}

// CloseDoc closes the buffer.
func (ed *Editor) CloseDoc(rel string) {
	ed.t.Helper()
	u := ed.URI(rel)
	ed.mu.Lock()
	delete(ed.buffers, u)
	ed.mu.Unlock()
	ctx, cancel := ed.ctx()
	defer cancel()
	if err := ed.Server.DidClose(ctx, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}); err != nil {
		ed.t.Fatalf("lsptest: didClose: %v", err)
	}
}

// FileChanged tells the server that files changed on disk.
func (ed *Editor) FileChanged(rels ...string) {
	ed.t.Helper()
	var evs []protocol.FileEvent
	for _, rel := range rels {
		evs = append(evs, protocol.FileEvent{URI: ed.URI(rel), Type: protocol.FileChangeTypeChanged})
	}
	ctx, cancel := ed.ctx()
	defer cancel()
	if err := ed.Server.DidChangeWatchedFiles(ctx, &protocol.DidChangeWatchedFilesParams{Changes: evs}); err != nil {
		ed.t.Fatalf("lsptest: didChangeWatchedFiles: %v", err)
	}
}

// Pos returns the position of the first occurrence of needle in the buffer
// (or, when the document is not open, in the file on disk).
func (ed *Editor) Pos(rel, needle string) protocol.Position {
	ed.t.Helper()
	return ed.Range(rel, needle).Start
}

// PosAfter returns the position just after the first occurrence of needle.
func (ed *Editor) PosAfter(rel, needle string) protocol.Position {
	ed.t.Helper()
	return ed.Range(rel, needle).End
}

// Range returns the range of the first occurrence of needle.
func (ed *Editor) Range(rel, needle string) protocol.Range {
	ed.t.Helper()
	text := ed.content(rel)
	i := strings.Index(text, needle)
	if i < 0 {
		ed.t.Fatalf("lsptest: %q not found in %s", needle, rel)
	}
	return RangeOf(text, i, i+len(needle), ed.enc)
}

// content is the buffer's text, or the file's when it is not open.
func (ed *Editor) content(rel string) string {
	ed.mu.Lock()
	b := ed.buffers[ed.URI(rel)]
	ed.mu.Unlock()
	if b != nil {
		return b.text
	}
	data, err := os.ReadFile(ed.Path(rel))
	if err != nil {
		ed.t.Fatalf("lsptest: %v", err)
	}
	return string(data)
}

// RangeOf converts byte offsets of text to a range in enc.
func RangeOf(text string, start, end int, enc spec.Encoding) protocol.Range {
	m := spec.NewMapper([]byte(text))
	a, b, err := m.SpanRange(spec.Span{Start: start, End: end}, enc)
	if err != nil {
		panic(err)
	}
	return protocol.Range{
		Start: protocol.Position{Line: uint32(a.Line), Character: uint32(a.Character)},
		End:   protocol.Position{Line: uint32(b.Line), Character: uint32(b.Character)},
	}
}

// Slice returns the text a range covers, as the editor sees it.
func (ed *Editor) Slice(rel string, r protocol.Range) string {
	ed.t.Helper()
	text := ed.content(rel)
	sp, err := spanOf(text, r, ed.enc)
	if err != nil {
		ed.t.Fatalf("lsptest: %v", err)
	}
	return text[sp.Start:sp.End]
}

func spanOf(text string, r protocol.Range, enc spec.Encoding) (spec.Span, error) {
	a, b := spec.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)}, spec.Position{Line: int(r.End.Line), Character: int(r.End.Character)}
	if s, ok := spec.LineOffset(text, a, enc); ok {
		if e, ok := spec.LineOffset(text, b, enc); ok && s <= e {
			return spec.Span{Start: s, End: e}, nil
		}
	}
	return spec.NewMapper([]byte(text)).RangeSpan(a, b, enc)
}

// apply replaces a range of text.
func apply(text string, r protocol.Range, newText string, enc spec.Encoding) (string, error) {
	sp, err := spanOf(text, r, enc)
	if err != nil {
		return "", err
	}
	return text[:sp.Start] + newText + text[sp.End:], nil
}

// applyEdits applies edits whose ranges all refer to the original text:
// from the last to the first, so earlier ranges stay valid, and insertions
// at one position keep their order.
func applyEdits(text string, edits []protocol.TextEdit, enc spec.Encoding) (string, []Edit, error) {
	type located struct {
		sp spec.Span
		e  protocol.TextEdit
	}
	var ls []located
	for _, e := range edits {
		sp, err := spanOf(text, e.Range, enc)
		if err != nil {
			return "", nil, err
		}
		ls = append(ls, located{sp, e})
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].sp.Start < ls[j].sp.Start })
	for i := 1; i < len(ls); i++ {
		if ls[i].sp.Start < ls[i-1].sp.End {
			return "", nil, fmt.Errorf("overlapping edits at %v and %v", ls[i-1].e.Range, ls[i].e.Range)
		}
	}
	var changes []Edit
	for i := len(ls) - 1; i >= 0; i-- {
		text = text[:ls[i].sp.Start] + ls[i].e.NewText + text[ls[i].sp.End:]
		changes = append(changes, Edit{Range: ls[i].e.Range, Text: ls[i].e.NewText})
	}
	return text, changes, nil
}

// applyWorkspaceEdit applies a WorkspaceEdit: all of it or nothing. Open
// buffers change (and the server is sent didChange); other files change on
// disk.
func (ed *Editor) applyWorkspaceEdit(we *protocol.WorkspaceEdit) error {
	type fileEdit struct {
		u       uri.URI
		version *int32
		edits   []protocol.TextEdit
		create  bool
	}
	var ops []fileEdit
	for _, dc := range we.DocumentChanges {
		switch c := dc.(type) {
		case *protocol.CreateFile:
			ops = append(ops, fileEdit{u: c.URI, create: true})
		case *protocol.TextDocumentEdit:
			fe := fileEdit{u: c.TextDocument.URI, version: c.TextDocument.Version}
			for _, e := range c.Edits {
				switch e := e.(type) {
				case *protocol.TextEdit:
					fe.edits = append(fe.edits, *e)
				case *protocol.AnnotatedTextEdit:
					fe.edits = append(fe.edits, e.TextEdit)
				default:
					return fmt.Errorf("unsupported edit %T", e)
				}
			}
			ops = append(ops, fe)
		default:
			return fmt.Errorf("unsupported document change %T", dc)
		}
	}
	var us []string
	for u := range we.Changes {
		us = append(us, string(u))
	}
	sort.Strings(us)
	for _, u := range us {
		ops = append(ops, fileEdit{u: uri.URI(u), edits: we.Changes[uri.URI(u)]})
	}

	// Check everything first: versions, creations.
	ed.mu.Lock()
	creating := map[uri.URI]bool{}
	for _, op := range ops {
		b := ed.buffers[op.u]
		switch {
		case op.create:
			if _, err := os.Stat(op.u.FsPath()); err == nil || b != nil {
				ed.mu.Unlock()
				return fmt.Errorf("create %s: the file exists", op.u)
			}
			creating[op.u] = true
		case op.version != nil && (b == nil || b.version != *op.version):
			have := "not open"
			if b != nil {
				have = fmt.Sprintf("version %d", b.version)
			}
			ed.mu.Unlock()
			return fmt.Errorf("stale edit of %s: version %d, the editor has %s", filepath.Base(op.u.FsPath()), *op.version, have)
		case b == nil && !creating[op.u]:
			if _, err := os.Stat(op.u.FsPath()); err != nil {
				ed.mu.Unlock()
				return fmt.Errorf("edit %s: %w", op.u, err)
			}
		}
	}
	ed.mu.Unlock()

	for _, op := range ops {
		path := op.u.FsPath()
		if op.create {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				return err
			}
			continue
		}
		ed.mu.Lock()
		b := ed.buffers[op.u]
		ed.mu.Unlock()
		if b == nil {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			text, _, err := applyEdits(string(data), op.edits, ed.enc)
			if err != nil {
				return err
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				return err
			}
			continue
		}
		ed.mu.Lock()
		text, changes, err := applyEdits(b.text, op.edits, ed.enc)
		if err != nil {
			ed.mu.Unlock()
			return err
		}
		b.text = text
		b.version++
		v := b.version
		ed.mu.Unlock()
		var evs []protocol.TextDocumentContentChangeEvent
		for _, c := range changes {
			evs = append(evs, &protocol.TextDocumentContentChangePartial{Range: c.Range, Text: c.Text})
		}
		ed.sendChange(op.u, v, evs)
	}
	return nil
}

// errNoAction is returned when an action has neither edit nor command.
var errNoAction = errors.New("the code action has no edit and no command")
