package spec

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Encoding is the unit in which a Position's Character counts.
type Encoding int

const (
	// UTF16 counts UTF-16 code units: the LSP default.
	UTF16 Encoding = iota
	// UTF8 counts bytes.
	UTF8
	// UTF32 counts code points.
	UTF32
)

func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "utf-8"
	case UTF32:
		return "utf-32"
	default:
		return "utf-16"
	}
}

// Position is a zero-based line and character, as LSP sends it.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// ErrOutOfRange is wrapped by every error about a position or offset that
// lies outside the text.
var ErrOutOfRange = errors.New("position out of range")

// Mapper converts between byte offsets and line/character positions of one
// text. Lines end at "\n", "\r\n" or "\r", as the LSP specification says.
type Mapper struct {
	text       []byte
	lineStarts []int // byte offset of the first byte of each line
}

// NewMapper indexes the line starts of text. The text must not change while
// the mapper is in use.
func NewMapper(text []byte) *Mapper {
	// Sized for LF text at once: the server maps every version of a file.
	starts := make([]int, 1, bytes.Count(text, []byte{'\n'})+2)
	// A byte order mark is invisible in editors (they strip it before they
	// send text), so line 0 starts after it.
	if len(text) >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF {
		starts[0] = 3
	}
	if bytes.IndexByte(text, '\r') < 0 {
		// No "\r": find the line breaks at memchr speed (the server maps
		// every version of an edited file).
		for i := starts[0]; ; {
			j := bytes.IndexByte(text[i:], '\n')
			if j < 0 {
				return &Mapper{text: text, lineStarts: starts}
			}
			i += j + 1
			starts = append(starts, i)
		}
	}
	for i := starts[0]; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return &Mapper{text: text, lineStarts: starts}
}

// LineCount returns the number of lines (a final line without a break counts).
func (m *Mapper) LineCount() int { return len(m.lineStarts) }

// LineSpan returns the bytes of line n without its line break.
func (m *Mapper) LineSpan(line int) (Span, error) {
	if line < 0 || line >= len(m.lineStarts) {
		return Span{}, fmt.Errorf("line %d of %d: %w", line, len(m.lineStarts), ErrOutOfRange)
	}
	start := m.lineStarts[line]
	end := len(m.text)
	if line+1 < len(m.lineStarts) {
		end = m.lineStarts[line+1]
	}
	for end > start && (m.text[end-1] == '\n' || m.text[end-1] == '\r') {
		end--
	}
	return Span{start, end}, nil
}

// Line returns the zero-based line that holds byte offset off.
func (m *Mapper) Line(off int) int {
	return max(0, sort.Search(len(m.lineStarts), func(i int) bool { return m.lineStarts[i] > off })-1)
}

// OffsetPosition converts a byte offset to a position. An offset inside a
// multi-byte character or inside a CRLF pair is rounded down to its start.
func (m *Mapper) OffsetPosition(off int, enc Encoding) (Position, error) {
	if off < 0 || off > len(m.text) {
		return Position{}, fmt.Errorf("offset %d of %d bytes: %w", off, len(m.text), ErrOutOfRange)
	}
	line := m.Line(off)
	ls, _ := m.LineSpan(line)
	off = min(max(off, ls.Start), ls.End) // inside the BOM or the line break
	// Count whole characters only: an offset inside a multi-byte character
	// rounds down to that character's start.
	n, i := 0, ls.Start
	for i < off {
		r, size := utf8.DecodeRune(m.text[i:ls.End])
		if i+size > off {
			break
		}
		n += runeUnits(r, enc, size)
		i += size
	}
	return Position{Line: line, Character: n}, nil
}

// runeUnits is the width of one decoded rune in enc. An invalid byte decodes
// as U+FFFD with size 1 and counts as one unit in every encoding.
func runeUnits(r rune, enc Encoding, size int) int {
	switch enc {
	case UTF8:
		return size
	case UTF32:
		return 1
	}
	return utf16.RuneLen(r)
}

