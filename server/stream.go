package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

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
type stream struct {
	frameStream
	log *slog.Logger
}

func newStream(inner jsonrpc2.Stream, log *slog.Logger) jsonrpc2.Stream {
	fs, ok := inner.(frameStream)
	if !ok {
		return inner
	}
	return &stream{frameStream: fs, log: log}
}

// ReadFrame returns the next frame that jsonrpc2 can decode, answering the
// ones it cannot.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		frame, n, err := s.frameStream.ReadFrame(ctx)
		if errors.Is(err, jsonrpc2.ErrInvalidHeader) {
			// The header block was consumed up to the point of the error;
			// the next read starts at the following line.
			s.reject(ctx, nil, jsonrpc2.NewError(jsonrpc2.ParseError, "specls: malformed message header (want Content-Length: N, a blank line, then N bytes of JSON)"))
			continue
		}
		if err != nil {
			return frame, n, err
		}
		if first := firstByte(frame); first == '[' {
			return frame, n, nil // a batch: jsonrpc2 answers each member
		}
		if _, derr := jsonrpc2.DecodeMessage(frame); derr != nil {
			var werr *jsonrpc2.Error
			if !errors.As(derr, &werr) {
				werr = jsonrpc2.NewError(jsonrpc2.ParseError, derr.Error())
			}
			msg := "specls: the message is not valid JSON"
			if werr.Code == jsonrpc2.InvalidRequest {
				msg = "specls: the message is not a JSON-RPC 2.0 request, notification or response"
			}
			s.reject(ctx, idOf(frame), jsonrpc2.NewError(werr.Code, msg))
			continue
		}
		return frame, n, nil
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
