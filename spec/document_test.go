package spec

import (
	"strings"
	"testing"
)

const sample = `---
owner: platform
---
# Tech Spec: Chat 😀

Intro with FR-1 and [a link](_prd.md).

## Service Definitions

### Auth Service

- Purpose: tokens for NFR-2
- [x] done item
- [ ] open item

` + "```proto" + `
service Auth {}
` + "```" + `

| From | To | Protocol |
|------|----|----------|
| Gateway | Auth | gRPC |
| 中文 | 😀 | x |

## Data Models

1. first
2. second

Setext Title
------------
`

// variants returns the sample as LF, CRLF, with a BOM, and both.
func variants(s string) map[string]string {
	crlf := strings.ReplaceAll(s, "\n", "\r\n")
	return map[string]string{"lf": s, "crlf": crlf, "bom": "\ufeff" + s, "bom+crlf": "\ufeff" + crlf}
}

func TestParseModel(t *testing.T) {
	for name, src := range variants(sample) {
		t.Run(name, func(t *testing.T) {
			d := Parse("tasks/prd-chat/_techspec.md", []byte(src))
			if d.Kind != KindTechSpec {
				t.Fatalf("kind = %v", d.Kind)
			}
			if d.FrontMatter["owner"] != "platform" {
				t.Errorf("front matter = %v", d.FrontMatter)
			}
			var titles []string
			for _, h := range d.Headings {
				titles = append(titles, strings.Repeat("#", h.Level)+" "+h.Title)
				// The heading span is a whole line without its break.
				if txt := h.Heading.Text(d.Text); strings.ContainsAny(txt, "\r\n") && h.Title != "Setext Title" {
					t.Errorf("heading %q span %q holds a line break", h.Title, txt)
				}
				if got := h.TitleSpan.Text(d.Text); got != h.Title {
					t.Errorf("title span %q != title %q", got, h.Title)
				}
			}
			want := []string{"# Tech Spec: Chat 😀", "## Service Definitions", "### Auth Service", "## Data Models", "## Setext Title"}
			if strings.Join(titles, "|") != strings.Join(want, "|") {
				t.Fatalf("headings = %q, want %q", titles, want)
			}
			auth := d.Find("auth service")[0]
			if auth.Parent == nil || auth.Parent.Title != "Service Definitions" {
				t.Errorf("auth parent = %v", auth.Parent)
			}
			if !strings.HasPrefix(auth.Span.Text(d.Text), "### Auth Service") || !strings.HasSuffix(strings.TrimRight(auth.Span.Text(d.Text), "\r\n"), "| x |") {
				t.Errorf("auth span = %q", auth.Span.Text(d.Text))
			}
			if len(d.Tables) != 1 {
				t.Fatalf("tables = %d", len(d.Tables))
			}
			tb := d.Tables[0]
			if tb.Column("protocol") != 2 || tb.Rows[1][1].Text != "😀" || tb.Rows[1][1].Span.Text(d.Text) != "😀" {
				t.Errorf("table = %+v", tb)
			}
			if tb.Section != auth {
				t.Errorf("table section = %v", tb.Section)
			}
			if !strings.HasPrefix(tb.Span.Text(d.Text), "| From") || !strings.HasSuffix(tb.Span.Text(d.Text), "| x |") {
				t.Errorf("table span = %q", tb.Span.Text(d.Text))
			}
			if len(d.Code) != 1 || d.Code[0].Lang != "proto" {
				t.Fatalf("code = %+v", d.Code)
			}
			c := d.Code[0]
			if got := strings.ReplaceAll(c.Content.Text(d.Text), "\r", ""); got != "service Auth {}\n" {
				t.Errorf("code content = %q", got)
			}
			if !strings.HasPrefix(c.Span.Text(d.Text), "```proto") || !strings.HasSuffix(c.Span.Text(d.Text), "```") || c.Unclosed {
				t.Errorf("code span = %q", c.Span.Text(d.Text))
			}
			if len(d.Tasks) != 2 || !d.Tasks[0].Checked || d.Tasks[1].Checked || d.Tasks[1].Text != "open item" || d.Tasks[0].Box.Text(d.Text) != "[x]" {
				t.Errorf("tasks = %+v", d.Tasks)
			}
			var ids []string
			for _, r := range d.Refs {
				ids = append(ids, r.ID+"="+r.Span.Text(d.Text))
			}
			if strings.Join(ids, ",") != "FR-1=FR-1,NFR-2=NFR-2" {
				t.Errorf("refs = %v", ids)
			}
			if len(d.Links) != 1 || d.Links[0].Dest != "_prd.md" {
				t.Errorf("links = %+v", d.Links)
			}
			var nums []int
			for _, it := range d.Items {
				if it.Ordered {
					nums = append(nums, it.Number)
				}
			}
			if len(nums) != 2 || nums[1] != 2 {
				t.Errorf("ordered items = %v", nums)
			}
			if d.CRLF != strings.Contains(name, "crlf") || d.BOM != strings.Contains(name, "bom") {
				t.Errorf("CRLF=%v BOM=%v", d.CRLF, d.BOM)
			}
		})
	}
}

