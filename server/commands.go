package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/server/assist"
)

// A commandHandler runs one workspace/executeCommand command. It runs
// concurrently with other requests and may call the client (applyEdit,
// progress). A command that edits takes a view (s.view), computes its
// edits against that view's text and applies them with s.applyAction(ctx,
// v.r, action), so the versions sent are the ones the edits belong to.
type commandHandler func(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error)

// Command names.
const (
	cmdShowGates   = "specls.showGates"
	cmdApplyAction = "specls.applyCodeAction"
)

// commands is the table of commands the server executes; a feature adds
// its command here.
var commands = map[string]commandHandler{
	cmdShowGates: showGates,
}

func init() {
	// Registered here because applying an action may itself run a command
	// of the table (an initialization cycle in a map literal).
	commands[cmdApplyAction] = applyCodeAction
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ExecuteCommand runs a command of the table.
func (s *Server) ExecuteCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	h := commands[p.Command]
	if h == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: unknown command %q (known: %s)", p.Command, strings.Join(commandNames(), ", "))
	}
	res, err := h(ctx, s, p.Arguments)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return protocol.LSPAny("null"), nil
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("command %s result: %w", p.Command, err)
	}
	return raw, nil
}

// argument decodes the i-th command argument into v.
func argument(args []protocol.LSPAny, i int, v any) error {
	if i >= len(args) {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: missing argument %d", i+1)
	}
	if err := json.Unmarshal(args[i], v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: argument %d: %v", i+1, err)
	}
	return nil
}

// showGates shows the gate status of a tech spec (the code lens runs it)
// and returns it.
func showGates(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error) {
	var u string
	if err := argument(args, 0, &u); err != nil {
		return nil, err
	}
	v, err := s.view(ctx, uri.URI(u))
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: %s is not a spec file", u)
	}
	var sb strings.Builder
	sb.WriteString("Gates: " + diagnostics.Summary(v.r.gates))
	for _, g := range v.r.gates {
		if g.Enabled && !g.Pass {
			title, _, _ := assist.GateInfo(g.Gate)
			fmt.Fprintf(&sb, "\nGate %s (%s) fails:", g.Gate, title)
			for i, f := range g.Failing {
				if i == 5 {
					fmt.Fprintf(&sb, " … %d more", g.Count-5)
					break
				}
				fmt.Fprintf(&sb, " %s;", f.Code)
			}
		}
	}
	if v.r.scope != nil {
		sb.WriteString("\nIn force: " + v.r.scope.String() + ".")
	}
	if err := s.client.ShowMessage(ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeInfo, Message: sb.String()}); err != nil {
		s.log.Debug("showMessage failed", "err", err)
	}
	return v.r.gates, nil
}

// applyCodeAction computes a code action again and applies it: for clients
// without code action literals, and for actions that create files in
// clients that cannot.
func applyCodeAction(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error) {
	var ref actionRef
	if err := argument(args, 0, &ref); err != nil {
		return nil, err
	}
	v, a, err := s.findAction(ctx, ref)
	if err != nil {
		return nil, err
	}
	return nil, s.applyAction(ctx, v.r, a)
}
