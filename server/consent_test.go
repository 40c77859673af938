package server_test

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/ai/aitest"
	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/server"
	"github.com/specls/specls/server/lsptest"
)

// The malicious repository of issue 15: its .specls.yaml names its
// author's endpoint, a key variable and a template outside the workspace;
// its _prd.md is a symlink to a private file. Whatever the user clicks,
// no key, no file outside the root and no request without consent leave
// the machine.

const (
	secretText = "aws_secret_access_key = AKIA-SECRET-OUTSIDE-THE-ROOT"
	notesText  = "# Private notes\n\n## Salary\n\nNOTES-OUTSIDE-THE-ROOT\n"
	tokenValue = "ghp_specls_TEST_TOKEN_0123456789abcdef"
	evilKey    = "sk-evil-TEST-KEY-0123456789abcdef"
)

type hostile struct {
	ed   *lsptest.Editor
	fake *aitest.Server
	root string
	logs *syncBuffer
}

// startHostile opens the malicious workspace with keyEnv as its
// ai.api-key-env and the editor answering questions with answer.
func startHostile(t *testing.T, keyEnv string, answer func(*protocol.ShowMessageRequestParams) *protocol.MessageActionItem) *hostile {
	t.Helper()
	root := fixture(t, "ai")
	outside := t.TempDir()
	lsptest.WriteFiles(t, outside, map[string]string{"credentials": secretText, "notes.md": notesText})
	fake := aitest.New(t, aitest.Reply{Content: fiaAnswer})
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": fmt.Sprintf(gateEOnly+
		"templates:\n  techspec: %s\nai:\n  base-url: %s\n  model: gpt-test\n  api-key-env: %s\n  max-retries: 0\n",
		filepath.Join(outside, "notes.md"), fake.URL, keyEnv)})
	prd := filepath.Join(root, "tasks/prd-password-reset/_prd.md")
	if err := os.Remove(prd); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "credentials"), prd); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_TOKEN", tokenValue)
	t.Setenv("EVIL_API_KEY", evilKey)
	userConfig(t, "") // the user trusts nothing
	logs := &syncBuffer{}
	ed := lsptest.Start(t, lsptest.Config{Answer: answer, Options: server.Options{Logger: slogTo(logs)}})
	return &hostile{ed: ed, fake: fake, root: root, logs: logs}
}

// generate runs the AI action on the tech spec and returns the message
// that ends it.
func (h *hostile) generate(t *testing.T) protocol.ShowMessageParams {
	t.Helper()
	a := &aiSession{ed: h.ed, fake: h.fake, root: h.root, logs: h.logs}
	p := a.abs(aiSpec)
	h.ed.OpenFile(p)
	host := strings.TrimPrefix(strings.TrimSuffix(h.fake.URL, "/v1"), "http://")
	act := a.action(t, aiSpec, "[Dependency]", `Generate "Failure Impact Analysis" with AI (via `+host+`)`)
	n := len(h.ed.Messages())
	if err := h.ed.Do(act); err != nil {
		t.Fatalf("the command failed: %v", err)
	}
	for {
		m := h.ed.WaitMessage("Failure Impact Analysis")
		if len(h.ed.Messages()) > n {
			return m
		}
	}
}

// nothingLeaked checks that no request carried a private file, the
// template outside the root or a key the user did not grant.
func (h *hostile) nothingLeaked(t *testing.T, keyGranted bool) {
	t.Helper()
	for _, r := range h.fake.Requests() {
		body := fmt.Sprint(r.Body)
		for _, private := range []string{secretText, "AKIA-SECRET", "NOTES-OUTSIDE", tokenValue} {
			if strings.Contains(body, private) || strings.Contains(fmt.Sprint(r.Header), private) {
				t.Errorf("a request carried %q", private)
			}
		}
		if !keyGranted && strings.Contains(fmt.Sprint(r.Header), evilKey) {
			t.Errorf("a request carried the key without consent")
		}
	}
	for _, private := range []string{secretText, tokenValue, evilKey} {
		if strings.Contains(h.logs.String(), private) {
			t.Errorf("the server log holds %q", private)
		}
	}
}

func TestHostileWorkspaceKeyVariableRefused(t *testing.T) {
	h := startHostile(t, "GITHUB_TOKEN", func(p *protocol.ShowMessageRequestParams) *protocol.MessageActionItem {
		return &p.Actions[0] // would approve, but must not even be asked
	})
	m := h.generate(t)
	for _, want := range []string{"GITHUB_TOKEN", "*_API_KEY", "nothing was sent"} {
		if !strings.Contains(m.Message, want) {
			t.Errorf("message %q lacks %q", m.Message, want)
		}
	}
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d requests reached the workspace's endpoint, want none", n)
	}
	if n := len(h.ed.Asked()); n != 0 {
		t.Errorf("asked %d questions, want none", n)
	}
	h.nothingLeaked(t, false)
}

func TestHostileWorkspaceEndpointNeedsConsent(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer func(*protocol.ShowMessageRequestParams) *protocol.MessageActionItem
	}{
		{"dismissed", nil},
		{"declined", func(p *protocol.ShowMessageRequestParams) *protocol.MessageActionItem { return &p.Actions[1] }},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := startHostile(t, "EVIL_API_KEY", c.answer)
			m := h.generate(t)
			if !strings.Contains(m.Message, "nothing was sent") {
				t.Errorf("message %q does not say nothing was sent", m.Message)
			}
			if n := len(h.fake.Requests()); n != 0 {
				t.Errorf("%d requests without consent", n)
			}
			asked := h.ed.Asked()
			if len(asked) != 1 {
				t.Fatalf("asked %d questions, want 1", len(asked))
			}
			host := strings.TrimPrefix(strings.TrimSuffix(h.fake.URL, "/v1"), "http://")
			if asked[0].Actions[0].Title != "Send to "+host || !strings.Contains(asked[0].Message, h.fake.URL) || !strings.Contains(asked[0].Message, "$EVIL_API_KEY") {
				t.Errorf("question = %+v, want the endpoint, its host in the action and the key variable", asked[0])
			}
			h.nothingLeaked(t, false)
		})
	}
}

func TestHostileWorkspaceApprovedOnce(t *testing.T) {
	h := startHostile(t, "EVIL_API_KEY", func(p *protocol.ShowMessageRequestParams) *protocol.MessageActionItem { return &p.Actions[0] })
	h.fake.Push(aitest.Reply{Content: fiaAnswer})
	m := h.generate(t)
	if !strings.Contains(m.Message, "generated") {
		t.Fatalf("message %q, want a generated section", m.Message)
	}
	// The PRD links outside the root: refused, never read
	// (nothingLeaked), and reported (TestRefusedFiles in cmd/specls).
	if n := len(h.fake.Requests()); n != 1 {
		t.Fatalf("%d requests after consent, want 1", n)
	}
	h.nothingLeaked(t, true)
	// The same workspace and endpoint again: not asked a second time.
	n := len(h.ed.Messages())
	if _, err := h.ed.Execute(codeactions.CommandGenerateSection, codeactions.GenerateArgs{Path: filepath.Join(h.root, aiSpec), Section: "Testing Strategy"}); err != nil {
		t.Fatal(err)
	}
	for len(h.ed.Messages()) == n {
		h.ed.WaitMessage("Testing Strategy")
	}
	if n := len(h.fake.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if n := len(h.ed.Asked()); n != 1 {
		t.Errorf("asked %d times, want once per (workspace, endpoint)", n)
	}
}

func slogTo(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
