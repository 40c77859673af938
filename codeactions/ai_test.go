package codeactions_test

import (
	"strings"
	"testing"

	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

const aiTechSpec = `# Technical Specification: Password reset

## Architecture Overview

The gateway calls Identity over gRPC.

### Failure Impact Analysis

- [Dependency] down: what degrades, what fails, how it recovers (timeouts, retries, circuit breakers, fallbacks)

## Development Sequencing

Identity first.
`

const aiTemplate = `# Technical Specification: [Feature Name]

## Architecture Overview

- Service topology diagram

### Failure Impact Analysis

- [Dependency] down: what degrades, what fails, how it recovers (timeouts, retries, circuit breakers, fallbacks)

## Development Sequencing

- Critical path

## Testing Strategy

- Unit testing (pytest)

## Open Questions

- [Question]
`

// aiRequest checks a feature whose tech spec is techspec (nil: none) and
// returns the request for the span of text at (the first occurrence of
// at in the document at path).
func aiRequest(t *testing.T, techspec *string, path, at string, ai bool, only ...string) codeactions.Request {
	t.Helper()
	f := &spec.Feature{Dir: "tasks/prd-password-reset", Slug: "password-reset"}
	f.PRD = spec.Parse("tasks/prd-password-reset/_prd.md", []byte("# Product Requirements Document: Password reset\n\n## Overview\n\nMembers reset passwords.\n"))
	if techspec != nil {
		f.TechSpec = spec.Parse("tasks/prd-password-reset/_techspec.md", []byte(*techspec))
	}
	// A small template and Gate E alone keep the findings to those the
	// AI actions answer.
	cfg := config.Default()
	cfg.Gates = map[string]config.Severity{"A": config.Off, "B": config.Off, "C": config.Off, "D": config.Off, "F": config.Off}
	tmpl := spec.NewTemplate(spec.KindTechSpec, "test", []byte(aiTemplate))
	in := diagnostics.Input{Feature: f, Config: cfg, Templates: map[spec.Kind]*spec.Template{spec.KindTechSpec: tmpl}}
	doc := f.Doc(spec.KindOf(path))
	i := strings.Index(string(doc.Text), at)
	if i < 0 {
		t.Fatalf("%q not in %s", at, path)
	}
	return codeactions.Request{Input: in, Findings: diagnostics.Check(in), Doc: doc, Span: spec.Span{Start: i, End: i}, Only: only, AI: ai}
}

func commandOf(t *testing.T, a codeactions.Action) (string, codeactions.GenerateArgs) {
	t.Helper()
	if a.Command == nil || len(a.Command.Arguments) != 1 {
		t.Fatalf("action %q has command %+v", a.Title, a.Command)
	}
	args, ok := a.Command.Arguments[0].(codeactions.GenerateArgs)
	if !ok {
		t.Fatalf("argument %T", a.Command.Arguments[0])
	}
	return a.Command.Name, args
}

func TestAIActions(t *testing.T) {
	ts := aiTechSpec
	const tsPath = "tasks/prd-password-reset/_techspec.md"
	cases := []struct {
		name    string
		spec    *string
		path    string
		at      string
		only    []string
		titles  []string
		command string
		section string
	}{
		{name: "placeholder section", spec: &ts, path: tsPath, at: "[Dependency]",
			titles: []string{`Generate "Failure Impact Analysis" with AI`}, command: codeactions.CommandGenerateSection, section: "Failure Impact Analysis"},
		{name: "missing sections, on the heading their findings point at", spec: &ts, path: tsPath, at: "## Development Sequencing",
			titles:  []string{`Generate "Testing Strategy" with AI`, `Generate "Open Questions" with AI`},
			command: codeactions.CommandGenerateSection, section: "Testing Strategy"},
		{name: "nothing to generate here", spec: &ts, path: tsPath, at: "Identity first"},
		{name: "quick fixes not asked for", spec: &ts, path: tsPath, at: "[Dependency]", only: []string{"source"}},
		{name: "PRD without a tech spec", path: "tasks/prd-password-reset/_prd.md", at: "Members",
			titles: []string{"Draft the tech spec with AI"}, command: codeactions.CommandDraftTechSpec},
		{name: "PRD with a tech spec", spec: &ts, path: "tasks/prd-password-reset/_prd.md", at: "Members"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			acts := codeactions.AIActions(aiRequest(t, c.spec, c.path, c.at, true, c.only...))
			var titles []string
			for _, a := range acts {
				titles = append(titles, a.Title)
			}
			if strings.Join(titles, "|") != strings.Join(c.titles, "|") {
				t.Fatalf("titles = %q, want %q", titles, c.titles)
			}
			if len(acts) == 0 {
				return
			}
			name, args := commandOf(t, acts[0])
			if name != c.command || args.Section != c.section {
				t.Errorf("command %s %+v; want %s section %q", name, args, c.command, c.section)
			}
			if c.command == codeactions.CommandDraftTechSpec && args.Path != tsPath {
				t.Errorf("draft path = %q", args.Path)
			}
			if len(acts[0].Edits) > 0 || acts[0].Safe {
				t.Errorf("an AI action must not carry edits or be applied by fix-all")
			}
		})
	}
}

func TestAIActionsWithoutEndpoint(t *testing.T) {
	ts := aiTechSpec
	acts := codeactions.AIActions(aiRequest(t, &ts, "tasks/prd-password-reset/_techspec.md", "[Dependency]", false))
	if len(acts) != 1 || acts[0].Title != codeactions.ConfigureAITitle || acts[0].Command == nil || acts[0].Command.Name != codeactions.CommandConfigureAI {
		t.Fatalf("actions without an endpoint = %+v; want the one that says how to configure it", acts)
	}
	if strings.Contains(acts[0].Title, "\n") || !strings.Contains(acts[0].Title, "ai.base-url") {
		t.Errorf("title %q is not one line naming the setting", acts[0].Title)
	}
	if acts := codeactions.AIActions(aiRequest(t, &ts, "tasks/prd-password-reset/_techspec.md", "Identity first", false)); len(acts) != 0 {
		t.Errorf("the hint is offered where there is nothing to generate: %+v", acts)
	}
}
