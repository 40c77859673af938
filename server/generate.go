package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/ai"
	"github.com/specls/specls/codeactions"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// Generation with an LLM: the command answers at once and the work runs in
// the background with work-done progress the user can watch and cancel.
// The answer is validated and re-checked by package ai; it is applied with
// workspace/applyEdit as a versioned edit against the document as it is
// then, re-anchored to its section when the author typed meanwhile, or not
// at all when the section itself changed. Every run ends with one message.

const cmdCancelGeneration = "specls.cancelGeneration"

func init() {
	commands[codeactions.CommandGenerateSection] = generateCommand
	commands[codeactions.CommandDraftTechSpec] = generateCommand
	commands[codeactions.CommandConfigureAI] = configureAI
	commands[cmdCancelGeneration] = cancelGeneration
}

// generations holds the cancel functions of the running generations, per
// server and target, so that one target is not generated twice at once
// and a client without work-done progress can still cancel.
var generations = struct {
	sync.Mutex
	m map[genKey]context.CancelFunc
}{m: map[genKey]context.CancelFunc{}}

type genKey struct {
	s       *Server
	path    string
	section string
}

// expectedTokens sizes the progress bar: about how long an answer runs.
const (
	expectedSectionTokens  = 700
	expectedDocumentTokens = 5000
)

func generateCommand(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error) {
	var a codeactions.GenerateArgs
	if err := argument(args, 0, &a); err != nil {
		return nil, err
	}
	path := filepath.Clean(a.Path)
	if !filepath.IsAbs(path) || !spec.IsSpecFile(path) {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: %q is not the path of a spec file", a.Path)
	}
	// A draft's document does not exist yet: look through its PRD.
	at := path
	if a.Section == "" {
		at = filepath.Join(filepath.Dir(path), spec.FileNames[spec.KindPRD])
	}
	v, err := s.view(ctx, uri.File(at))
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "specls: %s is not a spec file of a feature folder", filepath.Base(at))
	}
	what := fmt.Sprintf("%q", a.Section)
	if a.Section == "" {
		what = filepath.Base(path)
	}
	cfg := v.r.ws.Config
	if cfg.AIGrant.KeyRefused != "" {
		s.notify(protocol.MessageTypeWarning, fmt.Sprintf("specls: cannot generate %s with AI: %s", what, cfg.AIGrant.KeyRefused))
		return nil, nil
	}
	client, err := ai.NewClient(cfg.AI, ai.WithLogger(s.log))
	if err != nil {
		s.notify(protocol.MessageTypeWarning, fmt.Sprintf("specls: cannot generate %s with AI: %v", what, err))
		return nil, nil
	}
	key := genKey{s: s, path: path, section: spec.Normalize(a.Section)}
	gctx, cancel := context.WithCancel(s.bg)
	generations.Lock()
	if generations.m[key] != nil {
		generations.Unlock()
		cancel()
		s.notify(protocol.MessageTypeInfo, fmt.Sprintf("specls: %s is already being generated", what))
		return nil, nil
	}
	generations.m[key] = cancel
	generations.Unlock()
	s.safely("generating "+what, func() {
		defer func() {
			generations.Lock()
			delete(generations.m, key)
			generations.Unlock()
			cancel()
		}()
		if !s.consent(gctx, v.r.root, cfg.AI, cfg.AIGrant) {
			s.notify(protocol.MessageTypeInfo, fmt.Sprintf("specls: %s was not generated: nothing was sent to %s", what, cfg.AIGrant.Host))
			return
		}
		s.generate(gctx, client, path, a.Section, what)
	})
	return nil, nil
}

// generate runs one generation to its end: progress, the request, the
// edit, and the one message that tells the user how it went.
func (s *Server) generate(ctx context.Context, client ai.Completer, path, section, what string) {
	p := s.BeginProgress(ctx, "specls: generating "+what+" with AI")
	expected := expectedSectionTokens
	if section == "" {
		expected = expectedDocumentTokens
	}
	var last ai.Progress
	reported := -1
	progress := func(pr ai.Progress) {
		last = pr
		// Chunks are about a token each, until the endpoint counts.
		n := max(pr.Tokens, pr.Chunks)
		// Every retry is worth a line; chunks, the first and every few.
		if pr.Retry == 0 && n > 0 && reported > 0 && n-reported < 8 {
			return
		}
		reported = n
		p.Report(pr.Message(), min(95, n*100/expected))
	}
	in, err := s.featureInput(p.Context, path)
	if err != nil {
		s.finish(p, protocol.MessageTypeError, fmt.Sprintf("specls: cannot generate %s: %v", what, err))
		return
	}
	res, err := ai.Generate(p.Context, client, ai.Request{Input: in.Input, Path: path, Section: section, Progress: progress})
	if err == nil {
		p.Report("checking the answer and applying it", 97)
		res, err = s.applyGenerated(p.Context, res)
	}
	var e *ai.Error
	switch {
	case err == nil:
		s.finish(p, findingsType(res), generatedMessage(res, last))
	case errors.Is(err, context.Canceled) || p.Context.Err() != nil:
		s.finish(p, protocol.MessageTypeInfo, fmt.Sprintf("specls: generation of %s cancelled; nothing was written", what))
	case errors.As(err, &e) && e.Kind == ai.KindChanged:
		s.finish(p, protocol.MessageTypeWarning, fmt.Sprintf("specls: %s: %v", what, err))
	default:
		s.finish(p, protocol.MessageTypeError, fmt.Sprintf("specls: could not generate %s with AI: %v", what, err))
	}
}