// PositionOffset converts a position to a byte offset. A character past the
// end of its line is clamped to the line's end, as the LSP specification asks;
// a line past the end of the text is an error. A character that falls inside
// a surrogate pair or a multi-byte sequence resolves to the character's start.
func (m *Mapper) PositionOffset(p Position, enc Encoding) (int, error) {
	if p.Line < 0 || p.Character < 0 {
		return 0, fmt.Errorf("position %d:%d: %w", p.Line, p.Character, ErrOutOfRange)
	}
	if p.Line >= len(m.lineStarts) {
		// The position just past the final line break is valid.
		if p.Line == len(m.lineStarts) && p.Character == 0 && len(m.text) > 0 {
			last := m.text[len(m.text)-1]
			if last == '\n' || last == '\r' {
				return len(m.text), nil
			}
		}
		return 0, fmt.Errorf("line %d of %d: %w", p.Line, len(m.lineStarts), ErrOutOfRange)
	}
	ls, _ := m.LineSpan(p.Line)
	if enc == UTF8 {
		off := ls.Start + p.Character
		if off > ls.End {
			return ls.End, nil
		}
		for off > ls.Start && off < ls.End && !utf8.RuneStart(m.text[off]) {
			off--
		}
		return off, nil
	}
	units := 0
	off := ls.Start
	for off < ls.End {
		r, size := utf8.DecodeRune(m.text[off:ls.End])
		w := runeUnits(r, enc, size)
		if units+w > p.Character {
			break
		}
		units += w
		off += size
	}
	return off, nil
}

// SpanRange converts a span to a start and end position.
func (m *Mapper) SpanRange(s Span, enc Encoding) (Position, Position, error) {
	a, err := m.OffsetPosition(s.Start, enc)
	if err != nil {
		return Position{}, Position{}, err
	}
	b, err := m.OffsetPosition(s.End, enc)
	if err != nil {
		return Position{}, Position{}, err
	}
	return a, b, nil
}

// RangeSpan converts a start and end position to a span.
func (m *Mapper) RangeSpan(a, b Position, enc Encoding) (Span, error) {
	s, err := m.PositionOffset(a, enc)
	if err != nil {
		return Span{}, err
	}
	e, err := m.PositionOffset(b, enc)
	if err != nil {
		return Span{}, err
	}
	if e < s {
		return Span{}, fmt.Errorf("range end %d:%d before start %d:%d: %w", b.Line, b.Character, a.Line, a.Character, ErrOutOfRange)
	}
	return Span{s, e}, nil
}

// LineOffset is Mapper.PositionOffset for a text with "\n" line breaks
// only, mapping the position's line alone: a mapper of the whole text on
// every keystroke was a tenth of the bytes of a didChange. ok is false
// where the whole mapper must decide (a "\r", a line past the end, an
// error, a line other than the first that starts with a byte order mark).
func LineOffset[T string | []byte](text T, p Position, enc Encoding) (off int, ok bool) {
	var s string
	switch t := any(text).(type) {
	case string:
		s = t
	case []byte:
		// Read here and not kept: no copy of the whole text.
		s = unsafe.String(unsafe.SliceData(t), len(t))
	}
	if p.Line < 0 || p.Character < 0 || strings.IndexByte(s, '\r') >= 0 {
		return 0, false
	}
	start := 0
	for range p.Line {
		i := strings.IndexByte(s[start:], '\n')
		if i < 0 {
			return 0, false
		}
		start += i + 1
	}
	end := len(s)
	if i := strings.IndexByte(s[start:], '\n'); i >= 0 {
		end = start + i
	}
	line := s[start:end]
	if p.Line > 0 && strings.HasPrefix(line, "\uFEFF") {
		return 0, false
	}
	o, err := NewMapper([]byte(line)).PositionOffset(Position{Character: p.Character}, enc)
	if err != nil {
		return 0, false
	}
	return start + o, true
}
