package ai

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
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
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body = &doneWatcher{ReadCloser: resp.Body, info: info, atLineStart: true}
	}
	return resp, nil
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

// redactor returns a function that replaces every occurrence of key in a
// string; with no key it returns the string unchanged.
func redactor(key string) func(string) string {
	if key == "" {
		return func(s string) string { return s }
	}
	return func(s string) string { return strings.ReplaceAll(s, key, "[REDACTED]") }
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
