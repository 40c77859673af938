package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/ai/aitest"
	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
)

// The AI tests run an editor against the server and the server against a
// fake OpenAI-compatible endpoint on loopback. The session has no
// workspace folder (so no indexing progress): the only work-done progress
// is the generation's, and the fixture's .specls.yaml is found from the
// file paths.

const (
	aiKey    = "sk-specls-SERVER-TEST-c0ffee5ec2e7-NEVER-LOG"
	aiKeyEnv = "SPECLS_SERVER_TEST_AI_KEY"
	aiSpec   = "tasks/prd-password-reset/_techspec.md"
	aiDraft  = "tasks/prd-draft/_prd.md"
)

// gateEOnly keeps the findings to Gate E's: these tests are about the
// generation, not the other gates' rules.
const gateEOnly = "gates: {A: off, B: off, C: off, D: off, F: off}\n"

type syncBuffer struct {
	mu sync.Mutex
	sb strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.String()
}

type aiSession struct {
	ed   *lsptest.Editor
	fake *aitest.Server
	root string
	logs *syncBuffer
}

// abs returns the absolute path of a fixture file (the editor has no root).
func (a *aiSession) abs(rel string) string { return filepath.Join(a.root, filepath.FromSlash(rel)) }

// startAI starts a fake endpoint with replies and an editor whose
// workspace configures it; aiYAML, when not empty, replaces the ai section.
func startAI(t *testing.T, aiYAML string, replies ...aitest.Reply) *aiSession {
	t.Helper()
	root := fixture(t, "ai")
	fake := aitest.New(t, replies...)
	fake.Key = aiKey
	if aiYAML == "" {
		aiYAML = fmt.Sprintf(gateEOnly+"ai:\n  base-url: %s\n  model: gpt-test\n  api-key-env: %s\n  max-retries: 1\n  timeout: 10s\n", fake.URL, aiKeyEnv)
	}
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": aiYAML})
	t.Setenv(aiKeyEnv, aiKey)
	// The user's own configuration trusts the fake endpoint and the key
	// variable: a workspace alone may not name them (consent_test.go).
	userConfig(t, fmt.Sprintf("trust:\n  endpoints: [%q]\n  api-key-envs: [%s]\n", fake.URL, aiKeyEnv))
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ed := lsptest.Start(t, lsptest.Config{Options: server.Options{Logger: logger}})
	a := &aiSession{ed: ed, fake: fake, root: root, logs: logs}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs)
		}
	})
	return a
}

// action asks for code actions at the first occurrence of at and returns
// the one titled title.
func (a *aiSession) action(t *testing.T, rel, at, title string, only ...protocol.CodeActionKind) protocol.CommandOrCodeAction {
	t.Helper()
	p := a.abs(rel)
	var titles []string
	for _, ca := range a.ed.CodeActions(p, a.ed.Range(p, at), only...) {
		switch ca := ca.(type) {
		case *protocol.CodeAction:
			if ca.Title == title || strings.HasPrefix(ca.Title, title+" (via ") {
				return ca
			}
			titles = append(titles, ca.Title)
		case *protocol.Command:
			if ca.Title == title || strings.HasPrefix(ca.Title, title+" (via ") {
				return ca
			}
			titles = append(titles, ca.Title)
		}
	}
	t.Fatalf("no action %q at %q; offered: %q", title, at, titles)
	return nil
}

// userConfig writes the user-level configuration file of a test, in a
// fresh $XDG_CONFIG_HOME.
func userConfig(t *testing.T, yaml string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	lsptest.WriteFiles(t, dir, map[string]string{"specls/config.yaml": yaml})
}

// run performs the "Generate ... with AI" action on the tech spec's
// Failure Impact Analysis, which must answer at once.
func (a *aiSession) run(t *testing.T) {
	t.Helper()
	act := a.action(t, aiSpec, "[Dependency]", `Generate "Failure Impact Analysis" with AI`)
	if err := a.ed.Do(act); err != nil {
		t.Fatalf("the command failed: %v", err)
	}
}

// noLeak checks the key is in no log line, message or progress text.
func (a *aiSession) noLeak(t *testing.T) {
	t.Helper()
	if strings.Contains(a.logs.String(), aiKey) {
		t.Errorf("the API key appears in the server log")
	}
	for _, m := range a.ed.Messages() {
		if strings.Contains(m.Message, aiKey) {
			t.Errorf("the API key appears in a message: %s", m.Message)
		}
	}
}

const fiaAnswer = "### Failure Impact Analysis\n\n- Mailer down: reset emails wait in Kafka and go out on recovery.\n- Identity down: the gateway answers 503 after a 2 s timeout."

