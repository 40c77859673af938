package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
)

// AIGrant says what the user's own configuration grants the AI settings
// in force. A workspace's .specls.yaml arrives with the repository, so the
// endpoint and key variable it names are not trusted by themselves
// (docs/security.md).
type AIGrant struct {
	// Endpoint is the base URL in force; Host its host, for prompts.
	Endpoint string
	Host     string
	// Approved is true when the user's configuration names the endpoint:
	// editor settings, flags, the user config file's ai.base-url or its
	// trust.endpoints. Otherwise the user is asked before anything is sent.
	Approved bool
	// KeyRefused, when not empty, says why ai.api-key-env is not honoured;
	// nothing is sent then.
	KeyRefused string
}

// keyEnvPattern is the narrow default a workspace may name by itself.
var keyEnvPattern = lazyregexp.New(`^[A-Za-z0-9_]*_API_KEY$`)

// ResolveAI lays the workspace's ai settings over those of the user file,
// and over (editor settings or flags, the user's too) over both, and says
// what the user grants the result.
func ResolveAI(user *User, workspace, over AI) (AI, AIGrant) {
	if user == nil {
		user = &User{}
	}
	out := overlayAI(overlayAI(user.AI, workspace), over)
	g := AIGrant{Endpoint: strings.TrimRight(out.BaseURL, "/")}
	if u, err := url.Parse(g.Endpoint); err == nil && u.Host != "" {
		g.Host = u.Host
	} else {
		g.Host = g.Endpoint
	}
	trusted := append([]string{user.AI.BaseURL, over.BaseURL}, user.Trust.Endpoints...)
	for _, t := range trusted {
		if t != "" && sameEndpoint(t, g.Endpoint) {
			g.Approved = true
		}
	}
	env := out.APIKeyEnv
	fromUser := over.APIKeyEnv != "" || workspace.APIKeyEnv == "" || env == user.AI.APIKeyEnv || slices.Contains(user.Trust.APIKeyEnvs, env)
	if env != "" && !fromUser && !keyEnvPattern.MatchString(env) {
		where := "trust.api-key-envs in your user configuration"
		if p := UserPath(nil); p != "" {
			where = "trust.api-key-envs in " + p
		}
		g.KeyRefused = fmt.Sprintf("ai.api-key-env in the workspace's %s names %s, which specls does not read for a workspace: only variables named *_API_KEY, or those listed under %s (see docs/security.md); nothing was sent", FileName, env, where)
	}
	return out, g
}

// sameEndpoint compares base URLs, ignoring a trailing slash and the case
// of the scheme and host.
func sameEndpoint(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimRight(strings.TrimSpace(s), "/")
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
			return u.String()
		}
		return s
	}
	return norm(a) == norm(b)
}

// overlayAI returns base with every field set in top replacing it.
func overlayAI(base, top AI) AI {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&base.BaseURL, top.BaseURL)
	set(&base.Model, top.Model)
	set(&base.APIKeyEnv, top.APIKeyEnv)
	set(&base.APIVersion, top.APIVersion)
	set(&base.Provider, top.Provider)
	if top.Timeout.Duration != 0 {
		base.Timeout = top.Timeout
	}
	if top.MaxRetries != nil {
		base.MaxRetries = top.MaxRetries
	}
	if top.Stream != nil {
		base.Stream = top.Stream
	}
	if top.Temperature != nil {
		base.Temperature = top.Temperature
	}
	return base
}
