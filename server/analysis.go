package server

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// snapshot is what a check of one feature folder reads: the open buffers of
// the folder's spec files and the generations of configuration and disk.
type snapshot struct {
	dir      string
	overlays map[string]*document
	cfgGen   uint64
	diskGen  uint64
	enc      spec.Encoding
	related  bool
}

// result is one check of a feature folder. It is never modified after it
// is made, so handlers read it without the lock.
type result struct {
	snapshot
	root     string
	ws       *workspace.Workspace
	feature  *spec.Feature
	findings []diagnostics.Finding
	gates    []diagnostics.GateStatus
	scope    *diagnostics.Scope // the profile and template in force
	took     time.Duration

	// A slim result keeps only what the workspace pull and the index read:
	// the paths of the folder's spec files and their converted
	// diagnostics. The cache holds slim results for folders with no open
	// buffer, because the parsed documents (and the findings, which point
	// into them) weigh about 250 KB a feature: 1.3 GB at 5,000 features.
	files []string
	diags map[string][]protocol.Diagnostic
}

// space is a workspace root loaded for one configuration generation.
type space struct {
	ws  *workspace.Workspace
	gen uint64
}

func (s *Server) snapshotLocked(dir string) snapshot {
	snap := snapshot{dir: dir, overlays: map[string]*document{}, cfgGen: s.cfgGen, diskGen: s.diskGen, enc: s.caps.encoding, related: s.caps.relatedInformation}
	for k, d := range s.docs {
		if d.isSpec() && filepath.Dir(d.path) == dir {
			snap.overlays[k] = d
		}
	}
	return snap
}

// freshLocked reports whether r was computed from the current state.
func (s *Server) freshLocked(r *result) bool {
	if r.cfgGen != s.cfgGen || r.diskGen != s.diskGen {
		return false
	}
	n := 0
	for k, d := range s.docs {
		if d.isSpec() && filepath.Dir(d.path) == r.dir {
			if r.overlays[k] != d {
				return false
			}
			n++
		}
	}
	return n == len(r.overlays)
}

// check returns the full result (documents, findings, gates) of the
// feature folder dir for the current state, from the cache when nothing
// changed since the last check.
func (s *Server) check(dir string) *result { return s.lookup(dir, true) }

// summary returns the result of the feature folder dir for the current
// state, slim or full: enough for its paths and diagnostics.
func (s *Server) summary(dir string) *result { return s.lookup(dir, false) }

func (s *Server) lookup(dir string, full bool) *result {
	s.mu.Lock()
	if r := s.results[dir]; r != nil && s.freshLocked(r) && (!full || !r.slim()) {
		s.mu.Unlock()
		return r
	}
	snap := s.snapshotLocked(dir)
	s.mu.Unlock()
	r := s.analyzeShared(snap)
	keep := r
	if len(snap.overlays) == 0 {
		keep = r.slimmed()
	}
	s.mu.Lock()
	s.roots[dir] = r.root
	if s.freshLocked(r) {
		s.results[dir] = keep
	}
	s.mu.Unlock()
	return r
}

// flights are the analyses under way, one per server and folder: requests
// that arrive while the folder's current state is being analysed wait for
// that analysis instead of running their own (after one keystroke in a
// large spec, eight concurrent requests ran eight analyses of the same
// version).
var flights = struct {
	sync.Mutex
	m map[flightKey]*flight
}{m: map[flightKey]*flight{}}

type flightKey struct {
	s   *Server
	dir string
}

type flight struct {
	snap snapshot
	done chan struct{}
	r    *result
}

// analyzeShared is analyze, shared with the callers that ask for the same
// snapshot while it runs.
func (s *Server) analyzeShared(snap snapshot) *result {
	key := flightKey{s: s, dir: snap.dir}
	flights.Lock()
	if f := flights.m[key]; f != nil && sameSnapshot(f.snap, snap) {
		flights.Unlock()
		<-f.done
		if f.r != nil {
			return f.r
		}
		return s.analyze(snap) // it panicked: try on our own
	}
	f := &flight{snap: snap, done: make(chan struct{})}
	flights.m[key] = f
	flights.Unlock()
	defer func() {
		flights.Lock()
		if flights.m[key] == f {
			delete(flights.m, key)
		}
		flights.Unlock()
		close(f.done)
	}()
	f.r = s.analyze(snap)
	return f.r
}

// sameSnapshot reports whether two snapshots of a folder are of the same
// state: generations and the very same open buffers.
func sameSnapshot(a, b snapshot) bool {
	if a.dir != b.dir || a.cfgGen != b.cfgGen || a.diskGen != b.diskGen || a.enc != b.enc || a.related != b.related || len(a.overlays) != len(b.overlays) {
		return false
	}
	for k, d := range a.overlays {
		if b.overlays[k] != d {
			return false
		}
	}
	return true
}

