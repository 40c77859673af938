// Package workspace ties a folder on disk to the engine: it loads the
// configuration and templates of a workspace root, finds feature folders
// and checks them. The CLI and the server both go through it.
package workspace

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/safefile"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Workspace is a root folder with its configuration and templates.
type Workspace struct {
	Root      string
	Config    *config.Config
	Templates map[spec.Kind]*spec.Template
	// CustomTasks is true when the workspace has its own tasks template.
	CustomTasks bool
	// Granted are folders outside Root that files may be read from: the
	// real folders a command-line walk reached through folder links
	// (spec.Discovery.Linked). The server grants none.
	Granted []string
	// Memo, when set, keeps one-document findings between checks of the
	// same parsed documents (the server sets it; one check run has no use
	// for it).
	Memo *diagnostics.Memo
}

// Open loads the configuration and templates of the workspace at root.
func Open(root string) (*Workspace, error) {
	return open(root, nil)
}

// open is Open with granted folders (Workspace.Granted).
func open(root string, granted []string) (*Workspace, error) {
	// Unknown rule codes are reported with the file's other problems.
	cfg, err := config.LoadChecked(root, rules.Known)
	if err != nil {
		return nil, err
	}
	return withConfig(root, cfg, granted)
}

// WithConfig builds a workspace from an already loaded configuration.
func WithConfig(root string, cfg *config.Config) (*Workspace, error) {
	return withConfig(root, cfg, nil)
}

func withConfig(root string, cfg *config.Config, granted []string) (*Workspace, error) {
	if err := cfg.CheckRules(rules.Known); err != nil {
		return nil, err
	}
	w := &Workspace{Root: root, Config: cfg, Templates: map[spec.Kind]*spec.Template{}, Granted: granted}
	overrides := map[spec.Kind]string{spec.KindPRD: cfg.Templates.PRD, spec.KindTechSpec: cfg.Templates.TechSpec, spec.KindTasks: cfg.Templates.Tasks}
	// Templates are looked for at the workspace root, then at the
	// repository root (a feature folder deep in a repository, with the
	// team's tasks/docs at the top).
	roots := []string{root}
	if repo := spec.RepoRoot(root); repo != "" && repo != root {
		roots = append(roots, repo)
	}
	for _, k := range []spec.Kind{spec.KindPRD, spec.KindTechSpec, spec.KindTasks} {
		t, err := spec.TemplateIn(k, roots, overrides[k], granted...)
		if err != nil {
			return nil, fmt.Errorf("workspace %s: %w", root, err)
		}
		w.Templates[k] = t
		if k == spec.KindTasks && t.Source != "builtin" {
			w.CustomTasks = true
		}
	}
	return w, nil
}

// Input returns the engine input for a feature of this workspace.
func (w *Workspace) Input(f *spec.Feature) diagnostics.Input {
	if slug, ok := spec.SlugIn(f.Dir, w.Config.Layout.Features); ok && slug != f.Slug {
		// A configured layout names the slug ("specs/feat-<slug>"); the
		// loaded feature, which may be shared, keeps its own.
		g := *f
		g.Slug = slug
		f = &g
	}
	templates := w.Templates
	if t := templates[spec.KindTechSpec]; (t == nil || t.Source == "builtin") && w.Config.Templates.TechSpec == "" && w.Config.Profile == "" {
		// No template of the workspace's own: a layout with an outline of
		// its own (.compozy/tasks) gets that one, not the seed's.
		if lt := spec.LayoutTechSpecTemplate(f.Dir); lt != nil {
			templates = maps.Clone(templates)
			templates[spec.KindTechSpec] = lt
		}
	}
	return diagnostics.Input{Feature: f, Templates: templates, Config: w.Config, CustomTasksTemplate: w.CustomTasks, Memo: w.Memo}
}

// Check runs the engine over one feature.
func (w *Workspace) Check(f *spec.Feature) []diagnostics.Finding {
	return diagnostics.Check(w.Input(f))
}

// Result is the outcome of checking one feature folder.
type Result struct {
	Root     string
	Feature  *spec.Feature
	Findings []diagnostics.Finding
	Gates    []diagnostics.GateStatus
	Scope    *diagnostics.Scope // the profile and template in force
	// Fixable is the number of findings with a safe fix, when
	// Options.Fixable asked for it.
	Fixable int
}

