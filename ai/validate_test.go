package ai

import (
	"errors"
	"strings"
	"testing"

	"github.com/specls/specls/spec"
)

func fiaTarget(t *testing.T) (Target, *spec.Template) {
	t.Helper()
	f := loadFeature(t)
	tmpl := spec.BuiltinTemplate(spec.KindTechSpec)
	tg, err := Locate(f.TechSpec, tmpl, "Failure Impact Analysis")
	if err != nil {
		t.Fatal(err)
	}
	return tg, tmpl
}

func TestClean(t *testing.T) {
	const body = "- Mailer down: reset emails wait in Kafka and go out on recovery.\n- Identity down: resets fail fast with 503; the gateway retries once."
	const want = "### Failure Impact Analysis\n\n" + body
	cases := []struct {
		name   string
		answer string
		want   string    // the cleaned section, when it is accepted
		kind   ErrorKind // the error, when it is refused
		msg    string
	}{
		{name: "as asked", answer: want + "\n", want: want},
		{name: "heading in another case and level", answer: "# failure impact analysis\n\n" + body, want: want},
		{name: "no heading", answer: body, want: want},
		{name: "unknown heading is forced to the template's", answer: "## Resilience notes\n\n" + body, want: want},
		{name: "heading with more words", answer: "### Failure Impact Analysis for password reset\n" + body, want: want},
		{name: "fence around the whole answer", answer: "```markdown\n" + want + "\n```", want: want},
		{name: "chatter around a markdown fence", answer: "Here is the section:\n\n```md\n" + want + "\n```\n\nLet me know if you need changes.", want: want},
		{name: "preamble before the heading", answer: "Sure! Based on the PRD:\n\n" + want, want: want},
		{name: "reasoning block", answer: "<think>\nThe PRD says emails...\n</think>\n\n" + want, want: want},
		{name: "CRLF", answer: strings.ReplaceAll(want, "\n", "\r\n") + "\r\n", want: want},
		{name: "subsections below the section", answer: want + "\n\n#### Kafka down\n\nRequests fail with 503.", want: want + "\n\n#### Kafka down\n\nRequests fail with 503."},
		{name: "fenced answer with a code block inside", answer: "```markdown\n" + want + "\n\n```mermaid\ngraph TD\n  A --> B\n```\n```", want: want + "\n\n```mermaid\ngraph TD\n  A --> B\n```"},
		{name: "a heading-like line inside code is not a heading", answer: want + "\n\n```python\n# retry with backoff\n```", want: want + "\n\n```python\n# retry with backoff\n```"},

		{name: "empty", answer: "", kind: KindEmpty, msg: "empty answer"},
		{name: "white space", answer: " \n\n\t", kind: KindEmpty, msg: "empty answer"},
		{name: "empty fence", answer: "```markdown\n```", kind: KindEmpty, msg: "empty answer"},
		{name: "heading only", answer: "### Failure Impact Analysis\n\n<!-- nothing -->", kind: KindEmpty, msg: "holds no content"},
		{name: "another template section", answer: "## Testing Strategy\n\npytest everywhere.", kind: KindInvalid, msg: `wrote the section "Testing Strategy" instead of "Failure Impact Analysis"`},
		{name: "stray H1", answer: want + "\n\n# Appendix\n\nmore", kind: KindInvalid, msg: `level-1 heading "Appendix"`},
		{name: "sibling heading", answer: want + "\n\n### Recovery\n\ntext", kind: KindInvalid, msg: `heading "Recovery" at level 3, which would end the section`},
		{name: "parent-level heading", answer: want + "\n\n## Service Definitions\n\ntext", kind: KindInvalid, msg: "would end the section"},
	}
	tg, tmpl := fiaTarget(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Clean(c.answer, tg, tmpl)
			if c.msg == "" {
				if err != nil {
					t.Fatalf("Clean refused the answer: %v", err)
				}
				if got != c.want {
					t.Errorf("Clean =\n%s\nwant\n%s", got, c.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Clean = %q, %v; want kind %d with %q", got, err, c.kind, c.msg)
			}
			if got != "" {
				t.Errorf("a refused answer returned text %q", got)
			}
		})
	}
}

