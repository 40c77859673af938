package ai

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/specls/specls/ai/aitest"
)

// leaks returns the fragments of 8 or more characters of the key found in s.
func leaks(s string) []string {
	var out []string
	for i := 0; i+minFragment <= len(testKey); i++ {
		if frag := testKey[i : i+minFragment]; strings.Contains(s, frag) {
			out = append(out, frag)
		}
	}
	return out
}

func TestRedactFragments(t *testing.T) {
	r := redactor(testKey)
	cases := []struct{ in, want string }{
		{"key " + testKey + " end", "key [REDACTED] end"},
		{"tail " + testKey[len(testKey)-8:], "tail [REDACTED]"},
		{testKey[:20] + "…", "[REDACTED]…"},
		{"short " + testKey[3:10] + " stays", "short " + testKey[3:10] + " stays"}, // 7 characters
		{testKey[:12] + " and " + testKey[20:30], "[REDACTED] and [REDACTED]"},
		{"nothing here", "nothing here"},
	}
	for _, c := range cases {
		if got := r(c.in); got != c.want {
			t.Errorf("redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := redactor("abc")("x abc y"); got != "x [REDACTED] y" {
		t.Errorf("a short key is redacted whole: got %q", got)
	}
}

// TestRedactBeforeShortening is the edge the attack found: an endpoint's
// error text quoting the key across the 200-character cut left all but
// one character of it in the message.
func TestRedactBeforeShortening(t *testing.T) {
	for cut := 150; cut <= 200; cut += 5 {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			fake := aitest.New(t, aitest.Reply{Status: 400, Error: strings.Repeat("x", cut) + " " + testKey + " trailing words"})
			c := newTestClient(t, fake.URL, setStream(false))
			_, err := c.Complete(context.Background(), Prompt{User: "hi"}, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if l := leaks(err.Error()); len(l) > 0 {
				t.Errorf("the message holds fragments of the key %q: %s", l, err)
			}
			if l := leaks(c.logs.String()); len(l) > 0 {
				t.Errorf("the log holds fragments of the key %q", l)
			}
		})
	}
}

// TestEchoedKeyNeverWritten: a model that repeats the key in its answer
// does not get it into the spec.
func TestEchoedKeyNeverWritten(t *testing.T) {
	streamModes(t, func(t *testing.T, stream bool) {
		fake := aitest.New(t, aitest.Reply{Content: "## Testing Strategy\n\nUse the key " + testKey + " and " + testKey[5:25] + "."})
		c := newTestClient(t, fake.URL, setStream(stream))
		var progress []Progress
		text, err := c.Complete(context.Background(), Prompt{User: "hi"}, func(p Progress) { progress = append(progress, p) })
		if err != nil {
			t.Fatal(err)
		}
		if l := leaks(text); len(l) > 0 {
			t.Errorf("the answer holds fragments of the key %q: %s", l, text)
		}
		if !strings.Contains(text, "[REDACTED]") {
			t.Errorf("answer = %q", text)
		}
		for _, p := range progress {
			if l := leaks(p.Message()); len(l) > 0 {
				t.Errorf("progress %q leaks", p.Message())
			}
		}
	})
}
