// Package ai writes spec sections with a large language model through any
// OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, llama.cpp
// server, vLLM). It builds the prompt from the template and the feature's
// documents, validates the answer and re-checks it with the engine before
// anything is written. The editor server and `specls generate` share it.
//
// The API key is read from the environment variable the configuration
// names; it is sent to the endpoint and nowhere else: never logged, never
// part of an error or a message.
package ai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/specls/specls/config"
)

// Defaults for the settings .specls.yaml may leave out.
const (
	DefaultTimeout    = 60 * time.Second
	DefaultMaxRetries = 3
	// DefaultAzureAPIVersion is the Azure OpenAI REST API version used
	// when ai.api-version is not set.
	DefaultAzureAPIVersion = "2024-10-21"
)

// backoff bounds: the first retry waits about baseDelay, doubling up to
// maxDelay; a Retry-After longer than maxRetryAfter is not waited for.
const (
	baseDelay     = time.Second
	maxDelay      = 20 * time.Second
	maxRetryAfter = 2 * time.Minute
)

// Prompt is one request to the model.
type Prompt struct {
	System string
	User   string
}

// Progress reports how a request is going, for a progress bar.
type Progress struct {
	Attempt int // 1 for the first try
	Chunks  int // streamed chunks with text so far
	// Tokens is the endpoint's own count of answer tokens, when it sends
	// one (stream usage); 0 otherwise.
	Tokens int
	Chars  int // characters of answer so far
	// Retry is how long the client waits before the next attempt; zero
	// while a request runs. Status is the HTTP status that caused it.
	Retry  time.Duration
	Status int
}

// Message is a one-line summary of p.
func (p Progress) Message() string {
	switch {
	case p.Retry > 0:
		return fmt.Sprintf("endpoint answered %d; retrying in %s (attempt %d)", p.Status, p.Retry.Round(100*time.Millisecond), p.Attempt+1)
	case p.Tokens > 0:
		return fmt.Sprintf("received %d tokens", p.Tokens)
	case p.Chunks > 0:
		return fmt.Sprintf("received %d chunks (%d characters)", p.Chunks, p.Chars)
	}
	return "waiting for the model"
}

// Completer answers a prompt; Client is the real one.
type Completer interface {
	Complete(ctx context.Context, p Prompt, progress func(Progress)) (string, error)
}

