package ai

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/ai/aitest"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

const fixtureDir = "testdata/tasks/prd-password-reset"

func loadFeature(t *testing.T) *spec.Feature {
	t.Helper()
	f, err := spec.LoadFeature(fixtureDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// withTechSpec returns the feature with its tech spec replaced by src.
func withTechSpec(f *spec.Feature, src string) *spec.Feature {
	g := *f
	g.TechSpec = spec.Parse(f.TechSpec.Path, []byte(src))
	return &g
}

// input is the engine input for f, with Gate E alone: these tests are
// about placing and re-checking text, not about the other gates' rules.
func input(f *spec.Feature) diagnostics.Input {
	cfg := config.Default()
	cfg.Gates = map[string]config.Severity{"A": config.Off, "B": config.Off, "C": config.Off, "D": config.Off, "F": config.Off}
	return diagnostics.Input{Feature: f, Config: cfg}
}

func TestLocate(t *testing.T) {
	f := loadFeature(t)
	tmpl := spec.BuiltinTemplate(spec.KindTechSpec)
	src := string(f.TechSpec.Text)
	cases := []struct {
		section string
		mode    Mode
		heading string
		keep    []string
		startAt string // the text the span starts with
		err     string
	}{
		{section: "Failure Impact Analysis", mode: ModeReplace, heading: "### Failure Impact Analysis", startAt: "### Failure Impact Analysis"},
		{section: "failure impact ANALYSIS", mode: ModeReplace, heading: "### Failure Impact Analysis", startAt: "### Failure Impact Analysis"},
		{section: "Testing Strategy", mode: ModeInsert, heading: "## Testing Strategy", startAt: "## Libraries Assessment"},
		{section: "Architecture Overview", mode: ModeOwn, heading: "## Architecture Overview", startAt: "## Architecture Overview",
			keep: []string{"Service Dependency Graph", "Communication Matrix", "Data Ownership", "Consistency Model", "Failure Impact Analysis"}},
		{section: "Deployment Architecture", mode: ModeReplace, heading: "## Deployment Architecture", startAt: "## Deployment Architecture"},
		{section: "Service Definitions", mode: ModeOwn, heading: "## Service Definitions", startAt: "## Service Definitions", keep: []string{"Identity", "Mailer"}},
		{section: "Identity", mode: ModeReplace, heading: "### Identity", startAt: "### Identity"},
		{section: "Rollback Plan", err: `no section "Rollback Plan"`},
	}
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			tg, err := Locate(f.TechSpec, tmpl, c.section)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Locate = %+v, %v; want error %q", tg, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tg.Mode != c.mode || tg.Heading != c.heading || strings.Join(tg.Keep, ",") != strings.Join(c.keep, ",") {
				t.Errorf("Locate = mode %d heading %q keep %q; want mode %d heading %q keep %q", tg.Mode, tg.Heading, tg.Keep, c.mode, c.heading, c.keep)
			}
			if !strings.HasPrefix(src[tg.Span.Start:], c.startAt) {
				t.Errorf("span starts at %q, want %q", src[tg.Span.Start:min(len(src), tg.Span.Start+30)], c.startAt)
			}
			if tg.Original != tg.Span.Text(f.TechSpec.Text) {
				t.Errorf("Original is not the span's text")
			}
		})
	}
}

