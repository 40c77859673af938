package server

import (
	"context"
	"fmt"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/config"
)

// An AI endpoint named only by the workspace's .specls.yaml gets nothing
// until the user says yes, once per (workspace, endpoint) and server
// session: a cloned repository must not be able to send the user's key
// and files to a server of its choosing (docs/security.md).

// consents holds the (workspace, endpoint) pairs the user approved.
var consents = struct {
	sync.Mutex
	m map[consentKey]bool
}{m: map[consentKey]bool{}}

type consentKey struct {
	s        *Server
	root     string
	endpoint string
}

// consent reports whether the spec text may go to the endpoint: the user's
// own configuration names it, they approved it before in this session, or
// they approve it now. A client that cannot ask, an error or a dismissed
// question mean no.
func (s *Server) consent(ctx context.Context, root string, cfg config.AI, g config.AIGrant) bool {
	if g.Approved {
		return true
	}
	key := consentKey{s: s, root: root, endpoint: g.Endpoint}
	consents.Lock()
	ok := consents.m[key]
	consents.Unlock()
	if ok {
		return true
	}
	if s.client == nil {
		return false
	}
	send := "Send to " + g.Host
	what := "the PRD and spec text"
	if cfg.APIKeyEnv != "" {
		what += " and the API key in $" + cfg.APIKeyEnv
	}
	msg := fmt.Sprintf("specls: the workspace %s configures the AI endpoint %s (host %s) in its .specls.yaml; your own settings do not name it. Send %s to %s?", root, g.Endpoint, g.Host, what, g.Host)
	res, err := s.client.ShowMessageRequest(ctx, &protocol.ShowMessageRequestParams{
		Type:    protocol.MessageTypeWarning,
		Message: msg,
		Actions: []protocol.MessageActionItem{{Title: send}, {Title: "Don't send"}},
	})
	if err != nil {
		s.log.Info("could not ask before sending to the AI endpoint; nothing is sent", "endpoint", g.Endpoint, "err", err)
		return false
	}
	if res == nil || res.Title != send {
		return false
	}
	consents.Lock()
	consents.m[key] = true
	consents.Unlock()
	return true
}