// Client talks to one OpenAI-compatible endpoint.
type Client struct {
	api        *openai.Client
	model      string
	baseURL    string
	keyEnv     string
	hasKey     bool
	timeout    time.Duration
	maxRetries int
	stream     bool
	temp       float32
	log        *slog.Logger
	redact     func(string) string
	// sleep waits between attempts; tests replace it to see the delays.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*options)

type options struct {
	getenv func(string) string
	logger *slog.Logger
}

// WithLogger logs through l (debug: requests; info: retries; warn:
// failures). The API key is redacted from everything logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// NewClient builds a client from the ai section of .specls.yaml.
func NewClient(cfg config.AI, opts ...Option) (*Client, error) {
	o := options{getenv: os.Getenv, logger: slog.Default()}
	for _, f := range opts {
		f(&o)
	}
	if !cfg.Enabled() {
		return nil, &Error{Kind: KindNotConfigured, msg: NotConfiguredHint}
	}
	key := ""
	if cfg.APIKeyEnv != "" {
		key = strings.TrimSpace(o.getenv(cfg.APIKeyEnv))
		if key == "" {
			return nil, &Error{Kind: KindNotConfigured, msg: fmt.Sprintf("ai.api-key-env names %s, which is not set in specls's environment; export it where the editor or specls starts", cfg.APIKeyEnv)}
		}
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	var oc openai.ClientConfig
	if cfg.Provider == "azure" {
		if key == "" {
			return nil, &Error{Kind: KindNotConfigured, msg: "ai.provider azure needs an API key: set ai.api-key-env to the variable holding it"}
		}
		oc = openai.DefaultAzureConfig(key, base)
		oc.APIVersion = DefaultAzureAPIVersion
		// In Azure the model is the deployment name; use it as written.
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(key)
		oc.BaseURL = base
	}
	if cfg.APIVersion != "" {
		oc.APIVersion = cfg.APIVersion
	}
	wrapped := http.Client{Transport: &transport{base: http.DefaultTransport}}
	// A redirect would carry the key (Azure's api-key header, which Go does
	// not strip) to another address: follow none.
	wrapped.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		return &redirectError{to: r.URL.Redacted()}
	}
	oc.HTTPClient = &wrapped

	c := &Client{
		api:        openai.NewClientWithConfig(oc),
		model:      cfg.Model,
		baseURL:    base,
		keyEnv:     cfg.APIKeyEnv,
		hasKey:     key != "",
		timeout:    cfg.Timeout.Duration,
		maxRetries: DefaultMaxRetries,
		stream:     true,
		redact:     redactor(key),
		sleep:      sleepCtx,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if cfg.MaxRetries != nil {
		c.maxRetries = max(0, *cfg.MaxRetries)
	}
	if cfg.Stream != nil {
		c.stream = *cfg.Stream
	}
	if cfg.Temperature != nil {
		c.temp = *cfg.Temperature
	}
	c.log = slog.New(&redactHandler{inner: o.logger.Handler(), redact: c.redact}).With("component", "ai")
	return c, nil
}

// NotConfiguredHint says in one line how to configure an endpoint.
const NotConfiguredHint = "no AI endpoint is configured: set ai.base-url and ai.model in .specls.yaml (see docs/ai.md)"

// Complete sends p and returns the whole answer. It retries on 429 and 5xx
// answers, waiting as Retry-After asks or with exponential backoff; it
// streams when configured to, calling progress for each chunk. On any
// error no partial answer is returned.
func (c *Client) Complete(ctx context.Context, p Prompt, progress func(Progress)) (string, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	req := openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: p.System},
			{Role: openai.ChatMessageRoleUser, Content: p.User},
		},
		Temperature: c.temp,
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		c.log.Debug("ai request", "endpoint", c.baseURL, "model", c.model, "attempt", attempt, "stream", c.stream)
		progress(Progress{Attempt: attempt})
		info := &attemptInfo{stream: c.stream}
		var (
			text   string
			tokens int
			err    error
		)
		if c.stream {
			text, tokens, err = c.streamOnce(ctx, req, info, attempt, progress)
		} else {
			text, err = c.once(ctx, req, info)
		}
		if err == nil {
			c.log.Debug("ai answer", "chars", len(text), "chunks", tokens, "attempts", attempt, "elapsed", time.Since(start).Round(time.Millisecond))
			// A model that echoes the key must not get it written into a spec.
			return c.redact(text), nil
		}
		e := c.classify(ctx, err, info)
		if !e.retryable() || attempt > c.maxRetries {
			if e.retryable() && c.maxRetries > 0 {
				e.msg += fmt.Sprintf(" (gave up after %d retries)", c.maxRetries)
			}
			c.log.Warn("ai request failed", "endpoint", c.baseURL, "model", c.model, "attempt", attempt, "error", e.msg)
			return "", e
		}
		wait := backoff(attempt)
		if ra, ok := info.retryAfter(time.Now()); ok {
			if ra > maxRetryAfter {
				e.msg += fmt.Sprintf("; it asks to retry after %s, which is longer than specls waits", ra.Round(time.Second))
				c.log.Warn("ai request failed", "endpoint", c.baseURL, "status", e.Status, "retry-after", ra)
				return "", e
			}
			wait = ra
		}
		c.log.Info("ai retry", "endpoint", c.baseURL, "status", e.Status, "attempt", attempt, "wait", wait, "error", e.msg)
		progress(Progress{Attempt: attempt, Retry: wait, Status: e.Status})
		if err := c.sleep(ctx, wait); err != nil {
			return "", &Error{Kind: KindCanceled, msg: "generation cancelled"}
		}
	}
}

// errTimeout is the cancellation cause when ai.timeout runs out.
var errTimeout = errors.New("ai timeout")

// once makes one non-streaming request.
func (c *Client) once(ctx context.Context, req openai.ChatCompletionRequest, info *attemptInfo) (string, error) {
	actx, cancel := context.WithCancelCause(context.WithValue(ctx, attemptKey{}, info))
	defer cancel(nil)
	timer := time.AfterFunc(c.timeout, func() { cancel(errTimeout) })
	defer timer.Stop()
	resp, err := c.api.CreateChatCompletion(actx, req)
	if err != nil {
		return "", c.attemptErr(actx, err)
	}
	if len(resp.Choices) == 0 {
		return "", &Error{Kind: KindEmpty, msg: "the model returned no answer (no choices)"}
	}
	ch := resp.Choices[0]
	if err := finishErr(string(ch.FinishReason)); err != nil {
		return "", err
	}
	return ch.Message.Content, nil
}

