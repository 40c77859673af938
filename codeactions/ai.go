package codeactions

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// The commands of the AI actions; the server runs them in the background
// (package ai writes the text).
const (
	// CommandGenerateSection writes one section of a PRD or tech spec;
	// its argument is a GenerateArgs.
	CommandGenerateSection = "specls.generateSection"
	// CommandDraftTechSpec writes a whole tech spec from its PRD; its
	// argument is a GenerateArgs naming the tech spec to create.
	CommandDraftTechSpec = "specls.draftTechSpec"
	// CommandConfigureAI explains how to configure an endpoint; it is what
	// the AI actions become when none is configured.
	CommandConfigureAI = "specls.configureAI"
)

// GenerateArgs is the argument of the AI commands.
type GenerateArgs struct {
	Path    string `json:"path"`              // the document written
	Section string `json:"section,omitempty"` // "" for the whole document
}

// ConfigureAITitle is the title of the action offered in place of the AI
// actions when no endpoint is configured: one line saying how.
const ConfigureAITitle = "Generate with AI: set ai.base-url and ai.model in .specls.yaml (see docs/ai.md)"

// AIActions returns the AI actions at the request's span: "Generate <section>
// with AI" for a section at the span that is missing, empty or still
// template text, and on a PRD without a tech spec "Draft the tech spec with
// AI". Without an endpoint (req.AI false) it returns, in their place, one
// action that says how to configure one.
func AIActions(req Request) []Action {
	d := req.Doc
	if d == nil || d.Refused != nil || (d.Kind != spec.KindPRD && d.Kind != spec.KindTechSpec) {
		return nil
	}
	var out []Action
	seen := map[string]int{}
	if wants(req.Only, KindQuickFix) {
		for _, fd := range req.Findings {
			if fd.Path != d.Path || !touches(fd.Span, req.Span) {
				continue
			}
			section := aiSection(fd)
			if section == "" {
				continue
			}
			key := spec.Normalize(section)
			if i, ok := seen[key]; ok {
				out[i].Fixes = appendFindings(out[i].Fixes, fd)
				continue
			}
			seen[key] = len(out)
			title := fmt.Sprintf("Generate %q with AI", section) + via(req.AIHost)
			out = append(out, Action{
				Title:   title,
				Kind:    KindQuickFix,
				Fixes:   []diagnostics.Finding{fd},
				Command: &Command{Title: title, Name: CommandGenerateSection, Arguments: []any{GenerateArgs{Path: d.Path, Section: section}}},
			})
		}
	}
	if d.Kind == spec.KindPRD && wants(req.Only, KindSource) && techSpecMissing(req) {
		title := "Draft the tech spec with AI" + via(req.AIHost)
		path := filepath.Join(filepath.Dir(d.Path), spec.FileNames[spec.KindTechSpec])
		out = append(out, Action{
			Title:   title,
			Kind:    KindSource,
			Command: &Command{Title: title, Name: CommandDraftTechSpec, Arguments: []any{GenerateArgs{Path: path}}},
		})
	}
	if len(out) == 0 || req.AI {
		return out
	}
	return []Action{{
		Title:   ConfigureAITitle,
		Kind:    out[0].Kind,
		Fixes:   out[0].Fixes,
		Command: &Command{Title: ConfigureAITitle, Name: CommandConfigureAI},
	}}
}

// aiSection names the section a finding invites to generate, or "".
func aiSection(fd diagnostics.Finding) string {
	switch fd.Rule() {
	case rules.SectionMissing:
		if ts := fd.Data.Template; ts != nil && ts.Level > 1 && !ts.Variable {
			return ts.Title
		}
	case rules.SectionPlaceholder, rules.SectionEmpty:
		if s := fd.Data.Section; s != nil && s.Level > 1 && fd.Data.Template != nil {
			return s.Title
		}
	}
	return ""
}

// techSpecMissing reports whether the PRD's folder has no tech spec yet,
// or only a blank one.
func techSpecMissing(req Request) bool {
	f := req.Input.Feature
	if f == nil || f.TechSpec == nil {
		return true
	}
	return strings.TrimSpace(string(f.TechSpec.Text)) == ""
}

// via names the endpoint in an action's title: " (via api.openai.com)".
func via(host string) string {
	if host == "" {
		return ""
	}
	return " (via " + host + ")"
}
