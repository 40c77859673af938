package lspwire

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"

	"go.lsp.dev/jsonrpc2"
)

// Limits of one frame. What a client sends past them is answered with a
// ParseError that names the limit, and the stream reads on at the next
// header.
const (
	// MaxHeaderLine bounds one header line, its line break included.
	MaxHeaderLine = 64 << 10
	// MaxContentLength bounds one message body. A spec of this size is far
	// beyond what an author writes; the bound keeps one header from making
	// the server allocate whatever it names.
	MaxContentLength = 64 << 20
	// keptFrame is the largest frame buffer kept for the next message. A
	// larger body gets a buffer of its own that is dropped once the message
	// is handled, so one large message does not pin its size for the rest
	// of the session.
	keptFrame = 1 << 20
)

// frameStream is the part of jsonrpc2's header stream that reads and writes
// raw frames (jsonrpc2 uses it for batches).
type frameStream interface {
	jsonrpc2.Stream
	ReadFrame(ctx context.Context) ([]byte, int64, error)
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// stream keeps serving after a malformed message. jsonrpc2 ends the
// connection when a frame is not JSON or not a JSON-RPC message; stream
// answers such a frame with a ParseError or InvalidRequest response (id
// null, or the request's id when it can be read) and reads the next one.
// It reads frames itself, so that after a broken header or a wrong
// Content-Length (the frame boundary is lost) it skips to the next
// "Content-Length:" and serves the frames after it. Writes go through
// jsonrpc2's header stream.
type stream struct {
	frameStream
	in     *bufio.Reader // sized MaxHeaderLine: a longer line fills it
	buf    []byte        // the frame buffer, reused for bodies up to keptFrame
	line   []byte        // scratch for a header line found while resynchronising
	resync bool          // skip input up to the next Content-Length header
	log    *slog.Logger
}

// NewStream returns the stream of a specls connection over rwc: jsonrpc2's
// header framing, with the limits above and recovery from malformed
// frames. Problems are logged to log.
func NewStream(rwc io.ReadWriteCloser, log *slog.Logger) jsonrpc2.Stream {
	inner := jsonrpc2.NewHeaderStream(rwc)
	fs, ok := inner.(frameStream)
	if !ok {
		// Only a jsonrpc2 other than the pinned v1.0.x gets here.
		panic("lspwire: jsonrpc2's header stream has no frame access")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &stream{frameStream: fs, in: bufio.NewReaderSize(rwc, MaxHeaderLine), log: log}
}

// Read decodes the next frame that is a message.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	frame, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(frame)
	return msg, n, err
}

// ReadFrame returns the next frame that jsonrpc2 can decode, answering the
// ones it cannot. The frame is valid until the next call.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, header, err := s.readHeader()
		var herr headerError
		if errors.As(err, &herr) {
			s.reject(ctx, nil, jsonrpc2.NewError(jsonrpc2.ParseError, herr.Error()))
			s.resync = true
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		frame, err := s.readBody(length)
		if err != nil {
			return nil, 0, err
		}
		n := int64(header + length)
		if !json.Valid(frame) {
			// Not JSON: the body is broken or the Content-Length was wrong
			// and the frame boundary is lost.
			s.reject(ctx, nil, jsonrpc2.NewError(jsonrpc2.ParseError, "specls: the message is not valid JSON"))
			s.resync = true
			continue
		}
		if firstByte(frame) == '[' {
			return frame, n, nil // a batch: jsonrpc2 answers each member
		}
		if _, derr := jsonrpc2.DecodeMessage(frame); derr != nil {
			s.reject(ctx, idOf(frame), jsonrpc2.NewError(jsonrpc2.InvalidRequest, "specls: the message is not a JSON-RPC 2.0 request, notification or response"))
			continue
		}
		return frame, n, nil
	}
}

// readBody reads a body of n bytes. Up to keptFrame it fills the kept
// buffer; a larger body grows its own buffer as its bytes arrive, so a
// header that names a large length costs nothing until the bytes come.
func (s *stream) readBody(n int) ([]byte, error) {
	if n <= keptFrame {
		if cap(s.buf) < n {
			s.buf = make([]byte, n)
		}
		body := s.buf[:n]
		if _, err := io.ReadFull(s.in, body); err != nil {
			return nil, unexpected(err)
		}
		return body, nil
	}
	body := make([]byte, 0, keptFrame)
	for len(body) < n {
		if len(body) == cap(body) {
			body = slices.Grow(body, min(cap(body), n-len(body))) // doubling, up to n
		}
		m, err := s.in.Read(body[len(body):min(cap(body), n)])
		body = body[:len(body)+m]
		if err != nil && len(body) < n {
			return nil, unexpected(err)
		}
	}
	return body, nil
}

// unexpected is err, where the stream ending inside a frame is
// io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// headerError is a header block that is not "Content-Length: N" and a blank
// line, or one past the limits. It is the message the client gets.
type headerError string

func (e headerError) Error() string { return string(e) }

const wantHeader = "(want Content-Length: N, a blank line, then N bytes of JSON)"

var errLineTooLong = headerError(fmt.Sprintf("specls: a message header line is longer than %d KB; skipped to the next message", MaxHeaderLine>>10))