// streamOnce makes one streaming request. ai.timeout bounds the wait for
// the first chunk and every gap between chunks, so a slow but steady model
// is not cut off.
func (c *Client) streamOnce(ctx context.Context, req openai.ChatCompletionRequest, info *attemptInfo, attempt int, progress func(Progress)) (string, int, error) {
	actx, cancel := context.WithCancelCause(context.WithValue(ctx, attemptKey{}, info))
	defer cancel(nil)
	timer := time.AfterFunc(c.timeout, func() { cancel(errTimeout) })
	defer timer.Stop()
	stream, err := c.api.CreateChatCompletionStream(actx, req)
	if err != nil {
		return "", 0, c.attemptErr(actx, err)
	}
	defer stream.Close()
	var sb strings.Builder
	chunks, tokens := 0, 0
	finish := ""
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) && actx.Err() == nil {
			break
		}
		if err != nil && info.notStream == "" {
			return "", tokens, c.attemptErr(actx, err)
		}
		if err != nil {
			break // reported below, with what came instead of a stream
		}
		timer.Reset(c.timeout)
		for _, ch := range resp.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.Delta.Content != "" {
				sb.WriteString(ch.Delta.Content)
				chunks++
			}
			if ch.FinishReason != "" {
				finish = string(ch.FinishReason)
			}
		}
		if resp.Usage != nil && resp.Usage.CompletionTokens > 0 {
			tokens = resp.Usage.CompletionTokens
		}
		progress(Progress{Attempt: attempt, Chunks: chunks, Tokens: tokens, Chars: sb.Len()})
	}
	if info.notStream != "" {
		return "", tokens, &Error{Kind: KindBadResponse, msg: fmt.Sprintf("the AI endpoint %s answered with %s, not an event stream, although ai.stream is true; it may not support streaming: set ai.stream: false (or check ai.base-url, if that is a web page)", c.baseURL, info.notStream)}
	}
	if err := finishErr(finish); err != nil {
		return "", tokens, err
	}
	if finish == "" && !info.done.Load() {
		return "", tokens, &Error{Kind: KindBadResponse, msg: "the answer's stream ended before the model finished (no finish reason, no [DONE]); nothing was written"}
	}
	return sb.String(), tokens, nil
}

// finishErr turns a finish reason that means "not a whole answer" into an
// error.
func finishErr(reason string) error {
	switch reason {
	case "length":
		return &Error{Kind: KindTruncated, msg: "the answer was cut off at the model's length limit (finish reason \"length\"); use a model with a larger output limit"}
	case "content_filter":
		return &Error{Kind: KindRefused, msg: "the endpoint's content filter stopped the answer"}
	}
	return nil
}

// attemptErr names why an attempt's context ended, when it did: the
// timeout, or the caller's cancellation.
func (c *Client) attemptErr(actx context.Context, err error) error {
	if context.Cause(actx) == errTimeout {
		return &Error{Kind: KindTimeout, msg: fmt.Sprintf("the AI endpoint %s sent nothing for %s (ai.timeout); raise ai.timeout for slow models", c.baseURL, c.timeout)}
	}
	return err
}

// ErrorKind classifies a failure so callers can word their message and
// decide whether to offer a retry.
type ErrorKind int

const (
	KindNotConfigured ErrorKind = iota + 1
	KindUnreachable
	KindUnauthorized
	KindUnknownModel
	KindRateLimited
	KindServer
	KindRejected // another 4xx
	KindTimeout
	KindCanceled
	KindBadResponse // the answer could not be read
	KindTruncated
	KindRefused
	KindEmpty
	KindInvalid // the answer is not the section asked for
	KindChanged // the document changed where the answer was to go
)

// Error is a failed generation. Its message is what the user reads: it
// says what went wrong and what to do, and never holds the API key.
type Error struct {
	Kind   ErrorKind
	Status int // the HTTP status, when there was one
	msg    string
}

func (e *Error) Error() string { return e.msg }

// Is lets errors.Is(err, context.Canceled) and errors.Is(err,
// context.DeadlineExceeded) recognise cancellation and timeouts.
func (e *Error) Is(target error) bool {
	switch target {
	case context.Canceled:
		return e.Kind == KindCanceled
	case context.DeadlineExceeded:
		return e.Kind == KindTimeout
	}
	return false
}

func (e *Error) retryable() bool { return e.Kind == KindRateLimited || e.Kind == KindServer }

// Retryable reports whether trying again later may succeed.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindRateLimited, KindServer, KindTimeout, KindUnreachable, KindBadResponse, KindTruncated, KindEmpty, KindInvalid, KindChanged:
		return true
	}
	return false
}

