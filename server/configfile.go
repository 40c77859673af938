package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/specls/specls/config"
)

// A broken .specls.yaml is reported where it is broken, as a diagnostic
// on the file, while the last configuration that loaded stays in force:
// rules do not all come back at their defaults while the user types.

// configStates holds, per server and workspace root, the last
// configuration that loaded and whether .specls.yaml has a diagnostic.
var configStates = struct {
	sync.Mutex
	m map[configKey]*configState
}{m: map[configKey]*configState{}}

type configKey struct {
	s    *Server
	root string
}

type configState struct {
	good      *config.Config
	published bool
}

// lastGoodConfig returns the last configuration of root that loaded, or nil.
func (s *Server) lastGoodConfig(root string) *config.Config {
	configStates.Lock()
	defer configStates.Unlock()
	if st := configStates.m[configKey{s, root}]; st != nil {
		return st.good
	}
	return nil
}

// configLoaded records how root's .specls.yaml loaded for configuration
// generation gen: good when it did, err when it did not, and publishes (or
// clears) the diagnostic on it. A load overtaken by a newer generation
// records nothing: it may have read an older file.
func (s *Server) configLoaded(root string, gen uint64, good *config.Config, err error) {
	// Held from the generation check to the publication: otherwise a load
	// found current, then overtaken, could record and publish its outcome
	// after the newer load's (a stale error left on a fixed file).
	s.cfgPub.Lock()
	defer s.cfgPub.Unlock()
	s.mu.Lock()
	current := gen == s.cfgGen
	s.mu.Unlock()
	if !current {
		return
	}
	key := configKey{s, root}
	configStates.Lock()
	st := configStates.m[key]
	if st == nil {
		st = &configState{}
		configStates.m[key] = st
	}
	if err == nil && good != nil {
		st.good = good
	}
	clear := err == nil && st.published
	st.published = err != nil
	configStates.Unlock()
	if err == nil && !clear {
		return
	}
	path := filepath.Join(root, config.FileName)
	diags := []protocol.Diagnostic{}
	if err != nil {
		diags = append(diags, configDiagnostic(err, st.good != nil))
	}
	if s.client == nil {
		return
	}
	if perr := s.client.PublishDiagnostics(context.WithoutCancel(s.bg), &protocol.PublishDiagnosticsParams{URI: uri.File(path), Diagnostics: diags}); perr != nil {
		s.log.Debug("publishing the configuration's diagnostic failed", "err", perr)
	}
}

// configDiagnostic turns a configuration error into a diagnostic at its
// line (the first line when the error names none).
func configDiagnostic(err error, kept bool) protocol.Diagnostic {
	line, msg := 0, err.Error()
	var fe *config.FileError
	if errors.As(err, &fe) {
		msg = fe.Msg
		if fe.Line > 0 {
			line = fe.Line - 1
		}
	}
	if kept {
		msg += " (specls keeps the last configuration that loaded until this is fixed)"
	} else {
		msg += " (specls uses the default configuration until this is fixed)"
	}
	return protocol.Diagnostic{
		Range:    protocol.Range{Start: protocol.Position{Line: uint32(line)}, End: protocol.Position{Line: uint32(line) + 1}},
		Severity: protocol.DiagnosticSeverityError,
		Source:   protocol.NewOptional("specls"),
		Message:  protocol.String(msg),
	}
}

// Configuration changes are gathered before one re-check of everything:
// an editor or a `git checkout` can report thousands of changes to
// .specls.yaml and templates in a burst. The re-check runs coalesceQuiet
// after the last change, and at the latest coalesceMax after the first.
const (
	coalesceQuiet = 50 * time.Millisecond
	coalesceMax   = 500 * time.Millisecond
)

// pendingInvalidations holds the servers with a re-check scheduled.
var pendingInvalidations = struct {
	sync.Mutex
	m map[*Server]*pendingInvalidation
}{m: map[*Server]*pendingInvalidation{}}

type pendingInvalidation struct {
	reason string
	n      int
	first  time.Time
	timer  *time.Timer
}

// invalidateSoon re-checks everything once for a burst of configuration
// changes.
func (s *Server) invalidateSoon(reason string) {
	pendingInvalidations.Lock()
	defer pendingInvalidations.Unlock()
	if p := pendingInvalidations.m[s]; p != nil {
		p.n++
		if wait := coalesceMax - time.Since(p.first); wait > 0 {
			p.timer.Reset(min(coalesceQuiet, wait))
		}
		return
	}
	p := &pendingInvalidation{reason: reason, n: 1, first: time.Now()}
	p.timer = time.AfterFunc(coalesceQuiet, func() {
		pendingInvalidations.Lock()
		if pendingInvalidations.m[s] != p {
			pendingInvalidations.Unlock()
			return
		}
		delete(pendingInvalidations.m, s)
		n := p.n
		pendingInvalidations.Unlock()
		why := p.reason
		if n > 1 {
			why = fmt.Sprintf("%s (and %d more changes)", why, n-1)
		}
		s.invalidate(why)
	})
	pendingInvalidations.m[s] = p
}
