package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"go.lsp.dev/jsonrpc2"
)

// frameStream is the part of jsonrpc2's header stream that reads and writes
// raw frames.
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
	in     *bufio.Reader
	buf    []byte
	resync bool // skip input up to the next Content-Length header
	log    *slog.Logger
}

func newStream(rwc io.ReadWriteCloser, log *slog.Logger) jsonrpc2.Stream {
	inner := jsonrpc2.NewHeaderStream(rwc)
	fs, ok := inner.(frameStream)
	if !ok {
		return inner
	}
	return &stream{frameStream: fs, in: bufio.NewReader(rwc), log: log}
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
// ones it cannot.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, header, err := s.readHeader()
		if errors.Is(err, errHeader) {
			s.reject(ctx, nil, jsonrpc2.NewError(jsonrpc2.ParseError, "specls: malformed message header (want Content-Length: N, a blank line, then N bytes of JSON)"))
			s.resync = true
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if cap(s.buf) < length {
			s.buf = make([]byte, length)
		}
		frame := s.buf[:length]
		if _, err := io.ReadFull(s.in, frame); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
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

// errHeader is a header block that is not "Content-Length: N" and a blank line.
var errHeader = errors.New("malformed message header")

// maxContentLength bounds what one frame may make the server allocate.
const maxContentLength = 1 << 30

// readHeader reads a header block and returns the Content-Length and the
// bytes the header took. When resync is set it first skips everything up
// to the next "Content-Length:", wherever it starts: after a wrong length
// the rest of the broken frame runs into the next header line.
func (s *stream) readHeader() (length, consumed int, err error) {
	have := false
	for {
		line, err := s.in.ReadBytes('\n')
		consumed += len(line)
		if err != nil {
			if err == io.EOF && consumed > 0 {
				err = io.ErrUnexpectedEOF
			}
			return 0, 0, err
		}
		if s.resync {
			i := bytes.Index(bytes.ToLower(line), []byte("content-length:"))
			if i < 0 {
				continue
			}
			line, s.resync = line[i:], false
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, consumed, errHeader
		}
		if strings.EqualFold(string(bytes.TrimSpace(name)), "content-length") {
			n, err := strconv.Atoi(string(bytes.TrimSpace(value)))
			if err != nil || n <= 0 || n > maxContentLength {
				return 0, consumed, errHeader
			}
			length, have = n, true
		}
	}
	if !have {
		return 0, consumed, errHeader
	}
	return length, consumed, nil
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