func TestParseRequirements(t *testing.T) {
	src := `# PRD

## Core Features

1. Users can sign in.
2. **FR-7**: Users can reset a password.
3. Admins can ban users.

## Non-Functional Requirements

- NFR-1: p99 latency under 200 ms.

| ID | Story |
|----|-------|
| US-2 | As a user I chat |
`
	d := Parse("tasks/prd-x/_prd.md", []byte(src))
	var got []string
	for _, r := range d.Requirements {
		got = append(got, r.ID+":"+r.Text)
	}
	want := []string{"FR-1:Users can sign in.", "FR-7:FR-7: Users can reset a password.", "FR-3:Admins can ban users.", "NFR-1:NFR-1: p99 latency under 200 ms.", "US-2:As a user I chat"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requirements =\n%q\nwant\n%q", got, want)
	}
	if r := d.Requirement("fr-3"); r == nil || !strings.HasPrefix(r.Span.Text(d.Text), "3. Admins") {
		t.Errorf("Requirement(fr-3) = %+v", r)
	}
}

func TestParseUnclosedFence(t *testing.T) {
	d := Parse("x/_techspec.md", []byte("# T\n\n```yaml\na: 1\n## not a heading\n"))
	if len(d.Headings) != 1 || len(d.Code) != 1 || !d.Code[0].Unclosed {
		t.Fatalf("headings=%d code=%+v", len(d.Headings), d.Code)
	}
	if d.Code[0].Span.End != len(d.Text) && d.Code[0].Span.End != len(d.Text)-1 {
		t.Errorf("unclosed fence span = %v of %d", d.Code[0].Span, len(d.Text))
	}
}

// checkSpans asserts that every span of d lies inside its text.
func checkSpans(t *testing.T, d *Document) {
	t.Helper()
	n := len(d.Text)
	ok := func(what string, s Span) {
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("%s span %v outside text of %d bytes", what, s, n)
		}
	}
	for _, h := range d.Headings {
		ok("heading", h.Heading)
		ok("title", h.TitleSpan)
		ok("section", h.Span)
		ok("own", h.Own)
		if h.Own.Start < h.Heading.Start || h.Own.End > h.Span.End {
			t.Fatalf("own %v outside section %v", h.Own, h.Span)
		}
	}
	for _, tb := range d.Tables {
		ok("table", tb.Span)
		for _, r := range append([][]Cell{tb.Header}, tb.Rows...) {
			for _, c := range r {
				ok("cell", c.Span)
			}
		}
	}
	for _, c := range d.Code {
		ok("code", c.Span)
		ok("content", c.Content)
	}
	for _, x := range d.Tasks {
		ok("task", x.Span)
		ok("box", x.Box)
	}
	for _, x := range d.Items {
		ok("item", x.Span)
	}
	for _, x := range d.Links {
		ok("link", x.Span)
	}
	for _, x := range d.Refs {
		ok("ref", x.Span)
	}
	for _, x := range d.Paragraphs {
		ok("paragraph", x)
	}
	ok("front matter", d.FrontMatterSpan)
}