func TestCleanVariableSection(t *testing.T) {
	doc := spec.Parse("tasks/prd-x/_techspec.md", []byte("# Technical Specification: X\n\n## Service Definitions\n\n### [Service Name]\n\n- Purpose and responsibilities\n"))
	tmpl := spec.BuiltinTemplate(spec.KindTechSpec)
	tg, err := Locate(doc, tmpl, "[Service Name]")
	if err != nil {
		t.Fatal(err)
	}
	if !tg.Variable || tg.Mode != ModeReplace {
		t.Fatalf("target = %+v; want a variable section replaced", tg)
	}
	got, err := Clean("## Identity Service\n\nIssues reset tokens.", tg, tmpl)
	if err != nil || got != "### Identity Service\n\nIssues reset tokens." {
		t.Errorf("Clean = %q, %v", got, err)
	}
	if _, err := Clean("### [Service Name]\n\ntext", tg, tmpl); err == nil || !strings.Contains(err.Error(), "still a placeholder") {
		t.Errorf("a placeholder heading was accepted: %v", err)
	}
	if _, err := Clean("### <name>\n\ntext", tg, tmpl); err == nil {
		t.Errorf("the prompt's own <name> was accepted as a heading")
	}
	if _, err := Clean("Issues reset tokens.", tg, tmpl); err == nil || !strings.Contains(err.Error(), "names no ### heading") {
		t.Errorf("an answer without a name was accepted: %v", err)
	}
}

func TestCleanDocument(t *testing.T) {
	tg := Target{Kind: spec.KindTechSpec, Path: "tasks/prd-x/_techspec.md", Mode: ModeDocument, Level: 1, Heading: "# Technical Specification: X"}
	cases := []struct {
		name, answer, want, msg string
	}{
		{name: "title forced", answer: "# Tech Spec for X\n\n## Architecture Overview\n\ntext", want: "# Technical Specification: X\n\n## Architecture Overview\n\ntext"},
		{name: "no title", answer: "## Architecture Overview\n\ntext", want: "# Technical Specification: X\n\n## Architecture Overview\n\ntext"},
		{name: "two titles", answer: "# A\n\ntext\n\n# B\n\ntext", msg: "2 level-1 headings"},
		{name: "sections before the title", answer: "## Intro\n\nx\n\n# Technical Specification: X\n\ntext", msg: "sections before its title"},
		{name: "title only", answer: "# Technical Specification: X\n", msg: "only a title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Clean(c.answer, tg, spec.BuiltinTemplate(spec.KindTechSpec))
			if c.msg != "" {
				if err == nil || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("Clean = %q, %v; want an error with %q", got, err, c.msg)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("Clean = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestSplice(t *testing.T) {
	sec := "## New\n\nbody"
	cases := []struct {
		name string
		src  string
		mode Mode
		span spec.Span
		want string
	}{
		{"insert between sections", "## A\n\na\n\n## B\n\nb\n", ModeInsert, spec.Span{Start: 9, End: 9}, "## A\n\na\n\n## New\n\nbody\n\n## B\n\nb\n"},
		{"insert at the end without a final newline", "## A\n\na", ModeInsert, spec.Span{Start: 7, End: 7}, "## A\n\na\n\n## New\n\nbody\n"},
		{"insert at the end after one newline", "## A\n\na\n", ModeInsert, spec.Span{Start: 8, End: 8}, "## A\n\na\n\n## New\n\nbody\n"},
		{"insert into an empty text", "", ModeInsert, spec.Span{}, "## New\n\nbody\n"},
		{"insert after a BOM", "\uFEFF", ModeInsert, spec.Span{Start: 3, End: 3}, "\uFEFF## New\n\nbody\n"},
		{"CRLF", "## A\r\n\r\na\r\n\r\n## B\r\n", ModeInsert, spec.Span{Start: 13, End: 13}, "## A\r\n\r\na\r\n\r\n## New\r\n\r\nbody\r\n\r\n## B\r\n"},
		{"replace a middle section", "## A\n\na\n\n## B\n\nb\n", ModeReplace, spec.Span{Start: 0, End: 9}, "## New\n\nbody\n\n## B\n\nb\n"},
		{"replace the last section", "## A\n\na\n\n## B\n\nb\n", ModeReplace, spec.Span{Start: 9, End: 17}, "## A\n\na\n\n## New\n\nbody\n"},
		{"replace the last section, no final newline", "## A\n\na\n\n## B\n\nb", ModeReplace, spec.Span{Start: 9, End: 16}, "## A\n\na\n\n## New\n\nbody"},
		{"own text before subsections", "## A\n\na\n\n### C\n\nc\n", ModeOwn, spec.Span{Start: 0, End: 9}, "## New\n\nbody\n\n### C\n\nc\n"},
		{"whole document", "", ModeDocument, spec.Span{}, "## New\n\nbody\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, out, span := Splice([]byte(c.src), Target{Path: "p", Mode: c.mode, Span: c.span}, sec)
			if string(out) != c.want {
				t.Errorf("Splice =\n%q\nwant\n%q", out, c.want)
			}
			applied := c.src[:e.Span.Start] + e.NewText + c.src[e.Span.End:]
			if applied != string(out) {
				t.Errorf("applying the edit gives %q, not the returned text %q", applied, out)
			}
			if got := strings.ReplaceAll(span.Text(out), "\r\n", "\n"); got != sec {
				t.Errorf("section span holds %q", got)
			}
		})
	}
}