// slim reports whether r was stripped of its documents.
func (r *result) slim() bool { return r.feature == nil }

// slimmed returns a copy of r without documents, findings and gates. The
// strings of the diagnostics are copied, so that none keeps a document's
// text alive.
func (r *result) slimmed() *result {
	out := &result{snapshot: r.snapshot, root: r.root, ws: r.ws, took: r.took, diags: map[string][]protocol.Diagnostic{}}
	for _, path := range r.paths() {
		diags := r.diagnosticsFor(path, r.related)
		for i := range diags {
			d := &diags[i]
			if m, ok := d.Message.(protocol.String); ok {
				d.Message = protocol.String(strings.Clone(string(m)))
			}
			for j := range d.RelatedInformation {
				d.RelatedInformation[j].Message = strings.Clone(d.RelatedInformation[j].Message)
			}
		}
		p := strings.Clone(path)
		out.files = append(out.files, p)
		out.diags[p] = diags
	}
	return out
}

// paths returns the clean paths of the folder's spec files.
func (r *result) paths() []string {
	if r.slim() {
		return r.files
	}
	var out []string
	for _, d := range r.feature.Docs() {
		out = append(out, filepath.Clean(d.Path))
	}
	return out
}

// analyze runs the engine over a snapshot. Files that are not open are
// read from disk.
func (s *Server) analyze(snap snapshot) (r *result) {
	start := time.Now()
	root := spec.WorkspaceRoot(snap.dir)
	ws := s.workspaceFor(root)
	r = &result{snapshot: snap, root: root, ws: ws}
	parsed := s.parsed.ParsedBytes() // an edited file re-parses only the chunks the edit touched
	f, err := s.parsed.LoadFeature(snap.dir, readFile(snap.overlays, ws.Limits(), &s.files), ws.Limits())
	if err != nil {
		s.showOnce(protocol.MessageTypeWarning, fmt.Sprintf("specls: %v", err))
		// Check what is open, at least.
		f = &spec.Feature{Dir: snap.dir, Slug: filepath.Base(snap.dir)}
		for _, d := range snap.overlays {
			f.Set(s.parsed.Parse(d.path, d.text))
		}
	}
	r.feature = f
	for _, d := range f.Docs() {
		d.Mapper() // built now, before the result is shared between goroutines
	}
	if !ws.Ignored(snap.dir) {
		r.findings = s.runEngine(ws, f)
	}
	in := ws.Input(f)
	r.scope = in.Scope()
	r.gates = diagnostics.StatusOf(in, r.findings)
	r.took = time.Since(start)
	// parsed_bytes also counts what checks of other folders running at the
	// same time parsed.
	s.log.Debug("checked", "dir", snap.dir, "findings", len(r.findings), "ms", float64(r.took.Microseconds())/1000,
		"parsed_bytes", s.parsed.ParsedBytes()-parsed)
	return r
}

// runEngine checks a feature; a panic in a rule becomes a message to the
// user and no findings, not a dead server.
func (s *Server) runEngine(ws *workspace.Workspace, f *spec.Feature) (fs []diagnostics.Finding) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("engine panicked", "dir", f.Dir, "panic", p, "stack", string(debug.Stack()))
			s.showOnce(protocol.MessageTypeError, fmt.Sprintf("specls: internal error checking %s: %v", f.Dir, p))
			fs = nil
		}
	}()
	return ws.Check(f)
}

// workspaceFor returns the loaded workspace at root for the current
// configuration generation.
func (s *Server) workspaceFor(root string) *workspace.Workspace {
	s.mu.Lock()
	if sp := s.spaces[root]; sp != nil && sp.gen == s.cfgGen {
		s.mu.Unlock()
		return sp.ws
	}
	gen, settings := s.cfgGen, s.settings
	s.mu.Unlock()
	ws, problems, good, cfgErr := loadWorkspace(root, settings, s.lastGoodConfig(root))
	for _, p := range problems {
		s.showOnce(protocol.MessageTypeError, p)
	}
	s.configLoaded(root, gen, good, cfgErr)
	s.mu.Lock()
	if gen == s.cfgGen {
		s.spaces[root] = &space{ws: ws, gen: gen}
	}
	s.mu.Unlock()
	return ws
}

// doc returns the feature's document at path, or nil.
func (r *result) doc(path string) *spec.Document {
	if r == nil || r.feature == nil {
		return nil
	}
	for _, d := range r.feature.Docs() {
		if filepath.Clean(d.Path) == path {
			return d
		}
	}
	return nil
}

// findingsFor returns the findings about the document at path.
func (r *result) findingsFor(path string) []diagnostics.Finding {
	var out []diagnostics.Finding
	for _, f := range r.findings {
		if filepath.Clean(f.Path) == path {
			out = append(out, f)
		}
	}
	return out
}
