package safefile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll returns what io.ReadAll returns whatever the size it was told:
// the file may have grown or shrunk since it was stat'ed.
func TestReadAll(t *testing.T) {
	text := strings.Repeat("line of a spec\n", 300)
	boom := errors.New("boom")
	cases := []struct {
		name string
		r    func() io.Reader
		size int64
		err  error
	}{
		{"size as stat'ed", func() io.Reader { return strings.NewReader(text) }, int64(len(text)), nil},
		{"grew since stat", func() io.Reader { return strings.NewReader(text) }, 10, nil},
		{"shrank since stat", func() io.Reader { return strings.NewReader(text) }, int64(len(text)) * 2, nil},
		{"empty file", func() io.Reader { return strings.NewReader("") }, 0, nil},
		{"grew from empty", func() io.Reader { return strings.NewReader(text) }, 0, nil},
		{"one byte per read", func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) }, int64(len(text)), nil},
		{"data and EOF together", func() io.Reader { return iotest.DataErrReader(strings.NewReader(text)) }, int64(len(text)), nil},
		{"error while reading", func() io.Reader { return io.MultiReader(strings.NewReader(text), iotest.ErrReader(boom)) }, int64(len(text)), boom},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantErr := io.ReadAll(c.r())
			got, err := readAll(c.r(), c.size)
			if !errors.Is(err, c.err) || !errors.Is(wantErr, c.err) {
				t.Fatalf("err = %v (io.ReadAll: %v), want %v", err, wantErr, c.err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("read %d bytes, io.ReadAll %d", len(got), len(want))
			}
		})
	}
}