func TestPrompt(t *testing.T) {
	f := loadFeature(t)
	p, err := PromptFor(input(f), f.TechSpec.Path, "Failure Impact Analysis")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`Write the section "### Failure Impact Analysis" of the tech spec for the feature "Password reset"`,
		"what degrades and what fails when it is down or slow",       // the seed's requirement, restated
		"- [Dependency] down: what degrades",                         // the template skeleton
		"FR-2: A reset link works once and expires after 15 minutes", // the PRD
		"<!-- the section you write goes here -->",                   // the rest of the spec
		"Identity is strongly consistent",
		"The section as it stands",
	} {
		if !strings.Contains(p.User, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p.User)
		}
	}
	if strings.Count(p.User, "### Consistency Model") != 1 {
		t.Errorf("the rest of the spec should appear once")
	}
	if !strings.Contains(p.System, "no code fence around the whole answer") {
		t.Errorf("system prompt: %s", p.System)
	}
	p, _ = PromptFor(input(f), f.TechSpec.Path, "Architecture Overview")
	if !strings.Contains(p.User, `Its subsections "Service Dependency Graph", "Communication Matrix"`) {
		t.Errorf("own-text prompt does not say which subsections are kept:\n%s", p.User)
	}
}

// generate runs Generate for section against a fake endpoint answering
// with answer, streaming.
func generate(t *testing.T, f *spec.Feature, path, section string, replies ...aitest.Reply) (Result, error) {
	t.Helper()
	s := aitest.New(t, replies...)
	c := newTestClient(t, s.URL, setStream(true))
	res, err := Generate(context.Background(), c, Request{Input: input(f), Path: path, Section: section})
	if strings.Contains(c.logs.String(), testKey) {
		t.Errorf("the API key appears in the log")
	}
	return res, err
}

// checkApplied asserts that the result's edit turns the document's text
// into the result's text, and that only the target span changed.
func checkApplied(t *testing.T, before []byte, res Result) string {
	t.Helper()
	e := res.Edit
	applied := string(before[:e.Span.Start]) + e.NewText + string(before[e.Span.End:])
	if applied != string(res.Text) {
		t.Fatalf("applying the edit does not give the result's text")
	}
	if !strings.HasPrefix(applied, string(before[:e.Span.Start])) || !strings.HasSuffix(applied, string(before[e.Span.End:])) {
		t.Fatalf("text outside the target changed")
	}
	return applied
}