func FuzzParse(f *testing.F) {
	for _, s := range variants(sample) {
		f.Add(s)
	}
	for _, s := range []string{"", "#", "# \n##\n", "---\n---\n", "```\n", "| a |\n|---|\n| b", "- [ ]", "1. FR-1\n", "\xef\xbb\xbf# x", "a\rb\r# c\r", "Title\n===\n", "> ```\n> x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, name := range []string{"_prd.md", "_techspec.md"} {
			d := Parse("tasks/prd-f/"+name, []byte(src))
			checkSpans(t, d)
			m := d.Mapper()
			for _, h := range d.Headings {
				if _, _, err := m.SpanRange(h.Span, UTF16); err != nil {
					t.Fatalf("span %v does not map: %v", h.Span, err)
				}
			}
		}
	})
}

func TestParseBOMSpans(t *testing.T) {
	d := Parse("x/_techspec.md", []byte("\ufeff# Title\r\n\r\n| a |\r\n|---|\r\n"))
	if h := d.Headings[0]; h.Heading.Start != 3 || h.Heading.Text(d.Text) != "# Title" {
		t.Errorf("heading span %v = %q, want it to start after the BOM", h.Heading, h.Heading.Text(d.Text))
	}
	d = Parse("x/_techspec.md", []byte("\ufeff| a |\n|---|\n"))
	if len(d.Tables) != 1 || d.Tables[0].Span.Start != 3 {
		t.Errorf("table at file start: %+v", d.Tables)
	}
}

func TestHeadingKey(t *testing.T) {
	for _, c := range []struct{ title, key, prefix, name, suffix string }{
		{"Data Models", "data models", "", "Data Models", ""},
		{"1. Overview", "overview", "1. ", "Overview", ""},
		{"2) Goals", "goals", "2) ", "Goals", ""},
		{"4.1 Core Interfaces", "core interfaces", "4.1 ", "Core Interfaces", ""},
		{"4.1. Core Interfaces", "core interfaces", "4.1. ", "Core Interfaces", ""},
		{"Step 3: Testing Approach", "testing approach", "Step 3: ", "Testing Approach", ""},
		{"IV. Risks", "risks", "IV. ", "Risks", ""},
		{"Data Models (Prisma Schema)", "data models", "", "Data Models", " (Prisma Schema)"},
		{"API Endpoints — via Gateway", "api endpoints", "", "API Endpoints", " — via Gateway"},
		{"3. Test Strategy: contract first", "test strategy", "3. ", "Test Strategy", ": contract first"},
		{"Non-Goals (Out of Scope)", "non goals", "", "Non-Goals", " (Out of Scope)"},
		// Numbers that are part of the name stay.
		{"2FA Setup", "2fa setup", "", "2FA Setup", ""},
		{"3D Models", "3d models", "", "3D Models", ""},
		{"(Optional)", "optional", "", "(Optional)", ""},
		{"1.", "1", "", "1.", ""},
	} {
		if got := HeadingKey(c.title); got != c.key {
			t.Errorf("HeadingKey(%q) = %q, want %q", c.title, got, c.key)
		}
		p, n, s := SplitHeading(c.title)
		if p != c.prefix || n != c.name || s != c.suffix {
			t.Errorf("SplitHeading(%q) = %q %q %q, want %q %q %q", c.title, p, n, s, c.prefix, c.name, c.suffix)
		}
	}
	for _, c := range []struct {
		a, b string
		near bool
	}{
		{"test strategy", "testing strategy", true},
		{"data model", "data models", true},
		{"risk", "risks", true},
		{"overview", "goals", false},
		{"deployment architecture", "development sequencing", false},
	} {
		if got := NearMiss(c.a, c.b); got != c.near {
			t.Errorf("NearMiss(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