// TestGenerateWithAI runs the action against every behaviour of the
// endpoint the issue lists; each ends with one clear message and either no
// edit or one complete edit.
func TestGenerateWithAI(t *testing.T) {
	hang := make(chan struct{}) // never closed
	cases := []struct {
		name    string
		replies []aitest.Reply
		yaml    func(base string) string
		setup   func(*aitest.Server)
		msgType protocol.MessageType
		msg     []string
		edit    string // the text the document gains; "" for no edit
	}{
		{name: "success", replies: []aitest.Reply{{Content: fiaAnswer}}, msgType: protocol.MessageTypeInfo,
			msg: []string{`generated "Failure Impact Analysis" with AI`, "chunks)", "the checks find nothing"}, edit: fiaAnswer},
		{name: "endpoint down", yaml: func(string) string {
			return fmt.Sprintf(gateEOnly+"ai:\n  base-url: %s\n  model: m\n", aitest.DownURL(t))
		}, msgType: protocol.MessageTypeError, msg: []string{"could not generate", "cannot reach the AI endpoint"}},
		{name: "401", setup: func(s *aitest.Server) { s.Key = "sk-expected"; s.EchoKey = true }, msgType: protocol.MessageTypeError,
			msg: []string{"refused the API key (401 Unauthorized)", "$" + aiKeyEnv}},
		{name: "unknown model", setup: func(s *aitest.Server) { s.Models = []string{"llama3.1"} }, msgType: protocol.MessageTypeError,
			msg: []string{`does not serve the model "gpt-test"`, "set ai.model"}},
		{name: "429 then success", replies: []aitest.Reply{{Status: 429, Error: "slow down", Header: map[string]string{"Retry-After": "0"}}, {Content: fiaAnswer}},
			msgType: protocol.MessageTypeInfo, msg: []string{`generated "Failure Impact Analysis"`}, edit: fiaAnswer},
		{name: "500", replies: []aitest.Reply{{Status: 500, Error: "upstream exploded", Header: map[string]string{"Retry-After": "0"}}}, msgType: protocol.MessageTypeError,
			msg: []string{"500 Internal Server Error", "upstream exploded", "gave up after 1 retries"}},
		{name: "timeout", replies: []aitest.Reply{{Content: fiaAnswer, Hold: hang}}, yaml: func(base string) string {
			return fmt.Sprintf(gateEOnly+"ai:\n  base-url: %s\n  model: gpt-test\n  api-key-env: %s\n  timeout: 100ms\n", base, aiKeyEnv)
		}, msgType: protocol.MessageTypeError, msg: []string{"sent nothing for 100ms", "raise ai.timeout"}},
		{name: "malformed SSE", replies: []aitest.Reply{{SSE: "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"### Fail\"}}]}\n\ndata: {oops\n\n"}},
			msgType: protocol.MessageTypeError, msg: []string{"cannot read"}},
		{name: "stream cut short", replies: []aitest.Reply{{Content: fiaAnswer, Finish: "-", NoDone: true}},
			msgType: protocol.MessageTypeError, msg: []string{"ended before the model finished"}},
		{name: "empty answer", replies: []aitest.Reply{{Content: ""}}, msgType: protocol.MessageTypeError, msg: []string{"empty answer", "nothing was written"}},
		{name: "another section's heading", replies: []aitest.Reply{{Content: "## Testing Strategy\n\npytest."}}, msgType: protocol.MessageTypeError,
			msg: []string{`wrote the section "Testing Strategy" instead of "Failure Impact Analysis"`}},
		{name: "a heading of its own is forced to the template's", replies: []aitest.Reply{{Content: "## Outage impact\n\n- Mailer down: emails queue."}},
			msgType: protocol.MessageTypeInfo, msg: []string{`generated "Failure Impact Analysis"`}, edit: "### Failure Impact Analysis\n\n- Mailer down: emails queue."},
		{name: "findings in the answer are reported", replies: []aitest.Reply{{Content: fiaAnswer + "\n- Redis down: TBD"}}, msgType: protocol.MessageTypeWarning,
			msg: []string{"the checks find 1 problem(s) in it", "section-placeholder", "TBD"}, edit: fiaAnswer + "\n- Redis down: TBD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var yaml string
			var a *aiSession
			if c.yaml != nil {
				// The fake must exist before the configuration names it.
				pre := aitest.New(t, c.replies...)
				pre.Key = aiKey
				yaml = c.yaml(pre.URL)
				a = startAI(t, yaml)
				a.fake = pre
				// The user trusts the endpoint this configuration names.
				base := regexp.MustCompile(`base-url: (\S+)`).FindStringSubmatch(yaml)[1]
				userConfig(t, fmt.Sprintf("trust:\n  endpoints: [%q]\n  api-key-envs: [%s]\n", base, aiKeyEnv))
			} else {
				a = startAI(t, "", c.replies...)
			}
			if c.setup != nil {
				c.setup(a.fake)
			}
			p := a.abs(aiSpec)
			a.ed.OpenFile(p)
			before := a.ed.Text(p)
			a.run(t)
			m := a.ed.WaitMessage("with AI")
			for _, want := range c.msg {
				if !strings.Contains(m.Message, want) {
					t.Errorf("message %q lacks %q", m.Message, want)
				}
			}
			if m.Type != c.msgType {
				t.Errorf("message type %v, want %v (%s)", m.Type, c.msgType, m.Message)
			}
			if n := len(a.ed.Messages()); n != 1 {
				t.Errorf("%d messages, want exactly one: %+v", n, a.ed.Messages())
			}
			ev := a.ed.WaitProgressEnd()
			if len(ev) < 2 || ev[0].Kind != "begin" || ev[0].Title != `specls: generating "Failure Impact Analysis" with AI` || ev[len(ev)-1].Kind != "end" {
				t.Errorf("progress = %+v", ev)
			}
			if c.edit != "" {
				streamed := false
				for _, e := range ev {
					streamed = streamed || e.Kind == "report" && strings.HasPrefix(e.Message, "received ") && strings.Contains(e.Message, " chunks (")
				}
				if !streamed {
					t.Errorf("no progress report of streamed tokens: %+v", ev)
				}
			}
			after := a.ed.Text(p)
			applied := a.ed.Applied()
			if c.edit == "" {
				if after != before || len(applied) != 0 {
					t.Errorf("a failed generation edited the document (%d applyEdit)", len(applied))
				}
			} else {
				if len(applied) != 1 {
					t.Fatalf("%d applyEdit requests, want one", len(applied))
				}
				checkOneVersionedEdit(t, applied[0], a.ed.URI(p))
				want := strings.Replace(before, "### Failure Impact Analysis\n\n- [Dependency] down: what degrades, what fails, how it recovers (timeouts, retries, circuit breakers, fallbacks)\n", c.edit+"\n", 1)
				if after != want {
					t.Errorf("document after generation:\n%s\nwant:\n%s", after, want)
				}
			}
			a.noLeak(t)
		})
	}
}

// checkOneVersionedEdit asserts the edit is one TextDocumentEdit of the
// document, carrying its version.
func checkOneVersionedEdit(t *testing.T, p protocol.ApplyWorkspaceEditParams, u uri.URI) {
	t.Helper()
	if len(p.Edit.DocumentChanges) != 1 {
		t.Fatalf("edit has %d document changes", len(p.Edit.DocumentChanges))
	}
	tde, ok := p.Edit.DocumentChanges[0].(*protocol.TextDocumentEdit)
	if !ok || tde.TextDocument.URI != u || tde.TextDocument.Version == nil || len(tde.Edits) != 1 {
		t.Fatalf("edit is not one versioned TextDocumentEdit of %s: %+v", u, p.Edit.DocumentChanges[0])
	}
}

func TestGenerateCancelled(t *testing.T) {
	for _, how := range []string{"workDoneProgress/cancel", "cancel command"} {
		t.Run(how, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			a := startAI(t, "", aitest.Reply{Content: fiaAnswer, Hold: release, HoldAfter: 2})
			p := a.abs(aiSpec)
			a.ed.OpenFile(p)
			before := a.ed.Text(p)
			a.run(t)
			<-a.fake.Holding // mid-stream
			ctx := context.Background()
			if how == "cancel command" {
				if _, err := a.ed.Execute("specls.cancelGeneration", p); err != nil {
					t.Fatal(err)
				}
			} else if err := a.ed.Server.WorkDoneProgressCancel(ctx, &protocol.WorkDoneProgressCancelParams{Token: protocol.String("specls/1")}); err != nil {
				t.Fatal(err)
			}
			m := a.ed.WaitMessage("cancelled")
			if !strings.Contains(m.Message, `generation of "Failure Impact Analysis" cancelled; nothing was written`) {
				t.Errorf("message = %q", m.Message)
			}
			ev := a.ed.WaitProgressEnd()
			if ev[0].Token != "specls/1" {
				t.Errorf("the generation's progress token is %q; the cancel above assumed specls/1", ev[0].Token)
			}
			if a.ed.Text(p) != before || len(a.ed.Applied()) != 0 {
				t.Errorf("a cancelled generation edited the document")
			}
			a.noLeak(t)
		})
	}
}

