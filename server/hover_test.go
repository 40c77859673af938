package server_test

import (
	"regexp"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
)

func TestHoverSection(t *testing.T) {
	ed, _ := start(t, nil)
	v := ed.OpenFile(techspec)
	ed.Diagnostics(techspec, v)
	h, r := ed.HoverRange(techspec, ed.Pos(techspec, "Data Models"))
	for _, want := range []string{"**Data Models**", "required template section", "What it must contain", "SQLAlchemy models", "Findings: none."} {
		if !strings.Contains(h, want) {
			t.Errorf("hover on a clean section lacks %q:\n%s", want, h)
		}
	}
	if got := ed.Slice(techspec, r); got != "## Data Models" {
		t.Errorf("hover range covers %q", got)
	}

	// Template text left in the section shows up as a finding of it.
	v = ed.Replace(techspec, "`reset_tokens(id, user_id, hash, expires_at, used_at)`.", "- SQLAlchemy models\n- Pydantic schemas\n- Redis data structures")
	ed.Diagnostics(techspec, v)
	h = ed.Hover(techspec, ed.Pos(techspec, "## Data Models"))
	if !strings.Contains(h, "Findings (") || !strings.Contains(h, "section-placeholder") {
		t.Errorf("hover on a section holding template text does not list its finding:\n%s", h)
	}

	// A service heading is one of the template's "[Service Name]" sections.
	h = ed.Hover(techspec, ed.Pos(techspec, "### Identity"))
	if !strings.Contains(h, "[Service Name]") || !strings.Contains(h, "Purpose and responsibilities") {
		t.Errorf("hover on a service heading:\n%s", h)
	}
}

func TestHoverGate(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	// Gate B is switched off in the fixture's configuration.
	h := ed.Hover(techspec, ed.PosAfter(techspec, "Gate "))
	for _, want := range []string{"Gate B", "switched off", "Requires:", "Communication Matrix"} {
		if !strings.Contains(h, want) {
			t.Errorf("hover on Gate B lacks %q:\n%s", want, h)
		}
	}
	v := ed.Replace(techspec, "Gate B and Gate F", "Gate E, Gate B and Gate F")
	ed.Diagnostics(techspec, v)
	if h := ed.Hover(techspec, ed.Pos(techspec, "Gate E")); !strings.Contains(h, "✓ passing") {
		t.Errorf("hover on a passing Gate E:\n%s", h)
	}
	v = ed.Replace(techspec, "## Data Models", "## Data Model")
	ed.Diagnostics(techspec, v)
	h = ed.Hover(techspec, ed.Pos(techspec, "Gate E"))
	for _, want := range []string{"✗ failing", "Failing checks", "section-renamed", "_techspec.md:"} {
		if !strings.Contains(h, want) {
			t.Errorf("hover on a failing Gate E lacks %q:\n%s", want, h)
		}
	}
}

func TestHoverRequirement(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	h, r := ed.HoverRange(techspec, ed.Pos(techspec, "FR-2"))
	if !strings.Contains(h, "FR-2") || !strings.Contains(h, "expires after 15 minutes") || !strings.Contains(h, "_prd.md") {
		t.Errorf("hover on FR-2 does not show the PRD text:\n%s", h)
	}
	if got := ed.Slice(techspec, r); got != "FR-2" {
		t.Errorf("hover range covers %q", got)
	}
	v := ed.Replace(techspec, "(FR-1, FR-2)", "(FR-1, FR-9)")
	ed.Diagnostics(techspec, v)
	if h := ed.Hover(techspec, ed.Pos(techspec, "FR-9")); !strings.Contains(h, "not defined") {
		t.Errorf("hover on an undefined ID:\n%s", h)
	}
	if h := ed.Hover(techspec, ed.Pos(techspec, "redeems")); h != "" {
		t.Errorf("hover on plain text: %q, want none", h)
	}
}

// TestHoverPlaintext: a client that shows plaintext only (ALE) gets text
// without markdown marks; a markdown client gets links to finding lines.
func TestHoverPlaintext(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.TextDocument.Hover = &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindPlainText}}
	for _, plain := range []bool{false, true} {
		ed, _ := start(t, func(c *lsptest.Config) {
			if plain {
				c.Caps = &caps
			}
		})
		ed.OpenFile(techspec)
		ed.Replace(techspec, "Gate B and Gate F", "Gate E, Gate B and Gate F")
		v := ed.Replace(techspec, "## Data Models", "## Data Model")
		ed.Diagnostics(techspec, v)
		h := ed.Hover(techspec, ed.Pos(techspec, "Gate E"))
		link := regexp.MustCompile(`\[_techspec\.md:\d+\]\(file://[^)]*/_techspec\.md#L\d+\)`)
		if plain {
			if strings.ContainsAny(h, "`*[]") || !regexp.MustCompile(`section-renamed _techspec\.md:\d+ — `).MatchString(h) {
				t.Errorf("plaintext hover holds markdown or lacks the place:\n%s", h)
			}
		} else if !link.MatchString(h) || !strings.Contains(h, "**Gate E") {
			t.Errorf("markdown hover lacks a link to the finding's line:\n%s", h)
		}
	}
}

// TestHoverHeadingBeingTyped: "## " with nothing after it yet gets no
// hover (eldoc asks on every idle cursor).
func TestHoverHeadingBeingTyped(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	v := ed.Replace(techspec, "## Data Models", "## Data Models\n\n##")
	ed.Diagnostics(techspec, v)
	if h := ed.Hover(techspec, ed.PosAfter(techspec, "## Data Models\n\n#")); h != "" {
		t.Errorf("hover on a heading being typed: %q, want none", h)
	}
}
