package lspwire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// pipe is a connection whose input is fixed and whose output is kept.
type pipe struct {
	io.Reader
	out bytes.Buffer
}

func (p *pipe) Write(b []byte) (int, error) { return p.out.Write(b) }
func (p *pipe) Close() error                { return nil }

func frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

const request = `{"jsonrpc":"2.0","id":1,"method":"shutdown"}`

type reply struct {
	ID    json.RawMessage `json:"id"`
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

var header = regexp.MustCompile(`^Content-Length: (\d+)\r\n\r\n`)

// replies parses what the stream wrote back.
func replies(t *testing.T, out []byte) []reply {
	t.Helper()
	var rs []reply
	for len(out) > 0 {
		m := header.FindSubmatch(out)
		if m == nil {
			t.Fatalf("the stream wrote something that is not a frame: %q", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		out = out[len(m[0]):]
		var r reply
		if err := json.Unmarshal(out[:n], &r); err != nil {
			t.Fatalf("reply %q: %v", out[:n], err)
		}
		rs = append(rs, r)
		out = out[n:]
	}
	return rs
}

// readAll reads frames until the input ends.
func readAll(t *testing.T, in string) (frames []string, rs []reply, s *stream) {
	t.Helper()
	p := &pipe{Reader: strings.NewReader(in)}
	s = NewStream(p, nil).(*stream)
	for {
		f, _, err := s.ReadFrame(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("ReadFrame: %v", err)
		}
		frames = append(frames, string(f))
	}
	return frames, replies(t, p.out.Bytes()), s
}

// TestLimits: each header the stream refuses gets one ParseError that says
// what was wrong, and the frame after it is served.
func TestLimits(t *testing.T) {
	long := strings.Repeat("a", 100<<10)
	cases := []struct {
		name, in string
		errs     []string // the messages of the ParseErrors, in order
	}{
		{"a header line past 64 KB", "X-Junk: " + long + "\r\n\r\n" + frame(request),
			[]string{"a message header line is longer than 64 KB"}},
		{"a line past 64 KB without a line break, then a frame", long + frame(request),
			[]string{"a message header line is longer than 64 KB"}},
		{"a header line of exactly 64 KB", "X-Pad: " + strings.Repeat("b", MaxHeaderLine-len("X-Pad: \r\n")) + "\r\n" + frame(request),
			nil},
		{"a Content-Length past 64 MB", "Content-Length: 67108865\r\n\r\n{}" + frame(request),
			[]string{"Content-Length 67108865 is more than the 64 MB a message may have"}},
		{"a Content-Length past any integer", "Content-Length: 99999999999999999999\r\n\r\n" + frame(request),
			[]string{"Content-Length 99999999999999999999 is more than the 64 MB"}},
		{"two Content-Length headers that disagree", "Content-Length: 44\r\nContent-Length: 45\r\n\r\n" + request + " " + frame(request),
			[]string{"two Content-Length headers that disagree (44 and 45)"}},
		{"two Content-Length headers that agree", "Content-Length: 44\r\ncontent-length: 44\r\n\r\n" + request,
			nil},
		{"a negative Content-Length", "Content-Length: -5\r\n\r\n" + frame(request),
			[]string{`Content-Length "-5" is not a positive number`}},
		{"a zero Content-Length", "Content-Length: 0\r\n\r\n" + frame(request),
			[]string{`Content-Length "0" is not a positive number`}},
		{"no Content-Length", "Content-Type: application/vscode-jsonrpc\r\n\r\n" + frame(request),
			[]string{"the message header has no Content-Length"}},
		{"a line without a colon", "hello\r\n" + frame(request),
			[]string{`malformed message header line "hello"`}},
		// After a refused header the stream skips to the next
		// "Content-Length:", here split across two reads of 64 KB.
		{"the next header straddles two 64 KB reads", "Content-Length: 67108865\r\n\r\n" + strings.Repeat("z", MaxHeaderLine-6) + frame(request),
			[]string{"is more than the 64 MB"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			frames, rs, _ := readAll(t, tc.in)
			if len(frames) != 1 || frames[0] != request {
				t.Errorf("served %q, want the one request", frames)
			}
			if len(rs) != len(tc.errs) {
				t.Fatalf("replies %+v, want %d", rs, len(tc.errs))
			}
			for i, r := range rs {
				if r.Error.Code != -32700 || string(r.ID) != "null" || !strings.Contains(r.Error.Message, tc.errs[i]) {
					t.Errorf("reply %d: id %s, error %d %q; want a ParseError, id null, saying %q", i, r.ID, r.Error.Code, r.Error.Message, tc.errs[i])
				}
			}
		})
	}
}

// TestLargeBodyLeavesNoBuffer: after a message larger than keptFrame the
// stream keeps no buffer of its size, and both messages arrive intact.
func TestLargeBodyLeavesNoBuffer(t *testing.T) {
	big := `{"jsonrpc":"2.0","method":"x","params":"` + strings.Repeat("p", 8<<20) + `"}`
	frames, rs, s := readAll(t, frame(big)+frame(request))
	if len(rs) != 0 || len(frames) != 2 || frames[0] != big || frames[1] != request {
		t.Fatalf("served %d frames (first %d bytes), replies %+v; want the large message and the request", len(frames), len(frames[0]), rs)
	}
	if c := cap(s.buf); c > keptFrame {
		t.Errorf("the stream keeps a buffer of %d bytes after the large message, want at most %d", c, keptFrame)
	}
}

// TestLengthIsNotAllocatedUpFront: a header that names 64 MB makes the
// stream allocate as the bytes arrive, not what the header says.
func TestLengthIsNotAllocatedUpFront(t *testing.T) {
	p := &pipe{Reader: strings.NewReader("Content-Length: 67108864\r\n\r\n{\"jsonrpc\"")}
	s := NewStream(p, nil).(*stream)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := s.ReadFrame(context.Background())
	runtime.ReadMemStats(&after)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a body cut short: %v, want io.ErrUnexpectedEOF", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("reading 10 bytes of a 64 MB message allocated %d bytes", got)
	}
	if p.out.Len() != 0 {
		t.Errorf("a Content-Length of exactly 64 MB was refused: %q", p.out.String())
	}
}