// featureInput returns the engine input of the feature holding path, from
// the open buffers as they are now.
func (s *Server) featureInput(ctx context.Context, path string) (inputView, error) {
	v, err := s.view(ctx, uri.File(path))
	if err != nil {
		return inputView{}, err
	}
	if v == nil {
		// The document does not exist (a draft): look through a sibling.
		v, err = s.view(ctx, uri.File(filepath.Join(filepath.Dir(path), spec.FileNames[spec.KindPRD])))
		if err != nil {
			return inputView{}, err
		}
		if v == nil {
			return inputView{}, fmt.Errorf("%s has no PRD or tech spec", filepath.Dir(path))
		}
	}
	return inputView{Input: v.r.ws.Input(v.r.feature), r: v.r}, nil
}

// applyGenerated places the answer into the document as it is now and
// applies it. When the editor refuses the edit because the author typed in
// between, it tries again against the newer text, a few times.
func (s *Server) applyGenerated(ctx context.Context, res ai.Result) (ai.Result, error) {
	for attempt := 0; ; attempt++ {
		in, err := s.featureInput(ctx, res.Target.Path)
		if err != nil {
			return res, err
		}
		placed, err := ai.Reanchor(in.Input, res)
		if err != nil {
			return res, err
		}
		act := codeactions.Action{Title: "Generate " + placed.Title() + " with AI"}
		if placed.Create {
			act.Creates = []codeactions.FileCreate{{Path: placed.Edit.Path, Content: placed.Edit.NewText}}
		} else {
			act.Edits = []codeactions.Edit{{Path: placed.Edit.Path, Span: placed.Edit.Span, NewText: placed.Edit.NewText}}
		}
		err = s.applyAction(ctx, in.r, act)
		if err == nil {
			return placed, nil
		}
		var w *jsonrpc2.Error
		if attempt == 2 || !errors.As(err, &w) || w.Code != protocol.CodeContentModified || !s.changedSince(in.r, res.Target.Path) {
			return res, fmt.Errorf("the editor did not take the edit: %w", err)
		}
	}
}

// changedSince reports whether the open buffer at path is newer than in r.
func (s *Server) changedSince(r *result, path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, now := s.docs[filepath.Clean(path)], r.overlays[filepath.Clean(path)]
	return d != now
}

// inputView is an engine input with the check it came from.
type inputView struct {
	Input diagnostics.Input
	r     *result
}

// finish ends the progress and shows the message.
func (s *Server) finish(p *Progress, typ protocol.MessageType, msg string) {
	p.End(strings.TrimPrefix(msg, "specls: "))
	s.notify(typ, msg)
}

// notify shows a message the user asked for by running a command: unlike
// s.message, information goes to showMessage too.
func (s *Server) notify(typ protocol.MessageType, msg string) {
	s.log.Info("generate", "message", msg)
	if s.client == nil {
		return
	}
	if err := s.client.ShowMessage(context.WithoutCancel(s.bg), &protocol.ShowMessageParams{Type: typ, Message: msg}); err != nil {
		s.log.Debug("showMessage failed", "err", err)
	}
}

func findingsType(res ai.Result) protocol.MessageType {
	if len(res.Findings) > 0 {
		return protocol.MessageTypeWarning
	}
	return protocol.MessageTypeInfo
}

// generatedMessage says what was written and what the engine found in it.
func generatedMessage(res ai.Result, pr ai.Progress) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "specls: generated %q with AI", res.Title())
	switch {
	case pr.Tokens > 0:
		fmt.Fprintf(&sb, " (%d tokens)", pr.Tokens)
	case pr.Chunks > 0:
		fmt.Fprintf(&sb, " (%d chunks)", pr.Chunks)
	}
	if len(res.Findings) == 0 {
		sb.WriteString("; the checks find nothing in it. Review it before you rely on it.")
		return sb.String()
	}
	fmt.Fprintf(&sb, "; review it: the checks find %d problem(s) in it:", len(res.Findings))
	m := spec.NewMapper(res.Text)
	for i, f := range res.Findings {
		if i == 5 {
			fmt.Fprintf(&sb, " … and %d more", len(res.Findings)-5)
			break
		}
		fmt.Fprintf(&sb, " line %d %s: %s;", m.Line(f.Span.Start)+1, f.Code, f.Message)
	}
	return strings.TrimSuffix(sb.String(), ";")
}

// configureAI is what the AI actions run when no endpoint is configured.
func configureAI(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error) {
	s.notify(protocol.MessageTypeInfo, "specls: "+ai.NotConfiguredHint+". Set api-key-env to the name of the environment variable holding the key; the key itself never goes in the file.")
	return nil, nil
}

// cancelGeneration cancels the running generations of a document (its
// path as the argument), or all of them.
func cancelGeneration(ctx context.Context, s *Server, args []protocol.LSPAny) (any, error) {
	var path string
	if len(args) > 0 {
		if err := argument(args, 0, &path); err != nil {
			return nil, err
		}
		path = filepath.Clean(path)
	}
	n := 0
	generations.Lock()
	for k, cancel := range generations.m {
		if k.s == s && (path == "." || path == "" || k.path == path) {
			cancel()
			n++
		}
	}
	generations.Unlock()
	return n, nil
}