func TestGenerateSection(t *testing.T) {
	f := loadFeature(t)
	const fia = "### Failure Impact Analysis\n\n- Mailer down: reset emails wait in Kafka and go out on recovery.\n- Identity down: the gateway answers 503 after a 2 s timeout."
	t.Run("replace a placeholder section", func(t *testing.T) {
		res, err := generate(t, f, f.TechSpec.Path, "Failure Impact Analysis", aitest.Reply{Content: "```markdown\n" + fia + "\n```"})
		if err != nil {
			t.Fatal(err)
		}
		out := checkApplied(t, f.TechSpec.Text, res)
		if !strings.Contains(out, "### Consistency Model\n\nIdentity is strongly consistent; Mailer is eventually consistent.\n\n"+fia+"\n\n## Service Definitions\n") {
			t.Errorf("section not in place:\n%s", out)
		}
		if strings.Contains(out, "[Dependency]") {
			t.Errorf("the template text is still there")
		}
		if len(res.Findings) != 0 {
			t.Errorf("findings in clean generated text: %v", res.Findings)
		}
		if res.Title() != "Failure Impact Analysis" || res.Create {
			t.Errorf("title %q create %v", res.Title(), res.Create)
		}
	})
	t.Run("insert a missing section", func(t *testing.T) {
		const ts = "## Testing Strategy\n\n- Unit: pytest with async fixtures for token expiry (FR-2).\n- Load: 200 resets/s."
		res, err := generate(t, f, f.TechSpec.Path, "Testing Strategy", aitest.Reply{Content: ts})
		if err != nil {
			t.Fatal(err)
		}
		out := checkApplied(t, f.TechSpec.Text, res)
		if !strings.Contains(out, "once the event schema is fixed.\n\n"+ts+"\n\n## Libraries Assessment\n") {
			t.Errorf("section not inserted at its template position:\n%s", out)
		}
		if res.Edit.Span.Len() != 0 {
			t.Errorf("an insertion replaced %v", res.Edit.Span)
		}
	})
	t.Run("own text, subsections kept", func(t *testing.T) {
		res, err := generate(t, f, f.TechSpec.Path, "Architecture Overview", aitest.Reply{Content: "## Architecture Overview\n\nThe gateway calls Identity over gRPC; Identity publishes reset events that the Mailer consumes."})
		if err != nil {
			t.Fatal(err)
		}
		out := checkApplied(t, f.TechSpec.Text, res)
		if !strings.Contains(out, "consumes.\n\n### Service Dependency Graph\n") || strings.Contains(out, "- Service topology diagram") {
			t.Errorf("own text not replaced cleanly:\n%s", out[:400])
		}
	})
	t.Run("findings in the generated text are reported", func(t *testing.T) {
		res, err := generate(t, f, f.TechSpec.Path, "Failure Impact Analysis", aitest.Reply{Content: fia + "\n- Redis down: TBD"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 1 || res.Findings[0].Code != "section-placeholder" || res.Findings[0].Span.Text(res.Text) != "TBD" {
			t.Errorf("findings = %+v; want the TBD marker", res.Findings)
		}
	})
	refused := []struct {
		name, section, answer string
		kind                  ErrorKind
		msg                   string
	}{
		{"empty answer", "Failure Impact Analysis", "", KindEmpty, "empty answer"},
		{"another section", "Failure Impact Analysis", "## Testing Strategy\n\npytest.", KindInvalid, `instead of "Failure Impact Analysis"`},
		{"repeats a kept subsection", "Architecture Overview", "## Architecture Overview\n\nIntro.\n\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|---|---|---|---|\n| A | B | gRPC | Request-Reply |", KindInvalid, `repeats the section "Communication Matrix"`},
		{"stray title", "Testing Strategy", "## Testing Strategy\n\npytest.\n\n# Technical Specification: Other", KindInvalid, "level-1 heading"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			res, err := generate(t, f, f.TechSpec.Path, c.section, aitest.Reply{Content: c.answer})
			var e *Error
			if !errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Generate = %v; want kind %d with %q", err, c.kind, c.msg)
			}
			if res.Edit.NewText != "" || res.Text != nil {
				t.Errorf("a refused answer produced an edit")
			}
		})
	}
	t.Run("endpoint error", func(t *testing.T) {
		res, err := generate(t, f, f.TechSpec.Path, "Testing Strategy", aitest.Reply{Status: 401, Error: "bad key"})
		if err == nil || res.Text != nil || !strings.Contains(err.Error(), "refused the API key") {
			t.Errorf("Generate = %+v, %v", res, err)
		}
	})
}

func TestDraftTechSpec(t *testing.T) {
	f := loadFeature(t)
	f.TechSpec = nil
	path := filepath.Join(fixtureDir, "_techspec.md")
	draft := "# Tech spec\n\n## Architecture Overview\n\nGateway, Identity and Mailer.\n\n## Testing Strategy\n\npytest."
	res, err := generate(t, f, path, "", aitest.Reply{Content: draft})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Create || res.Edit.Span != (spec.Span{}) {
		t.Errorf("a draft of a missing file should create it: %+v", res.Edit)
	}
	if !strings.HasPrefix(res.Edit.NewText, "# Technical Specification: Password reset\n\n## Architecture Overview\n") || !strings.HasSuffix(res.Edit.NewText, "pytest.\n") {
		t.Errorf("draft = %q", res.Edit.NewText)
	}
	found := false
	for _, fd := range res.Findings {
		if fd.Code == "section-missing" {
			found = true
		}
	}
	if !found {
		t.Errorf("the engine's findings on the draft (missing sections) are not reported: %v", res.Findings)
	}
	// A tech spec that has content is not drafted over.
	_, err = Generate(context.Background(), nil, Request{Input: input(loadFeature(t)), Path: path})
	if err == nil || !strings.Contains(err.Error(), "already has content") {
		t.Errorf("drafting over an existing spec: %v", err)
	}
}

