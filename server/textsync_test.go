package server_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

// TestPositionsRoundTrip edits a CRLF document holding CJK text and emoji
// (surrogate pairs in UTF-16) incrementally, in both encodings, and checks
// that the ranges the server sends back cover the text they should.
func TestPositionsRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name string
		caps protocol.ClientCapabilities
		enc  string
	}{
		{"UTF-16", lsptest.PushCaps(), "utf-16"},
		{"UTF-8", lsptest.PullCaps(), "utf-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			caps := tt.caps
			caps.TextDocument.Diagnostic = nil // push, to wait on versions
			ed, root := start(t, func(c *lsptest.Config) { c.Caps = &caps })
			if got := string(ed.Init.Capabilities.PositionEncoding); got != tt.enc {
				t.Fatalf("encoding %s, want %s", got, tt.enc)
			}
			text := read(t, root, techspec)
			text = strings.Replace(text, "The gateway calls", "Émoji 😀 and 日本語: the gateway calls", 1)
			text = strings.ReplaceAll(text, "\n", "\r\n")
			ed.Open(techspec, text)
			ed.Replace(techspec, "日本語", "中文 🎉")
			ed.Insert(techspec, "🎉", " ok👍🏽")
			v := ed.Replace(techspec, "## Data Models", "## Data Model 😀")
			diags := ed.Diagnostics(techspec, v)
			found := false
			for _, d := range diags {
				if c, _ := d.Code.(protocol.String); c == "section-renamed" {
					found = true
					if got := ed.Slice(techspec, d.Range); !strings.Contains(got, "Data Model 😀") {
						t.Errorf("section-renamed covers %q, want the renamed heading", got)
					}
				}
			}
			if !found {
				t.Fatalf("diagnostics %v, want section-renamed", lsptest.Codes(diags))
			}
			// The server's copy equals the editor's: hover ranges land on
			// the same text after the edits.
			h, r := ed.HoverRange(techspec, ed.Pos(techspec, "Proto Definitions"))
			if !strings.Contains(h, "Proto Definitions") {
				t.Fatalf("hover on a heading after the edits: %q", h)
			}
			if got := ed.Slice(techspec, r); got != "## Proto Definitions" {
				t.Errorf("hover range covers %q, want the heading line", got)
			}
		})
	}
}
