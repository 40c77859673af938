package spec

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestMapperRoundTrip(t *testing.T) {
	// "𐐀" is 4 bytes and 2 UTF-16 units; "é" 2 bytes, 1 unit; "中" 3 bytes, 1 unit.
	text := "𐐀23\n𐐀45\r\nab\ré中\n"
	m := NewMapper([]byte(text))
	tests := []struct {
		off    int
		enc    Encoding
		line   int
		char   int
		offRev int // the offset the position maps back to
	}{
		{0, UTF16, 0, 0, 0},
		{4, UTF16, 0, 2, 4},
		{5, UTF16, 0, 3, 5},
		{6, UTF16, 0, 4, 6},
		{7, UTF16, 1, 0, 7},
		{11, UTF16, 1, 2, 11},
		{13, UTF16, 1, 4, 13},
		{14, UTF16, 1, 4, 13}, // inside "\r\n": rounds to the line end
		{15, UTF16, 2, 0, 15},
		{17, UTF16, 2, 2, 17},
		{18, UTF16, 3, 0, 18},
		{20, UTF16, 3, 1, 20},
		{23, UTF16, 3, 2, 23},
		{24, UTF16, 4, 0, 24},
		{4, UTF8, 0, 4, 4},
		{20, UTF8, 3, 2, 20},
		{4, UTF32, 0, 1, 4},
		{2, UTF16, 0, 0, 0}, // inside "𐐀": rounds down to its start
	}
	for _, tt := range tests {
		p, err := m.OffsetPosition(tt.off, tt.enc)
		if err != nil {
			t.Fatalf("OffsetPosition(%d, %v): %v", tt.off, tt.enc, err)
		}
		if p.Line != tt.line || p.Character != tt.char {
			t.Errorf("OffsetPosition(%d, %v) = %d:%d, want %d:%d", tt.off, tt.enc, p.Line, p.Character, tt.line, tt.char)
		}
		back, err := m.PositionOffset(p, tt.enc)
		if err != nil {
			t.Fatalf("PositionOffset(%v): %v", p, err)
		}
		if back != tt.offRev {
			t.Errorf("PositionOffset(%d:%d, %v) = %d, want %d", p.Line, p.Character, tt.enc, back, tt.offRev)
		}
	}
}

func TestMapperPositionOffset(t *testing.T) {
	m := NewMapper([]byte("𐐀23\nab"))
	tests := []struct {
		pos  Position
		enc  Encoding
		want int
		err  bool
	}{
		{Position{0, 1}, UTF16, 0, false},  // inside the surrogate pair: the character's start
		{Position{0, 99}, UTF16, 6, false}, // past the line end: clamped
		{Position{1, 2}, UTF16, 9, false},
		{Position{2, 0}, UTF16, 0, true}, // no line 2 (no final newline)
		{Position{-1, 0}, UTF16, 0, true},
		{Position{0, -1}, UTF8, 0, true},
		{Position{0, 2}, UTF8, 0, false}, // inside a UTF-8 sequence: its start
	}
	for _, tt := range tests {
		got, err := m.PositionOffset(tt.pos, tt.enc)
		if tt.err {
			if !errors.Is(err, ErrOutOfRange) {
				t.Errorf("PositionOffset(%v) err = %v, want ErrOutOfRange", tt.pos, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("PositionOffset(%v, %v) = %d, %v; want %d", tt.pos, tt.enc, got, err, tt.want)
		}
	}
	// The position after a final newline is valid.
	m2 := NewMapper([]byte("a\n"))
	if off, err := m2.PositionOffset(Position{1, 0}, UTF16); err != nil || off != 2 {
		t.Errorf("end after final newline = %d, %v; want 2", off, err)
	}
	if _, err := m.OffsetPosition(100, UTF16); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("OffsetPosition past end: err = %v", err)
	}
	if _, err := m.RangeSpan(Position{1, 1}, Position{0, 0}, UTF16); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("reversed range: err = %v", err)
	}
}

func FuzzMapper(f *testing.F) {
	for _, s := range []string{"", "a", "𐐀23\n𐐀45", "a\r\nb\rc\n", "\xff\xfe\n\xe4\xb8", "中文\t😀\r\n"} {
		f.Add(s, 3, 1, 2)
	}
	f.Fuzz(func(t *testing.T, text string, off, line, char int) {
		m := NewMapper([]byte(text))
		// Lines end at "\n", "\r\n" or "\r"; line 0 starts after a BOM.
		want := []int{0}
		if strings.HasPrefix(text, "\ufeff") {
			want[0] = 3
		}
		for i := want[0]; i < len(text); i++ {
			if text[i] == '\n' || text[i] == '\r' && !strings.HasPrefix(text[i:], "\r\n") {
				want = append(want, i+1)
			}
		}
		if !slices.Equal(m.lineStarts, want) {
			t.Fatalf("line starts %v, want %v", m.lineStarts, want)
		}
		for _, enc := range []Encoding{UTF8, UTF16, UTF32} {
			p, err := m.OffsetPosition(off, enc)
			if err != nil {
				if off >= 0 && off <= len(text) {
					t.Fatalf("OffsetPosition(%d) in range failed: %v", off, err)
				}
			} else {
				back, err := m.PositionOffset(p, enc)
				if err != nil {
					t.Fatalf("round trip of %d -> %v: %v", off, p, err)
				}
				// An offset inside a leading byte order mark is line 0's
				// start, just after the mark.
				limit := off
				if strings.HasPrefix(text, "\ufeff") && off < 3 {
					limit = 3
				}
				if back > limit || back < 0 {
					t.Fatalf("round trip of %d -> %v -> %d moved forward", off, p, back)
				}
			}
			if o, err := m.PositionOffset(Position{line, char}, enc); err == nil && (o < 0 || o > len(text)) {
				t.Fatalf("PositionOffset(%d:%d) = %d outside text of %d bytes", line, char, o, len(text))
			}
		}
	})
}

func TestMapperBOM(t *testing.T) {
	m := NewMapper([]byte("\ufeffab\ncd"))
	for off, want := range map[int]Position{0: {0, 0}, 2: {0, 0}, 3: {0, 0}, 4: {0, 1}, 7: {1, 1}} {
		p, err := m.OffsetPosition(off, UTF16)
		if err != nil || p != want {
			t.Errorf("OffsetPosition(%d) = %v, %v; want %v", off, p, err, want)
		}
	}
	if off, err := m.PositionOffset(Position{0, 1}, UTF16); err != nil || off != 4 {
		t.Errorf("PositionOffset(0:1) = %d, %v; want 4", off, err)
	}
}
