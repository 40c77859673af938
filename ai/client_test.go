package ai

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/specls/specls/ai/aitest"
	"github.com/specls/specls/config"
)

// testKey is distinctive so that a leak anywhere is found by a substring
// search.
const (
	testKey    = "sk-specls-TEST-7f3a9c1e5b2d4f60-DO-NOT-LEAK"
	testKeyEnv = "SPECLS_TEST_AI_KEY"
)

// logBuffer collects log output; the client logs from one goroutine at a
// time, but the race detector should not have to take that on trust.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type testClient struct {
	*Client
	logs   *logBuffer
	sleeps []time.Duration
}

// newTestClient builds a client for base with the test key, debug logging
// into a buffer and sleeps recorded instead of waited.
func newTestClient(t *testing.T, base string, edit func(*config.AI)) *testClient {
	t.Helper()
	retries := 2
	cfg := config.AI{BaseURL: base, Model: "gpt-test", APIKeyEnv: testKeyEnv, MaxRetries: &retries}
	if edit != nil {
		edit(&cfg)
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(cfg, WithLogger(logger), WithGetenv(func(k string) string {
		if k == testKeyEnv {
			return testKey
		}
		return ""
	}))
	if err != nil {
		t.Fatal(err)
	}
	tc := &testClient{Client: c, logs: logs}
	c.sleep = func(ctx context.Context, d time.Duration) error {
		tc.sleeps = append(tc.sleeps, d)
		return ctx.Err()
	}
	return tc
}

func streamModes(t *testing.T, f func(t *testing.T, stream bool)) {
	for _, stream := range []bool{false, true} {
		name := "plain"
		if stream {
			name = "stream"
		}
		t.Run(name, func(t *testing.T) { f(t, stream) })
	}
}

func setStream(stream bool) func(*config.AI) {
	return func(c *config.AI) { c.Stream = &stream }
}

func TestCompleteSuccess(t *testing.T) {
	streamModes(t, func(t *testing.T, stream bool) {
		answer := "### Failure Impact Analysis\n\n- Mailer down: emails queue in Kafka 📨 and send on recovery.\n"
		s := aitest.New(t, aitest.Reply{Content: answer})
		s.Key = testKey
		c := newTestClient(t, s.URL, setStream(stream))
		var last Progress
		got, err := c.Complete(context.Background(), Prompt{System: "sys", User: "user"}, func(p Progress) { last = p })
		if err != nil {
			t.Fatalf("Complete: %v", err)
		}
		if got != answer {
			t.Errorf("answer = %q, want %q", got, answer)
		}
		reqs := s.Requests()
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		r := reqs[0]
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("Authorization header = %q, want the key from $%s", r.Header.Get("Authorization"), testKeyEnv)
		}
		if r.Body.Model != "gpt-test" || r.Body.Stream != stream || len(r.Body.Messages) != 2 || r.Body.Messages[1].Content != "user" {
			t.Errorf("request body = %+v", r.Body)
		}
		if stream && (last.Chunks == 0 || last.Chars != len(answer)) {
			t.Errorf("last progress = %+v, want chunks counted and %d chars", last, len(answer))
		}
		if strings.Contains(c.logs.String(), testKey) {
			t.Errorf("the API key appears in the log:\n%s", c.logs)
		}
	})
}

