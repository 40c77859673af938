package server

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/spec"
)

// FuzzApplyChanges applies arbitrary incremental changes to arbitrary text
// in every position encoding and compares the result with a plain model
// of the specification: lines end at \n, \r\n or \r; a character past a
// line's end is the line's end; a line past the last one is the end of the
// text (and reported); a position inside a character is its start; a
// reversed range is the same range.
func FuzzApplyChanges(f *testing.F) {
	f.Add("ab\ncd\n", []byte{1, 0, 1, 1, 1, 'X'})
	f.Add("😀b\r\n日本語\rc", []byte{1, 0, 1, 1, 2, 'y', 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 'z'})
	f.Add("\ufeff# T\r\n\r\n| a |\n", []byte{1, 0, 0, 0, 0, '#', 1, 9, 0, 9, 9, 'q'})
	f.Add("x", []byte{1, 1, 0, 1, 0, 'a', 1, 2, 0, 2, 0, 'b'})
	f.Add("a\r\nb\r\n", []byte{1, 2, 0, 2, 0, 'c', 1, 1, 5, 0, 1, '-'})
	f.Fuzz(func(t *testing.T, text string, ops []byte) {
		// The server only ever holds valid UTF-8: the JSON decoder turns
		// invalid bytes into U+FFFD before a buffer is stored.
		text = strings.ToValidUTF8(text, "\uFFFD")
		changes := decodeChanges(ops)
		for _, enc := range []spec.Encoding{spec.UTF16, spec.UTF8, spec.UTF32} {
			got, err := applyChanges([]byte(text), changes, enc)
			want, bad := modelApply(text, changes, enc)
			if string(got) != want {
				t.Fatalf("%v: text %q, changes %s:\ngot  %q\nwant %q", enc, text, describe(changes), got, want)
			}
			if (err != nil) != bad || err != nil && !errors.Is(err, errPosition) {
				t.Fatalf("%v: text %q, changes %s: error %v, want a position error: %v", enc, text, describe(changes), err, bad)
			}
		}
	})
}

// decodeChanges turns fuzz bytes into up to 16 changes of 6 bytes each:
// kind (one in four replaces the whole document), start line
// and character, end line and character, and the inserted text.
func decodeChanges(ops []byte) []protocol.TextDocumentContentChangeEvent {
	inserts := []string{"", "x", "\n", "\r\n", "😀", "日", "\r", "ab\ncd", "\ufeff"}
	var out []protocol.TextDocumentContentChangeEvent
	for len(ops) >= 6 && len(out) < 16 {
		op := ops[:6]
		ops = ops[6:]
		ins := inserts[int(op[5])%len(inserts)]
		if op[5] >= 0x80 {
			ins = string(rune(op[5])) // any other character
		}
		if op[0]%4 == 3 {
			out = append(out, &protocol.TextDocumentContentChangeWholeDocument{Text: ins})
			continue
		}
		r := protocol.Range{
			Start: protocol.Position{Line: uint32(op[1] % 12), Character: uint32(op[2] % 16)},
			End:   protocol.Position{Line: uint32(op[3] % 12), Character: uint32(op[4] % 16)},
		}
		out = append(out, &protocol.TextDocumentContentChangePartial{Range: r, Text: ins})
	}
	return out
}

func describe(cs []protocol.TextDocumentContentChangeEvent) string {
	var sb strings.Builder
	for _, c := range cs {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangePartial:
			sb.WriteString(strings.Join([]string{"[", itoa(c.Range.Start.Line), ":", itoa(c.Range.Start.Character), "-", itoa(c.Range.End.Line), ":", itoa(c.Range.End.Character), " ", strings.ReplaceAll(c.Text, "\n", `\n`), "]"}, ""))
		case *protocol.TextDocumentContentChangeWholeDocument:
			sb.WriteString("[all " + c.Text + "]")
		}
	}
	return sb.String()
}

func itoa(u uint32) string {
	if u == 0 {
		return "0"
	}
	var b []byte
	for ; u > 0; u /= 10 {
		b = append([]byte{byte('0' + u%10)}, b...)
	}
	return string(b)
}

// modelApply is the specification's text synchronisation, written plainly
// and apart from the server's code. bad reports a position past the text.
func modelApply(text string, changes []protocol.TextDocumentContentChangeEvent, enc spec.Encoding) (string, bool) {
	bad := false
	for _, ch := range changes {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = c.Text
		case *protocol.TextDocumentContentChangePartial:
			a, ok1 := modelOffset(text, c.Range.Start, enc)
			b, ok2 := modelOffset(text, c.Range.End, enc)
			bad = bad || !ok1 || !ok2
			if b < a {
				a, b = b, a
			}
			text = text[:a] + c.Text + text[b:]
		}
	}
	return text, bad
}

// modelLines returns the start and the end (before the line break) of
// every line. An editor does not show a byte order mark, so line 0 starts
// after it.
func modelLines(text string) (starts, ends []int) {
	start := 0
	if strings.HasPrefix(text, "\ufeff") {
		start = 3
	}
	for i := start; i < len(text); {
		switch {
		case strings.HasPrefix(text[i:], "\r\n"):
			starts, ends = append(starts, start), append(ends, i)
			i += 2
			start = i
		case text[i] == '\n' || text[i] == '\r':
			starts, ends = append(starts, start), append(ends, i)
			i++
			start = i
		default:
			i++
		}
	}
	return append(starts, start), append(ends, len(text))
}

func modelOffset(text string, p protocol.Position, enc spec.Encoding) (int, bool) {
	starts, ends := modelLines(text)
	line, char := int(p.Line), int(p.Character)
	if line >= len(starts) {
		// Just past a final line break is the end of the text.
		if line == len(starts) && char == 0 && (strings.HasSuffix(text, "\n") || strings.HasSuffix(text, "\r")) {
			return len(text), true
		}
		return len(text), false
	}
	units := 0
	for off := starts[line]; off < ends[line]; {
		r, size := utf8.DecodeRuneInString(text[off:ends[line]])
		w := size // UTF-8 counts bytes
		switch enc {
		case spec.UTF16:
			w = len(utf16.Encode([]rune{r}))
		case spec.UTF32:
			w = 1
		}
		if units+w > char {
			return off, true // inside (or at) this character: its start
		}
		units += w
		off += size
	}
	return ends[line], true
}