// readHeader reads a header block and returns the Content-Length and the
// bytes the header took.
func (s *stream) readHeader() (length, consumed int, err error) {
	have := false
	for {
		var line []byte
		var n int
		if s.resync {
			line, n, err = s.skipToHeader()
		} else {
			line, n, err = s.readLine()
		}
		consumed += n
		if err != nil {
			if err == io.EOF && consumed > 0 {
				err = io.ErrUnexpectedEOF
			}
			return 0, consumed, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := cut(line, ':')
		if !ok {
			return 0, consumed, headerError(fmt.Sprintf("specls: malformed message header line %q %s", clip(line), wantHeader))
		}
		if !equalFold(trimSpace(name), "content-length") {
			continue
		}
		value = trimSpace(value)
		v, perr := strconv.ParseUint(string(value), 10, 64)
		switch {
		case errors.Is(perr, strconv.ErrRange) || perr == nil && v > MaxContentLength:
			return 0, consumed, headerError(fmt.Sprintf("specls: Content-Length %s is more than the %d MB a message may have", clip(value), MaxContentLength>>20))
		case perr != nil || v == 0:
			return 0, consumed, headerError(fmt.Sprintf("specls: Content-Length %q is not a positive number %s", clip(value), wantHeader))
		case have && int(v) != length:
			return 0, consumed, headerError(fmt.Sprintf("specls: the message header has two Content-Length headers that disagree (%d and %d)", length, v))
		}
		length, have = int(v), true
	}
	if !have {
		return 0, consumed, headerError("specls: the message header has no Content-Length " + wantHeader)
	}
	return length, consumed, nil
}

// readLine returns the next header line without its line break, and the
// bytes it took. A line longer than MaxHeaderLine is errLineTooLong; the
// rest of it is left for the resynchronisation to skip.
func (s *stream) readLine() ([]byte, int, error) {
	line, err := s.in.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, len(line), errLineTooLong
	}
	if err != nil {
		return nil, len(line), err
	}
	return trimEOL(line), len(line), nil
}

const lengthName = "content-length:"

// skipToHeader discards input up to the next "Content-Length:" (in any
// case), wherever it starts: after a wrong length the rest of the broken
// frame runs into the next header line. It returns the header line from
// there, and the bytes it read. Memory stays within two header lines
// however long the skipped input is.
func (s *stream) skipToHeader() ([]byte, int, error) {
	consumed := 0
	hay := s.line[:0]
	for {
		chunk, err := s.in.ReadSlice('\n')
		consumed += len(chunk)
		if err != nil && err != bufio.ErrBufferFull {
			return nil, consumed, err
		}
		// Keep the end of the previous chunk: the name may straddle the
		// two chunks of a long line.
		hay = append(hay[:0], hay[max(0, len(hay)-len(lengthName)+1):]...)
		hay = append(hay, chunk...)
		s.line = hay
		i := indexFold(hay, lengthName)
		if i < 0 {
			continue
		}
		s.resync = false
		line := hay[i:]
		for err == bufio.ErrBufferFull { // the header line goes on past this chunk
			if len(line) >= MaxHeaderLine {
				return nil, consumed, errLineTooLong
			}
			chunk, err = s.in.ReadSlice('\n')
			consumed += len(chunk)
			line = append(line, chunk...)
		}
		if err != nil {
			return nil, consumed, err
		}
		return trimEOL(line), consumed, nil
	}
}

// reject answers a malformed frame.
func (s *stream) reject(ctx context.Context, id *jsonrpc2.ID, e *jsonrpc2.Error) {
	s.log.Warn("malformed message", "err", e.Message)
	var rid jsonrpc2.ID
	if id != nil {
		rid = *id
	}
	if _, err := s.frameStream.Write(ctx, jsonrpc2.NewResponse(rid, nil, e)); err != nil {
		s.log.Warn("could not answer a malformed message", "err", err)
	}
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// idOf reads the "id" of a JSON object that is otherwise not a valid
// message, so that the error response names the request.
func idOf(frame []byte) *jsonrpc2.ID {
	var probe struct {
		ID any `json:"id"`
	}
	if err := json.Unmarshal(frame, &probe); err != nil {
		return nil
	}
	switch v := probe.ID.(type) {
	case float64:
		id := jsonrpc2.NewNumberID(int64(v))
		return &id
	case string:
		id := jsonrpc2.NewStringID(v)
		return &id
	}
	return nil
}

// Header bytes are ASCII: the helpers below fold ASCII letters only.

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether b is name (lower case) in any case.
func equalFold(b []byte, name string) bool {
	if len(b) != len(name) {
		return false
	}
	for i := range b {
		if lower(b[i]) != name[i] {
			return false
		}
	}
	return true
}

// indexFold is the index of name (lower case) in b in any case, or -1.
func indexFold(b []byte, name string) int {
	for i := 0; i+len(name) <= len(b); i++ {
		if lower(b[i]) == name[0] && equalFold(b[i:i+len(name)], name) {
			return i
		}
	}
	return -1
}

func cut(b []byte, sep byte) (before, after []byte, found bool) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// clip shortens what a client sent for an error message.
func clip(b []byte) string {
	const n = 40
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