// TestGenerateWhileEditing edits the tech spec while the model answers.
func TestGenerateWhileEditing(t *testing.T) {
	cases := []struct {
		name, old, new string
		msg            string
		applied        bool
	}{
		{"edit above the section", "## Architecture Overview\n", "## Architecture Overview\n\nThe author adds a line 👋 while the model writes.\n", `generated "Failure Impact Analysis"`, true},
		{"edit inside the section", "- [Dependency] down", "- Kafka down", `"Failure Impact Analysis" was edited while the text was being generated; nothing was written`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			release := make(chan struct{})
			a := startAI(t, "", aitest.Reply{Content: fiaAnswer, Hold: release, HoldAfter: 1})
			p := a.abs(aiSpec)
			a.ed.OpenFile(p)
			a.run(t)
			<-a.fake.Holding
			v := a.ed.Replace(p, c.old, c.new)
			a.ed.Diagnostics(p, v) // the server has the new text
			edited := a.ed.Text(p)
			close(release)
			m := a.ed.WaitMessage("Failure Impact Analysis")
			if !strings.Contains(m.Message, c.msg) {
				t.Fatalf("message = %q, want %q", m.Message, c.msg)
			}
			got := a.ed.Text(p)
			if !c.applied {
				if got != edited || len(a.ed.Applied()) != 0 {
					t.Errorf("the changed section was written over")
				}
				return
			}
			applied := a.ed.Applied()
			if len(applied) != 1 {
				t.Fatalf("%d applyEdit requests", len(applied))
			}
			checkOneVersionedEdit(t, applied[0], a.ed.URI(p))
			tde := applied[0].Edit.DocumentChanges[0].(*protocol.TextDocumentEdit)
			if *tde.TextDocument.Version != v {
				t.Errorf("edit for version %d, want the edited version %d", *tde.TextDocument.Version, v)
			}
			if !strings.Contains(got, "👋 while the model writes") || !strings.Contains(got, fiaAnswer+"\n\n## Service Definitions") || strings.Contains(got, "[Dependency]") {
				t.Errorf("document after generation:\n%s", got)
			}
		})
	}
}

