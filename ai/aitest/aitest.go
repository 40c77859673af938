// Package aitest is a fake OpenAI-compatible endpoint for tests: an HTTP
// server on loopback that speaks the chat completions wire format, plain
// JSON and server-sent events, and answers with scripted replies.
package aitest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

// Reply is one scripted answer.
type Reply struct {
	// Status and Error make an error answer in OpenAI's JSON shape
	// ({"error":{"message":...}}); ErrorCode fills its "code".
	Status    int
	Error     string
	ErrorCode string
	// Header is sent with the answer (e.g. Retry-After).
	Header map[string]string
	// Body, when set, is sent as is with Status (default 200).
	Body string
	// Content is the model's answer; Chunks, when set, is how a stream
	// delivers it (default: Content in pieces of a few words).
	Content string
	Chunks  []string
	// Finish is the finish reason (default "stop"); NoDone leaves out the
	// final "data: [DONE]".
	Finish string
	NoDone bool
	// SSE, when set, is the raw event-stream body sent after a 200.
	SSE string
	// Hold, when not nil, stops the answer after HoldAfter chunks (before
	// anything, for a plain answer) until Hold is closed or the client
	// goes away. Server.Holding receives a value when the hold starts.
	Hold      chan struct{}
	HoldAfter int
}

// route is where OpenAI-compatible servers answer chat completions: under
// /v1, or under an Azure deployment.
var route = regexp.MustCompile(`^(/v1|/openai/deployments/[^/]+)/chat/completions$`)

// Request is what the server received.
type Request struct {
	Path   string
	Query  string
	Header http.Header
	Body   openai.ChatCompletionRequest
}

// Server is the fake endpoint.
type Server struct {
	// URL is the base URL to configure, ending in /v1.
	URL string
	// Key, when set, is the API key required (Bearer or api-key header);
	// EchoKey makes the 401 answer quote the key it got, as a careless
	// server might, to prove the client never repeats it.
	Key     string
	EchoKey bool
	// Models, when set, lists the models served; others get a 404.
	Models []string
	// Holding receives a value each time a reply starts holding.
	Holding chan struct{}

	srv     *httptest.Server
	mu      sync.Mutex
	replies []Reply
	reqs    []Request
}

// New starts a server on loopback that answers with replies in order,
// repeating the last one; it stops when the test ends.
func New(t testing.TB, replies ...Reply) *Server {
	s := &Server{replies: replies, Holding: make(chan struct{}, 16)}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.srv.Close)
	return s
}

// Push appends replies to the script.
func (s *Server) Push(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, rs...)
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// DownURL returns the base URL of an endpoint that refuses connections: a
// loopback port that was just closed.
func DownURL(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/v1"
}

func (s *Server) next() Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.replies) == 0 {
		return Reply{Status: 500, Error: "aitest: no reply scripted"}
	}
	r := s.replies[0]
	if len(s.replies) > 1 {
		s.replies = s.replies[1:]
	}
	return r
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	var body openai.ChatCompletionRequest
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, 400, "aitest: bad request body: "+err.Error(), "")
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()
	if !route.MatchString(r.URL.Path) || r.Method != http.MethodPost {
		writeError(w, 404, "aitest: no route "+r.Method+" "+r.URL.Path, "")
		return
	}
	if s.Key != "" {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if got == "" {
			got = r.Header.Get("api-key")
		}
		if got != s.Key {
			msg := "Incorrect API key provided"
			if s.EchoKey {
				msg += ": " + got
			}
			writeError(w, 401, msg, "invalid_api_key")
			return
		}
	}
	if len(s.Models) > 0 && !contains(s.Models, body.Model) {
		writeError(w, 404, fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", body.Model), "model_not_found")
		return
	}
	rep := s.next()
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	switch {
	case rep.Body != "":
		w.WriteHeader(or(rep.Status, 200))
		fmt.Fprint(w, rep.Body)
	case rep.Status >= 400:
		writeError(w, rep.Status, rep.Error, rep.ErrorCode)
	case rep.SSE != "":
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, rep.SSE)
	case body.Stream:
		s.stream(w, r, body, rep)
	default:
		if !s.hold(r, rep) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-aitest", "object": "chat.completion", "created": 1, "model": body.Model,
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": rep.Content}, "finish_reason": or(rep.Finish, "stop")}},
			"usage":   map[string]any{"prompt_tokens": 10, "completion_tokens": len(strings.Fields(rep.Content)), "total_tokens": 10 + len(strings.Fields(rep.Content))},
		})
	}
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, body openai.ChatCompletionRequest, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	chunks := rep.Chunks
	if chunks == nil {
		chunks = split(rep.Content)
	}
	event := func(delta map[string]any, finish any) {
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-aitest", "object": "chat.completion.chunk", "created": 1, "model": body.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		flush()
	}
	event(map[string]any{"role": "assistant", "content": ""}, nil)
	for i, c := range chunks {
		if rep.Hold != nil && i == rep.HoldAfter && !s.hold(r, rep) {
			return
		}
		event(map[string]any{"content": c}, nil)
	}
	if rep.Hold != nil && rep.HoldAfter >= len(chunks) && !s.hold(r, rep) {
		return
	}
	if rep.Finish != "-" {
		event(map[string]any{}, or(rep.Finish, "stop"))
	}
	if !rep.NoDone {
		fmt.Fprint(w, "data: [DONE]\n\n")
		flush()
	}
}

// hold waits until the reply's Hold is closed (true) or the client went
// away (false).
func (s *Server) hold(r *http.Request, rep Reply) bool {
	if rep.Hold == nil {
		return true
	}
	s.Holding <- struct{}{}
	select {
	case <-rep.Hold:
		return true
	case <-r.Context().Done():
		return false
	}
}

// split cuts s into chunks of about three words, keeping every byte.
func split(s string) []string {
	var out []string
	words := 0
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\n' {
			words++
			if words == 3 {
				out = append(out, s[start:i+1])
				start, words = i+1, 0
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func writeError(w http.ResponseWriter, status int, msg, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	e := map[string]any{"message": msg, "type": "invalid_request_error"}
	if code != "" {
		e["code"] = code
	}
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

func or[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
