package diagnostics

import (
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/cache"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// ProfileTemplate is the profile in force when a workspace has a tech spec
// template of its own and .specls.yaml names none: a profile rule runs only
// where that template asks for what it checks.
const ProfileTemplate = "template"

// Scope is what is checked for a feature: the profile in force, the tech
// spec template it was decided from, and so which rules apply. A rule that
// does not apply reports nothing, and a gate none of whose rules applies is
// not applicable ("-"), never passed.
type Scope struct {
	Profile  string // config.ProfilePython, config.ProfileGeneric or ProfileTemplate
	Template string // "built-in", or the path of the workspace's template
	skip     []bool // by rule index: rules that do not apply
}

// Applies reports whether r runs in this scope.
func (s *Scope) Applies(r *rules.Rule) bool { return s == nil || !s.skip[r.Index()] }

// String says what is in force, for the CLI and the editor:
// "profile python-microservices, template built-in".
func (s *Scope) String() string {
	p := s.Profile
	if p == ProfileTemplate {
		p = "template (the rules the template asks for)"
	}
	return "profile " + p + ", template " + s.Template
}

type scopeKey struct {
	t       *spec.Template
	profile string
}

// scopes caches scopes by template and profile, for the life of the
// process: a scope is a few dozen booleans, and a template lives as long as
// its workspace's configuration; reloaded templates push old ones out.
var scopes = cache.New[scopeKey, *Scope](64)

// ScopeFor returns the scope for a tech spec template (nil: the built-in
// one) under cfg's profile setting.
func ScopeFor(cfg *config.Config, t *spec.Template) *Scope {
	if t == nil {
		t = spec.BuiltinTemplate(spec.KindTechSpec)
	}
	profile := ""
	if cfg != nil {
		profile = cfg.Profile
	}
	return scopes.Do(scopeKey{t, profile}, func() *Scope { return newScope(t, profile) })
}

func newScope(t *spec.Template, profile string) *Scope {
	s := &Scope{Profile: profile, Template: "built-in", skip: make([]bool, rules.Count())}
	builtin := t.Source == "builtin"
	if !builtin {
		s.Template = t.Source
	}
	if s.Profile == "" {
		s.Profile = ProfileTemplate
		if builtin {
			s.Profile = config.ProfilePython
		}
	}
	var text string
	if s.Profile == ProfileTemplate {
		text = askedText(t)
	}
	for _, r := range rules.All() {
		n := r.Needs
		if n.Profile == "" {
			continue
		}
		switch s.Profile {
		case ProfileTemplate:
			s.skip[r.Index()] = !asks(text, n.Cues)
		default:
			s.skip[r.Index()] = n.Profile != s.Profile
		}
	}
	return s
}

// askedText is what a template asks for, lower-cased: the titles and
// bodies of its required sections. An optional section asks for nothing.
func askedText(t *spec.Template) string {
	var sb strings.Builder
	for _, ts := range t.Sections {
		if ts.Optional {
			continue
		}
		sb.WriteString(strings.ToLower(ts.Title))
		sb.WriteByte('\n')
		sb.WriteString(strings.ToLower(ts.Body))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// asks reports whether a template's text names one of the cues.
func asks(text string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// Scope returns the scope of the input.
func (in Input) Scope() *Scope { return ScopeFor(in.Config, in.Templates[spec.KindTechSpec]) }

// Enabled reports whether r applies to the input and is not switched off.
func Enabled(in Input, r *rules.Rule) bool {
	return in.Scope().Applies(r) && Severity(in.Config, r) != config.Off
}