// CheckPaths finds the feature folders under each path (a folder or a spec
// file), opens the workspace each belongs to, and checks every feature.
// Results come sorted by folder.
func CheckPaths(paths []string) ([]Result, error) {
	var out []Result
	err := Each(paths, func(r Result) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// NoSpecsError says that a path holds no spec files: a typo, or an empty
// folder, which must not pass as "nothing wrong".
type NoSpecsError struct{ Path string }

func (e *NoSpecsError) Error() string {
	return fmt.Sprintf("no spec files under %s (_prd.md, _techspec.md or _tasks.md in a feature folder)", e.Path)
}

// Options tune Each.
type Options struct {
	// AllowEmpty accepts a path with no spec files (a monorepo's package
	// without specs) instead of returning a NoSpecsError.
	AllowEmpty bool
	// Start, when set, is told how many features will be checked, before
	// the first is.
	Start func(total int)
	// Fixable, when set, counts the findings with a safe fix (beside the
	// check, on the same worker).
	Fixable func(diagnostics.Input, []diagnostics.Finding) int
	// LoadOnly loads each feature without checking it: Result has no
	// findings and no gates (fixing, which checks on its own).
	LoadOnly bool
	// Checked, when set, may give a feature folder's documents and their
	// findings already in memory (--fix ends with each feature checked as
	// it wrote it): they stand for reading and checking the folder again.
	Checked func(dir string) (*spec.Feature, []diagnostics.Finding, bool)
}

// Each is CheckPaths one feature at a time: fn sees each result, sorted by
// folder, and nothing is kept after it returns, so memory stays that of a
// few features however many there are. Features are checked on every CPU
// (GOMAXPROCS), a few ahead of fn. An error from fn, or from reading a
// feature, stops the walk: fn has then seen every result before it.
func Each(paths []string, fn func(Result) error) error {
	return EachWith(paths, Options{}, fn)
}

// EachWith is Each with options. Every path is looked through before any
// feature is checked: folders that cannot be read and paths without spec
// files are all reported together, and nothing is checked then.
func EachWith(paths []string, opts Options, fn func(Result) error) error {
	var dirs, granted []string
	var errs []error
	var wd string
	seen := map[string]bool{}
	for _, p := range paths {
		found, err := spec.Walk(p)
		if err != nil {
			errs = append(errs, err)
		} else if len(found.Dirs) == 0 && !opts.AllowEmpty {
			errs = append(errs, &NoSpecsError{Path: p})
		}
		// Folder links the user's own paths lead through are theirs to
		// read (`ln -s ../specs tasks`); file links out of them are still
		// refused.
		granted = append(granted, found.Linked...)
		for _, d := range found.Dirs {
			// Absolute: a feature folder given as "." is still named
			// tasks/prd-<slug>, whatever the working directory (asked
			// once: filepath.Abs asks on every call).
			if !filepath.IsAbs(d) {
				if wd == "" {
					wd, _ = os.Getwd()
				}
				if wd != "" {
					d = filepath.Join(wd, d)
				}
			}
			if abs, err := filepath.Abs(d); err == nil {
				d = abs
			}
			if !seen[d] {
				seen[d] = true
				dirs = append(dirs, d)
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	sort.Strings(dirs)
	// Open every workspace first: there are few, and a broken
	// configuration should stop the run before any output.
	var jobs []*job
	spaces := map[string]*Workspace{}
	// One run resolves each folder once, not once per file read.
	folders := &safefile.Folders{}
	var roots spec.Roots
	for _, dir := range dirs {
		root := roots.Of(dir)
		w := spaces[root]
		if w == nil {
			var err error
			if w, err = open(root, granted); err != nil {
				return err
			}
			spaces[root] = w
		}
		if !w.Ignored(dir) {
			jobs = append(jobs, &job{dir: dir, w: w, folders: folders, fixable: opts.Fixable, loadOnly: opts.LoadOnly, checked: opts.Checked, done: make(chan struct{})})
		}
	}
	if opts.Start != nil {
		opts.Start(len(jobs))
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	if workers == 1 || len(jobs) < 2 {
		for _, j := range jobs {
			j.run()
			if err := j.deliver(fn); err != nil {
				return err
			}
		}
		return nil
	}
	// Workers take jobs in order; a window of 2 per worker bounds how far
	// they run ahead of fn.
	stop := make(chan struct{})
	defer close(stop)
	window := make(chan struct{}, 2*workers)
	next := make(chan *job)
	go func() {
		defer close(next)
		for _, j := range jobs {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- j:
			case <-stop:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for j := range next {
				j.run()
			}
		}()
	}
	for _, j := range jobs {
		<-j.done
		<-window
		if err := j.deliver(fn); err != nil {
			return err
		}
	}
	return nil
}

// job is the check of one feature folder by Each.
type job struct {
	dir      string
	w        *Workspace
	folders  *safefile.Folders
	fixable  func(diagnostics.Input, []diagnostics.Finding) int
	loadOnly bool
	checked  func(dir string) (*spec.Feature, []diagnostics.Finding, bool)
	res      Result
	err      error
	done     chan struct{}
}

func (j *job) run() {
	defer close(j.done)
	var f *spec.Feature
	var fs []diagnostics.Finding
	known := false
	if j.checked != nil {
		f, fs, known = j.checked(j.dir)
	}
	if !known {
		lim := j.w.Limits()
		lim.Folders = j.folders
		var err error
		if f, err = spec.LoadFeatureLimited(j.dir, nil, lim); err != nil {
			j.err = err
			return
		}
	}
	in := j.w.Input(f)
	if j.loadOnly {
		j.res = Result{Root: j.w.Root, Feature: in.Feature}
		return
	}
	if !known {
		fs = diagnostics.Check(in)
	}
	sc := in.Scope()
	j.res = Result{Root: j.w.Root, Feature: in.Feature, Findings: fs, Gates: diagnostics.StatusOf(in, fs), Scope: sc}
	if j.fixable != nil && len(fs) > 0 {
		j.res.Fixable = j.fixable(in, fs)
	}
}

func (j *job) deliver(fn func(Result) error) error {
	if j.err != nil {
		return j.err
	}
	r := j.res
	j.res = Result{} // fn's copy is the only one left
	return fn(r)
}

// Ignored reports whether the configuration's ignore globs cover dir.
func (w *Workspace) Ignored(dir string) bool {
	rel, err := filepath.Rel(w.Root, dir)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, g := range w.Config.Ignore {
		if ok, _ := filepath.Match(g, rel); ok {
			return true
		}
	}
	return false
}
