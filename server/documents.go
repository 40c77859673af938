package server

import (
	"errors"
	"fmt"
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// document is an open buffer (an overlay over the file on disk). It never
// changes: an edit makes a new document, so a snapshot can be read without
// the lock and a check can tell by identity whether it is still current.
type document struct {
	uri     uri.URI // as the client sent it
	path    string  // file path; "" for a URI that is not a file
	key     string  // the store key: path, or the URI when there is no path
	version int32
	text    []byte // never written to: the parsed documents share it
}

// docKey is the store key of a URI: the cleaned file path for file URIs,
// so that differently escaped URIs of one file meet.
func docKey(u uri.URI) string {
	if p := filePath(u); p != "" {
		return p
	}
	return string(u)
}

func newDocument(u uri.URI, version int32, text []byte) *document {
	return &document{uri: u, path: filePath(u), key: docKey(u), version: version, text: text}
}

// isSpec reports whether the document is a spec file the engine checks.
func (d *document) isSpec() bool { return d.path != "" && spec.IsSpecFile(d.path) }

// errPosition is wrapped by errors about change ranges outside the text.
var errPosition = errors.New("change range outside the document")

// applyChanges returns the text after applying LSP content changes in
// order, positions counted in enc. A range past the end is clamped to the
// end (so no text is lost) and reported with an errPosition error.
func applyChanges(text []byte, changes []protocol.TextDocumentContentChangeEvent, enc spec.Encoding) ([]byte, error) {
	var problem error
	for i, ch := range changes {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = []byte(c.Text)
		case *protocol.TextDocumentContentChangePartial:
			var m *spec.Mapper // of the whole text, where the line alone cannot say
			a, err1 := changeOffset(text, &m, c.Range.Start, enc)
			b, err2 := changeOffset(text, &m, c.Range.End, enc)
			if err := errors.Join(err1, err2); err != nil && problem == nil {
				problem = fmt.Errorf("change %d: %w: %v", i+1, errPosition, err)
			}
			if b < a {
				a, b = b, a
			}
			out := make([]byte, 0, len(text)-(b-a)+len(c.Text))
			out = append(out, text[:a]...)
			out = append(out, c.Text...)
			out = append(out, text[b:]...)
			text = out
		default:
			return text, fmt.Errorf("change %d: unknown content change %T", i+1, ch)
		}
	}
	return text, problem
}

// offset converts a position, clamping one past the last line to the end.
func offset(m *spec.Mapper, p protocol.Position, enc spec.Encoding, n int) (int, error) {
	off, err := m.PositionOffset(spec.Position{Line: int(p.Line), Character: int(p.Character)}, enc)
	if err != nil {
		return n, err
	}
	return off, nil
}

// changeOffset is offset for a change of text: *m is the whole text's
// mapper, built on first need.
func changeOffset(text []byte, m **spec.Mapper, p protocol.Position, enc spec.Encoding) (int, error) {
	pos := spec.Position{Line: int(p.Line), Character: int(p.Character)}
	if off, ok := spec.LineOffset(text, pos, enc); ok {
		return off, nil
	}
	if *m == nil {
		*m = spec.NewMapper(text)
	}
	off, err := (*m).PositionOffset(pos, enc)
	if err != nil {
		return len(text), err
	}
	return off, nil
}

// readFile reads a file for the engine, preferring an open buffer; a
// file on disk is read within the workspace's limits, through files.
func readFile(overlays map[string]*document, lim spec.Limits, files *workspace.Files) spec.ReadFunc {
	return func(path string) ([]byte, error) {
		if d, ok := overlays[filepath.Clean(path)]; ok {
			return d.text, nil
		}
		return files.Read(path, lim)
	}
}