// TestDocumentEditedDuringGeneration edits the tech spec while the model
// is answering, then re-anchors the answer to the new text.
func TestDocumentEditedDuringGeneration(t *testing.T) {
	f := loadFeature(t)
	src := string(f.TechSpec.Text)
	const fia = "### Failure Impact Analysis\n\n- Mailer down: emails wait in Kafka."
	const ts = "## Testing Strategy\n\npytest, 200 resets/s."
	cases := []struct {
		name    string
		section string
		answer  string
		edit    func(string) string
		msg     string // "" when the result applies
	}{
		{"edit above the section", "Failure Impact Analysis", fia,
			func(s string) string {
				return strings.Replace(s, "## Architecture Overview\n", "## Architecture Overview\n\nThe author added a paragraph 👋.\n", 1)
			}, ""},
		{"edit below an insertion point", "Testing Strategy", ts,
			func(s string) string { return strings.Replace(s, "- None open.", "- Who owns the sender domain?", 1) }, ""},
		{"edit inside the section", "Failure Impact Analysis", fia,
			func(s string) string { return strings.Replace(s, "- [Dependency] down", "- Kafka down", 1) }, `"Failure Impact Analysis" was edited while the text was being generated; nothing was written`},
		{"missing section written meanwhile", "Testing Strategy", ts,
			func(s string) string {
				return strings.Replace(s, "## Libraries Assessment", "## Testing Strategy\n\nThe author's own.\n\n## Libraries Assessment", 1)
			}, `"Testing Strategy" was added`},
		{"section removed meanwhile", "Failure Impact Analysis", fia,
			func(s string) string {
				i := strings.Index(s, "### Failure Impact Analysis")
				j := strings.Index(s, "## Service Definitions")
				return s[:i] + s[j:]
			}, "nothing was written"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			release := make(chan struct{})
			s := aitest.New(t, aitest.Reply{Content: c.answer, Hold: release, HoldAfter: 1})
			cl := newTestClient(t, s.URL, setStream(true))
			type out struct {
				res Result
				err error
			}
			done := make(chan out, 1)
			go func() {
				res, err := Generate(context.Background(), cl, Request{Input: input(f), Path: f.TechSpec.Path, Section: c.section})
				done <- out{res, err}
			}()
			<-s.Holding // the model is mid-answer: the author types
			edited := c.edit(src)
			if edited == src {
				t.Fatal("the edit changed nothing")
			}
			close(release)
			o := <-done
			if o.err != nil {
				t.Fatal(o.err)
			}
			cur := withTechSpec(f, edited)
			res, err := Reanchor(input(cur), o.res)
			if c.msg != "" {
				var e *Error
				if !errors.As(err, &e) || e.Kind != KindChanged || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("Reanchor = %v; want KindChanged with %q", err, c.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := checkApplied(t, []byte(edited), res)
			if !strings.Contains(got, c.answer+"\n\n") {
				t.Errorf("the answer is not in the re-anchored text:\n%s", got)
			}
			// The author's edit survives.
			for _, l := range strings.Split(edited, "\n") {
				if strings.Contains(l, "👋") || strings.Contains(l, "sender domain") {
					if !strings.Contains(got, l) {
						t.Errorf("the author's line %q was lost", l)
					}
				}
			}
		})
	}
}

func TestFixtureIsRealistic(t *testing.T) {
	// The fixture's findings are the ones the tests above rely on.
	f := loadFeature(t)
	var codes []string
	for _, fd := range diagnostics.Check(input(f)) {
		if fd.Path == f.TechSpec.Path {
			codes = append(codes, fd.Code)
		}
	}
	got := strings.Join(codes, " ")
	for _, want := range []string{"section-placeholder", "section-missing"} {
		if !strings.Contains(got, want) {
			t.Errorf("fixture findings %q lack %s", got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(fixtureDir, "_prd.md")); err != nil {
		t.Fatal(err)
	}
}