// TestCompleteFailures runs every failure the issue lists, in both modes,
// and checks that each ends with a clear message, no partial answer, and
// no trace of the API key in the error or the log.
func TestCompleteFailures(t *testing.T) {
	type tc struct {
		name     string
		replies  []aitest.Reply
		server   func(*aitest.Server)
		cfg      func(*config.AI)
		down     bool
		onlyMode string // "stream" or "plain" when the case needs one
		kind     ErrorKind
		msg      []string // substrings of the message
		requests int      // requests the server should see (0: do not check)
		sleeps   []time.Duration
	}
	hold := make(chan struct{}) // never closed: the endpoint hangs
	cases := []tc{
		{name: "endpoint down", down: true, kind: KindUnreachable, msg: []string{"cannot reach the AI endpoint", "connection refused", "ai.base-url"}},
		{name: "401", server: func(s *aitest.Server) { s.Key = "sk-other"; s.EchoKey = true }, kind: KindUnauthorized,
			msg: []string{"refused the API key", "401 Unauthorized", "$" + testKeyEnv}, requests: 1},
		{name: "unknown model", server: func(s *aitest.Server) { s.Models = []string{"llama3.1"} }, kind: KindUnknownModel,
			msg: []string{`model "gpt-test"`, "404 Not Found", "set ai.model"}, requests: 1},
		{name: "500 every time", replies: []aitest.Reply{{Status: 500, Error: "boom"}}, kind: KindServer,
			msg: []string{"500 Internal Server Error", "boom", "gave up after 2 retries"}, requests: 3},
		{name: "429 every time", replies: []aitest.Reply{{Status: 429, Error: "slow down", Header: map[string]string{"Retry-After": "3"}}}, kind: KindRateLimited,
			msg: []string{"rate limiting", "429", "gave up after 2 retries"}, requests: 3, sleeps: []time.Duration{3 * time.Second, 3 * time.Second}},
		{name: "429 asking for too long a wait", replies: []aitest.Reply{{Status: 429, Error: "quota", Header: map[string]string{"Retry-After": "3600"}}}, kind: KindRateLimited,
			msg: []string{"rate limiting", "retry after 1h0m0s"}, requests: 1},
		{name: "502 html", replies: []aitest.Reply{{Status: 502, Body: "<html><body>Bad   Gateway</body></html>"}}, kind: KindServer,
			msg: []string{"502 Bad Gateway", "<html><body>Bad Gateway"}, requests: 3},
		{name: "400", replies: []aitest.Reply{{Status: 400, Error: "messages too long"}}, kind: KindRejected,
			msg: []string{"rejected the request", "messages too long"}, requests: 1},
		{name: "wrong base url", server: func(s *aitest.Server) { s.URL = strings.TrimSuffix(s.URL, "/v1") + "/nothing" },
			replies: []aitest.Reply{{Content: "x"}}, kind: KindRejected, msg: []string{"no chat completions API", "ai.base-url"}, requests: 1},
		{name: "timeout", replies: []aitest.Reply{{Content: "late", Hold: hold}}, cfg: func(c *config.AI) { c.Timeout = config.Duration{Duration: 50 * time.Millisecond} },
			kind: KindTimeout, msg: []string{"sent nothing for 50ms", "raise ai.timeout"}, requests: 1},
		{name: "timeout mid-stream", onlyMode: "stream", replies: []aitest.Reply{{Content: "one two three four five six seven", Hold: hold, HoldAfter: 1}},
			cfg: func(c *config.AI) { c.Timeout = config.Duration{Duration: 50 * time.Millisecond} }, kind: KindTimeout, msg: []string{"sent nothing for 50ms"}, requests: 1},
		{name: "malformed SSE", onlyMode: "stream", replies: []aitest.Reply{{SSE: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {not json\n\n"}},
			kind: KindBadResponse, msg: []string{"cannot read"}, requests: 1},
		{name: "SSE without events", onlyMode: "stream", replies: []aitest.Reply{{SSE: "this is not an event stream\n"}},
			kind: KindBadResponse, msg: []string{"ended before the model finished"}, requests: 1},
		{name: "stream cut short", onlyMode: "stream", replies: []aitest.Reply{{Content: "half an answer", Finish: "-", NoDone: true}},
			kind: KindBadResponse, msg: []string{"ended before the model finished", "nothing was written"}, requests: 1},
		{name: "error event in stream", onlyMode: "stream", replies: []aitest.Reply{{SSE: "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"}},
			kind: KindBadResponse, msg: []string{"reported an error while answering", "model overloaded"}, requests: 1},
		{name: "cut at length limit", replies: []aitest.Reply{{Content: "a long answer", Finish: "length"}}, kind: KindTruncated,
			msg: []string{"cut off at the model's length limit"}, requests: 1},
		{name: "content filter", replies: []aitest.Reply{{Content: "", Finish: "content_filter"}}, kind: KindRefused,
			msg: []string{"content filter"}, requests: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			streamModes(t, func(t *testing.T, stream bool) {
				if c.onlyMode != "" && (c.onlyMode == "stream") != stream {
					t.Skip("the case exists in " + c.onlyMode + " mode only")
				}
				var s *aitest.Server
				base := ""
				if c.down {
					base = aitest.DownURL(t)
				} else {
					s = aitest.New(t, c.replies...)
					if c.server != nil {
						c.server(s)
					}
					base = s.URL
				}
				cl := newTestClient(t, base, func(a *config.AI) {
					setStream(stream)(a)
					if c.cfg != nil {
						c.cfg(a)
					}
				})
				got, err := cl.Complete(context.Background(), Prompt{User: "write"}, nil)
				if err == nil {
					t.Fatalf("Complete succeeded with %q; want an error", got)
				}
				if got != "" {
					t.Errorf("a failed Complete returned a partial answer %q", got)
				}
				t.Logf("message: %s", err)
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %T %v is not an *ai.Error", err, err)
				}
				if e.Kind != c.kind {
					t.Errorf("kind = %d, want %d (message: %s)", e.Kind, c.kind, e)
				}
				for _, m := range c.msg {
					if !strings.Contains(e.Error(), m) {
						t.Errorf("message %q lacks %q", e, m)
					}
				}
				if c.requests > 0 && len(s.Requests()) != c.requests {
					t.Errorf("%d requests, want %d", len(s.Requests()), c.requests)
				}
				if c.sleeps != nil && !equalDurations(cl.sleeps, c.sleeps) {
					t.Errorf("waited %v, want %v", cl.sleeps, c.sleeps)
				}
				if strings.Contains(err.Error(), testKey) {
					t.Errorf("the API key appears in the error: %s", err)
				}
				if strings.Contains(cl.logs.String(), testKey) {
					t.Errorf("the API key appears in the log:\n%s", cl.logs)
				}
				if !strings.Contains(cl.logs.String(), "ai request failed") {
					t.Errorf("the failure was not logged:\n%s", cl.logs)
				}
			})
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRetryThenSuccess(t *testing.T) {
	cases := []struct {
		name   string
		first  aitest.Reply
		sleeps func(ds []time.Duration) bool
	}{
		{"429 with Retry-After", aitest.Reply{Status: 429, Error: "rate limit", Header: map[string]string{"Retry-After": "2"}},
			func(ds []time.Duration) bool { return len(ds) == 1 && ds[0] == 2*time.Second }},
		{"429 with retry-after-ms", aitest.Reply{Status: 429, Error: "rate limit", Header: map[string]string{"retry-after-ms": "1500"}},
			func(ds []time.Duration) bool { return len(ds) == 1 && ds[0] == 1500*time.Millisecond }},
		{"503 without Retry-After backs off", aitest.Reply{Status: 503, Error: "warming up"},
			func(ds []time.Duration) bool {
				return len(ds) == 1 && ds[0] >= 800*time.Millisecond && ds[0] <= 1200*time.Millisecond
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			streamModes(t, func(t *testing.T, stream bool) {
				s := aitest.New(t, c.first, aitest.Reply{Content: "fine now"})
				cl := newTestClient(t, s.URL, setStream(stream))
				var retries []Progress
				got, err := cl.Complete(context.Background(), Prompt{User: "x"}, func(p Progress) {
					if p.Retry > 0 {
						retries = append(retries, p)
					}
				})
				if err != nil || got != "fine now" {
					t.Fatalf("Complete = %q, %v; want the second answer", got, err)
				}
				if !c.sleeps(cl.sleeps) {
					t.Errorf("waited %v", cl.sleeps)
				}
				if len(retries) != 1 || retries[0].Status != c.first.Status || !strings.Contains(retries[0].Message(), "retrying in") {
					t.Errorf("retry progress = %+v", retries)
				}
				if len(s.Requests()) != 2 {
					t.Errorf("%d requests, want 2", len(s.Requests()))
				}
				if !strings.Contains(cl.logs.String(), "ai retry") || strings.Contains(cl.logs.String(), testKey) {
					t.Errorf("log:\n%s", cl.logs)
				}
			})
		})
	}
}

func TestCancelMidStream(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := aitest.New(t, aitest.Reply{Content: "one two three four five six seven eight nine", Hold: release, HoldAfter: 2})
	cl := newTestClient(t, s.URL, setStream(true))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-s.Holding // two chunks are out; the model "thinks"
		cancel()
	}()
	got, err := cl.Complete(ctx, Prompt{User: "x"}, nil)
	if got != "" || !errors.Is(err, context.Canceled) {
		t.Fatalf("Complete = %q, %v; want no answer and a cancellation", got, err)
	}
	if err.Error() != "generation cancelled" {
		t.Errorf("message = %q", err)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	s := aitest.New(t, aitest.Reply{Status: 503, Error: "busy"})
	cl := newTestClient(t, s.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cl.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	_, err := cl.Complete(ctx, Prompt{User: "x"}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want a cancellation", err)
	}
}

func TestAzureAndKeylessEndpoints(t *testing.T) {
	t.Run("azure", func(t *testing.T) {
		s := aitest.New(t, aitest.Reply{Content: "ok"})
		s.Key = testKey
		cl := newTestClient(t, strings.TrimSuffix(s.URL, "/v1"), func(c *config.AI) {
			c.Provider = "azure"
			c.Model = "spec-writer-deployment"
		})
		if _, err := cl.Complete(context.Background(), Prompt{User: "x"}, nil); err != nil {
			t.Fatal(err)
		}
		r := s.Requests()[0]
		if r.Path != "/openai/deployments/spec-writer-deployment/chat/completions" || r.Query != "api-version="+DefaultAzureAPIVersion {
			t.Errorf("azure request went to %s?%s", r.Path, r.Query)
		}
		if r.Header.Get("api-key") != testKey || r.Header.Get("Authorization") != "" {
			t.Errorf("azure auth headers: api-key %q, Authorization %q", r.Header.Get("api-key"), r.Header.Get("Authorization"))
		}
	})
	t.Run("local server without key", func(t *testing.T) {
		s := aitest.New(t, aitest.Reply{Content: "ok"})
		cl := newTestClient(t, s.URL, func(c *config.AI) { c.APIKeyEnv = "" })
		if _, err := cl.Complete(context.Background(), Prompt{User: "x"}, nil); err != nil {
			t.Fatal(err)
		}
		if h := s.Requests()[0].Header.Get("Authorization"); h != "" {
			t.Errorf("a keyless client sent Authorization %q", h)
		}
	})
}

func TestNewClientErrors(t *testing.T) {
	cases := []struct {
		name string
		cfg  config.AI
		want string
	}{
		{"not configured", config.AI{}, "set ai.base-url and ai.model"},
		{"key variable unset", config.AI{BaseURL: "http://127.0.0.1:1/v1", Model: "m", APIKeyEnv: "SPECLS_UNSET_KEY_VAR"}, "ai.api-key-env names SPECLS_UNSET_KEY_VAR, which is not set"},
		{"azure without key", config.AI{BaseURL: "http://127.0.0.1:1", Model: "m", Provider: "azure"}, "azure needs an API key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewClient(c.cfg, WithGetenv(func(string) string { return "" }))
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindNotConfigured || !strings.Contains(err.Error(), c.want) {
				t.Errorf("NewClient error = %v; want KindNotConfigured with %q", err, c.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoffGrowsAndStaysBounded(t *testing.T) {
	for n := 1; n <= 12; n++ {
		want := min(baseDelay<<(n-1), maxDelay)
		for range 20 {
			d := backoff(n)
			if d < want*8/10 || d > want*12/10 {
				t.Fatalf("backoff(%d) = %v, want within 20%% of %v", n, d, want)
			}
		}
	}
}

func TestRedactHandler(t *testing.T) {
	var buf bytes.Buffer
	h := &redactHandler{inner: slog.NewJSONHandler(&buf, nil), redact: redactor(testKey)}
	l := slog.New(h).With("base", "x"+testKey)
	l.Info("msg "+testKey, "err", errors.New("auth "+testKey), slog.Group("g", "k", testKey), "n", 3)
	if strings.Contains(buf.String(), testKey) || !strings.Contains(buf.String(), "[REDACTED]") || !strings.Contains(buf.String(), `"n":3`) {
		t.Errorf("log = %s", buf.String())
	}
}

func TestNoRedirects(t *testing.T) {
	elsewhere := aitest.New(t, aitest.Reply{Content: "stolen"})
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/chat/completions", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	for _, provider := range []string{"openai", "azure"} {
		t.Run(provider, func(t *testing.T) {
			cl := newTestClient(t, redirect.URL+"/v1", func(c *config.AI) { c.Provider = provider })
			_, err := cl.Complete(context.Background(), Prompt{User: "x"}, nil)
			if err == nil || !strings.Contains(err.Error(), "follows no redirects") {
				t.Fatalf("err = %v; want the redirect refused", err)
			}
			if n := len(elsewhere.Requests()); n != 0 {
				t.Errorf("the request (and the key) went to the redirect's target %d time(s)", n)
			}
		})
	}
}

// WithGetenv reads environment variables through f instead of os.Getenv.
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }
