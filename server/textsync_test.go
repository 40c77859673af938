package server_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server"
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

// TestEditReparsesOnlyTheEditedSection types into a 2,000-line tech spec
// and reads the server's debug log: after the first edit (which cuts the
// file into chunks), each check of the edited file has goldmark parse
// only the section holding the edit, not the whole file.
func TestEditReparsesOnlyTheEditedSection(t *testing.T) {
	logs := &syncBuffer{}
	root := t.TempDir()
	lsptest.WriteFiles(t, root, map[string]string{prd: "# PRD: Orders\n\n## Core Features\n\n1. FR-1: Place orders.\n"})
	ed := lsptest.Start(t, lsptest.Config{Root: root, Options: server.Options{Logger: slogTo(logs)}})
	text := largeTechSpec(2000)
	ed.Diagnostics(techspec, ed.Open(techspec, text))
	at := ed.PosAfter(techspec, "Owns domain 7")
	checked := regexp.MustCompile(`msg=checked .*parsed_bytes=(\d+)`)
	for i := range 3 {
		ed.Diagnostics(techspec, ed.Change(techspec, lsptest.Edit{Range: protocol.Range{Start: at, End: at}, Text: "x"}))
		m := checked.FindAllStringSubmatch(logs.String(), -1)
		if m == nil {
			t.Fatalf("edit %d: no checked line with parsed_bytes in the log:\n%s", i, logs.String())
		}
		if n, _ := strconv.Atoi(m[len(m)-1][1]); i > 0 && (n == 0 || n > len(text)/20) {
			t.Errorf("edit %d: the check parsed %d bytes of a %d-byte file, want only the edited section's", i, n, len(text))
		}
	}
}
