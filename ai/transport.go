package ai

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// go-openai's errors carry the status but not the response headers, so a
// transport wrapper records what the retry logic needs (Retry-After) and
// whether a stream ended with its "data: [DONE]" line, per attempt, in a
// value the attempt's context carries.

type attemptKey struct{}

// attemptInfo is what the transport saw of one attempt's response.
type attemptInfo struct {
	status       int
	retryAfterS  string // Retry-After
	retryAfterMS string // retry-after-ms (Azure OpenAI)
	done         atomic.Bool
	// stream is true when the attempt asked for an event stream;
	// notStream is the Content-Type of a 200 answer that was not one and
	// could not be read as a whole JSON reply either.
	stream    bool
	notStream string
}

// retryAfter returns the wait the endpoint asked for, if it asked.
func (a *attemptInfo) retryAfter(now time.Time) (time.Duration, bool) {
	if a.retryAfterMS != "" {
		if d, ok := parseRetryAfter(a.retryAfterMS, now); ok {
			return d / 1000, true // the value is in milliseconds
		}
	}
	return parseRetryAfter(a.retryAfterS, now)
}

type transport struct{ base http.RoundTripper }

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	info, _ := r.Context().Value(attemptKey{}).(*attemptInfo)
	if err != nil || info == nil {
		return resp, err
	}
	info.status = resp.StatusCode
	info.retryAfterS = resp.Header.Get("Retry-After")
	info.retryAfterMS = resp.Header.Get("retry-after-ms")
	ct := resp.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "text/event-stream"):
		resp.Body = &doneWatcher{ReadCloser: resp.Body, info: info, atLineStart: true}
	case info.stream && resp.StatusCode == http.StatusOK:
		// A server that ignores "stream": true answers with one JSON
		// reply; an HTML page is no answer at all.
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if sse, ok := asEventStream(body); ok {
			info.done.Store(true)
			resp.Body = io.NopCloser(bytes.NewReader(sse))
			resp.Header.Set("Content-Type", "text/event-stream")
			return resp, nil
		}
		info.notStream = ct
		if info.notStream == "" {
			info.notStream = "no Content-Type"
		}
		resp.Body = io.NopCloser(bytes.NewReader(nil))
	}
	return resp, nil
}

// maxReply caps a whole (non-streamed) reply read into memory.
const maxReply = 16 << 20

// asEventStream rewrites a whole chat completion reply as the event
// stream that would have carried it, so that it is read as a stream.
func asEventStream(body []byte) ([]byte, bool) {
	var r openai.ChatCompletionResponse
	if json.Unmarshal(body, &r) != nil || len(r.Choices) == 0 {
		return nil, false
	}
	ch := r.Choices[0]
	chunk := openai.ChatCompletionStreamResponse{ID: r.ID, Object: "chat.completion.chunk", Created: r.Created, Model: r.Model,
		Choices: []openai.ChatCompletionStreamChoice{{Index: 0, Delta: openai.ChatCompletionStreamChoiceDelta{Role: ch.Message.Role, Content: ch.Message.Content}, FinishReason: ch.FinishReason}}}
	b, err := json.Marshal(chunk)
	if err != nil {
		return nil, false
	}
	var out bytes.Buffer
	out.WriteString("data: ")
	out.Write(b)
	out.WriteString("\n\ndata: [DONE]\n\n")
	return out.Bytes(), true
}

// doneWatcher notes a "data: [DONE]" line in a server-sent event stream,
// which go-openai reports as the same io.EOF as a stream cut short.
type doneWatcher struct {
	io.ReadCloser
	info        *attemptInfo
	line        []byte // the start of the current line, up to 32 bytes
	atLineStart bool
}

func (w *doneWatcher) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	for _, b := range p[:n] {
		if b == '\n' || b == '\r' {
			if l := bytes.TrimSpace(w.line); bytes.HasPrefix(l, []byte("data:")) && string(bytes.TrimSpace(l[5:])) == "[DONE]" {
				w.info.done.Store(true)
			}
			w.line = w.line[:0]
			continue
		}
		if len(w.line) < 32 {
			w.line = append(w.line, b)
		}
	}
	if err == io.EOF {
		if l := bytes.TrimSpace(w.line); bytes.HasPrefix(l, []byte("data:")) && string(bytes.TrimSpace(l[5:])) == "[DONE]" {
			w.info.done.Store(true)
		}
	}
	return n, err
}

// minFragment is the shortest piece of the key that is redacted: a
// message cut at any point must not leak most of the key, and 8
// characters are too few to be mistaken for anything but the key.
const minFragment = 8

// redactor returns a function that replaces the key, and every fragment of
// it of minFragment bytes or more, with [REDACTED]; with no key it returns
// the string unchanged. A key shorter than minFragment is redacted whole.
func redactor(key string) func(string) string {
	if key == "" {
		return func(s string) string { return s }
	}
	if len(key) < minFragment {
		return func(s string) string { return strings.ReplaceAll(s, key, "[REDACTED]") }
	}
	// Every window of minFragment bytes of the key; any longer fragment is
	// a run of such windows, so marking the bytes each window covers marks
	// the whole fragment, in one pass over s.
	grams := make(map[string]bool, len(key)-minFragment+1)
	for i := 0; i+minFragment <= len(key); i++ {
		grams[key[i:i+minFragment]] = true
	}
	return func(s string) string {
		if len(s) < minFragment {
			return s
		}
		covered := -1 // s[:covered] is marked up to here
		var marks [][2]int
		for i := 0; i+minFragment <= len(s); i++ {
			if !grams[s[i:i+minFragment]] {
				continue
			}
			if n := len(marks); n > 0 && i <= covered {
				marks[n-1][1] = i + minFragment
			} else {
				marks = append(marks, [2]int{i, i + minFragment})
			}
			covered = i + minFragment
		}
		if len(marks) == 0 {
			return s
		}
		var sb strings.Builder
		last := 0
		for _, m := range marks {
			sb.WriteString(s[last:m[0]])
			sb.WriteString("[REDACTED]")
			last = m[1]
		}
		sb.WriteString(s[last:])
		return sb.String()
	}
}

// redactHandler removes the API key from every message and attribute
// before a record reaches the real handler: a second line of defence after
// never passing the key to the logger at all.
type redactHandler struct {
	inner  slog.Handler
	redact func(string) string
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.inner.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &redactHandler{inner: h.inner.WithAttrs(clean), redact: h.redact}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{inner: h.inner.WithGroup(name), redact: h.redact}
}

func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.redact(v.String()))
	case slog.KindGroup:
		as := v.Group()
		clean := make([]any, len(as))
		for i, g := range as {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.redact(err.Error()))
		}
		return slog.String(a.Key, h.redact(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