// classify turns an error from go-openai or the network into an *Error
// with a message for the user, the key redacted.
func (c *Client) classify(ctx context.Context, err error, info *attemptInfo) *Error {
	var e *Error
	if errors.As(err, &e) {
		e.msg = c.redact(e.msg)
		return e
	}
	if ctx.Err() != nil {
		return &Error{Kind: KindCanceled, msg: "generation cancelled"}
	}
	status, detail := 0, ""
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status, detail = apiErr.HTTPStatusCode, apiErr.Message
		if code, ok := apiErr.Code.(string); ok && code == "model_not_found" && status == 0 {
			status = http.StatusNotFound
		}
		if status == 0 {
			// An error event inside a stream: the request was accepted.
			return &Error{Kind: KindBadResponse, msg: "the AI endpoint reported an error while answering: " + short(c.redact(detail))}
		}
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
		detail = string(reqErr.Body)
		if apiErr, ok := reqErr.Err.(*openai.APIError); ok && apiErr.Message != "" {
			detail = apiErr.Message
		}
	}
	if status == 0 && info.status >= 400 {
		status = info.status
	}
	// Redact before shortening: a cut through the key would leave a
	// fragment that whole-key redaction no longer finds.
	detail = short(c.redact(detail))
	statusText := fmt.Sprintf("%d %s", status, http.StatusText(status))
	withDetail := func(s string) string {
		if detail != "" {
			s += ": " + detail
		}
		return s
	}
	var out *Error
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		msg := withDetail(fmt.Sprintf("the AI endpoint %s refused the API key (%s)", c.baseURL, statusText))
		if c.hasKey {
			msg += fmt.Sprintf("; check the key in $%s", c.keyEnv)
		} else {
			msg += "; it needs a key: set ai.api-key-env to the environment variable holding it"
		}
		out = &Error{Kind: KindUnauthorized, msg: msg}
	case status == http.StatusNotFound && mentionsModel(detail):
		out = &Error{Kind: KindUnknownModel, msg: withDetail(fmt.Sprintf("the AI endpoint does not serve the model %q (%s)", c.model, statusText)) + "; set ai.model to a model it serves"}
	case status == http.StatusNotFound:
		out = &Error{Kind: KindRejected, msg: withDetail(fmt.Sprintf("the AI endpoint has no chat completions API under %s (%s)", c.baseURL, statusText)) + "; check ai.base-url (for most servers it ends in /v1)"}
	case status == http.StatusTooManyRequests:
		out = &Error{Kind: KindRateLimited, msg: withDetail(fmt.Sprintf("the AI endpoint is rate limiting requests (%s)", statusText))}
	case status >= 500:
		out = &Error{Kind: KindServer, msg: withDetail(fmt.Sprintf("the AI endpoint failed (%s)", statusText))}
	case status >= 400:
		kind := KindRejected
		if mentionsModel(detail) && strings.Contains(strings.ToLower(detail), "not") {
			kind = KindUnknownModel
		}
		out = &Error{Kind: kind, msg: withDetail(fmt.Sprintf("the AI endpoint rejected the request (%s)", statusText))}
	case status != 0:
		out = &Error{Kind: KindBadResponse, msg: withDetail(fmt.Sprintf("the AI endpoint answered %s", statusText))}
	default:
		out = c.transportError(err)
	}
	out.Status = status
	out.msg = c.redact(out.msg)
	return out
}

// redirectError refuses a redirect.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "redirect to " + e.to }

// transportError words an error that came without an HTTP status.
func (c *Client) transportError(err error) *Error {
	var re *redirectError
	if errors.As(err, &re) {
		return &Error{Kind: KindRejected, msg: fmt.Sprintf("the AI endpoint %s redirects to %s; specls follows no redirects, so that the API key goes to ai.base-url only: set ai.base-url to the final address", c.baseURL, re.to)}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return &Error{Kind: KindUnreachable, msg: fmt.Sprintf("cannot reach the AI endpoint %s (%v); is the server running, and is ai.base-url right?", c.baseURL, opErr.Err)}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return &Error{Kind: KindUnreachable, msg: fmt.Sprintf("cannot reach the AI endpoint %s (%v); check ai.base-url", c.baseURL, dnsErr)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Kind: KindBadResponse, msg: fmt.Sprintf("the AI endpoint %s closed the connection before the answer was complete; nothing was written", c.baseURL)}
	}
	return &Error{Kind: KindBadResponse, msg: fmt.Sprintf("the AI endpoint %s sent an answer specls cannot read (%s); check that ai.base-url points at an OpenAI-compatible API", c.baseURL, short(c.redact(err.Error())))}
}

func mentionsModel(s string) bool { return strings.Contains(strings.ToLower(s), "model") }

// short collapses white space and cuts s to a length fit for one line.
func short(s string) string {
	s = strings.TrimRight(strings.Join(strings.Fields(s), " "), ".")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// backoff is the wait before retry n (1-based) without a Retry-After:
// doubling from baseDelay, capped, with ±20% jitter so that clients do not
// retry in step.
func backoff(n int) time.Duration {
	d := baseDelay << min(n-1, 10)
	d = min(d, maxDelay)
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseRetryAfter reads a Retry-After value: seconds (integer or decimal)
// or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}