func TestDraftTechSpecWithAI(t *testing.T) {
	draft := "# Tech spec\n\n## Architecture Overview\n\nAn Alerts service reads sign-in events from Kafka."
	a := startAI(t, "", aitest.Reply{Content: draft})
	p := a.abs(aiDraft)
	a.ed.OpenFile(p)
	act := a.action(t, aiDraft, "Members", "Draft the tech spec with AI", protocol.CodeActionKindSource)
	if err := a.ed.Do(act); err != nil {
		t.Fatal(err)
	}
	m := a.ed.WaitMessage("with AI")
	if !strings.Contains(m.Message, `generated "_techspec.md" with AI`) || !strings.Contains(m.Message, "the checks find") {
		t.Errorf("message = %q", m.Message)
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(p), "_techspec.md"))
	if err != nil {
		t.Fatalf("the tech spec was not created: %v", err)
	}
	if want := "# Technical Specification: Login alerts\n\n## Architecture Overview\n\nAn Alerts service reads sign-in events from Kafka.\n"; string(b) != want {
		t.Errorf("created %q, want %q", b, want)
	}
	a.noLeak(t)
}

func TestAIActionWithoutEndpoint(t *testing.T) {
	a := startAI(t, gateEOnly)
	p := a.abs(aiSpec)
	a.ed.OpenFile(p)
	act := a.action(t, aiSpec, "[Dependency]", codeactions.ConfigureAITitle)
	if err := a.ed.Do(act); err != nil {
		t.Fatal(err)
	}
	m := a.ed.WaitMessage("no AI endpoint is configured")
	if !strings.Contains(m.Message, "set ai.base-url and ai.model in .specls.yaml (see docs/ai.md)") {
		t.Errorf("message = %q", m.Message)
	}
	// The deterministic fix stays the default; the hint comes after it.
	var titles []string
	for _, ca := range a.ed.CodeActions(p, a.ed.Range(p, "## Development Sequencing")) {
		if c, ok := ca.(*protocol.CodeAction); ok {
			titles = append(titles, c.Title)
		}
	}
	if len(titles) < 2 || !strings.HasPrefix(titles[0], `Insert "## Testing Strategy"`) || titles[len(titles)-1] != codeactions.ConfigureAITitle {
		t.Errorf("titles = %q; want the deterministic insertion first and the AI hint last", titles)
	}
	if len(a.fake.Requests()) != 0 {
		t.Errorf("the endpoint was called without being configured")
	}
}
