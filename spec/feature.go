package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/internal/safefile"
)

// Feature is one feature folder, tasks/prd-<slug>/, and the spec files it
// holds. Any of the documents may be nil.
type Feature struct {
	Dir      string // the folder, as given (absolute in the server)
	Slug     string // <slug> of prd-<slug>, or the folder's base name
	PRD      *Document
	TechSpec *Document
	Tasks    *Document
}

// Docs returns the feature's documents that exist, PRD first.
func (f *Feature) Docs() []*Document {
	var out []*Document
	for _, d := range []*Document{f.PRD, f.TechSpec, f.Tasks} {
		if d != nil {
			out = append(out, d)
		}
	}
	return out
}

// Doc returns the document of the given kind, or nil.
func (f *Feature) Doc(k Kind) *Document {
	switch k {
	case KindPRD:
		return f.PRD
	case KindTechSpec:
		return f.TechSpec
	case KindTasks:
		return f.Tasks
	}
	return nil
}

// Set stores d as the feature's document of its kind.
func (f *Feature) Set(d *Document) {
	switch d.Kind {
	case KindPRD:
		f.PRD = d
	case KindTechSpec:
		f.TechSpec = d
	case KindTasks:
		f.Tasks = d
	}
}

// FileNames are the spec files a feature folder may hold.
var FileNames = map[Kind]string{KindPRD: "_prd.md", KindTechSpec: "_techspec.md", KindTasks: "_tasks.md"}

var slugRe = lazyregexp.New(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// DefaultLayouts are the feature folder patterns recognised out of the box:
// the convention's tasks/prd-<slug>/ and the newer .compozy/tasks/<slug>/.
var DefaultLayouts = []string{"tasks/prd-*", ".compozy/tasks/*"}

// FolderProblem says what is wrong with a feature folder's place and name,
// or "" when it follows one of the default layouts (DefaultLayouts).
func FolderProblem(dir string) string { return FolderProblemIn(dir, nil) }

// FolderProblemIn is FolderProblem for the feature folder patterns of a
// configuration (nil means DefaultLayouts). A pattern is a slash-separated
// glob matched against the last folders of dir, so "tasks/prd-*" matches
// any .../tasks/prd-<slug>; the part its last "*" stands for is the slug,
// which must be kebab-case.
func FolderProblemIn(dir string, patterns []string) string {
	custom := len(patterns) > 0
	if !custom {
		patterns = DefaultLayouts
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // "." names no folder; its absolute path does
	}
	for _, p := range patterns {
		if slug, ok := matchLayout(dir, p); ok {
			if !slugRe.MatchString(slug) {
				return fmt.Sprintf("slug %q is not kebab-case (lower-case words joined by hyphens)", slug)
			}
			return ""
		}
	}
	base := filepath.Base(dir)
	parent := filepath.Base(filepath.Dir(dir))
	switch {
	case custom:
		return fmt.Sprintf("folder %q matches none of the feature folder patterns of layout.features (%s)", base, strings.Join(patterns, ", "))
	case parent != "tasks":
		return fmt.Sprintf("folder %q is not inside a tasks/ folder; spec files belong in tasks/prd-<feature-slug>/ (or .compozy/tasks/<feature-slug>/)", base)
	default:
		return fmt.Sprintf("folder %q does not start with \"prd-\"; name it tasks/prd-<feature-slug>/", base)
	}
}

// SlugIn returns the slug of a feature folder under the first of patterns
// it matches (see FolderProblemIn), and false when it matches none.
func SlugIn(dir string, patterns []string) (string, bool) {
	for _, p := range patterns {
		if slug, ok := matchLayout(filepath.Clean(dir), p); ok {
			return slug, true
		}
	}
	return "", false
}

// matchLayout matches the last folders of dir against pattern and returns
// the slug: the last folder's name less the pattern's fixed prefix and suffix.
func matchLayout(dir, pattern string) (slug string, ok bool) {
	parts := strings.Split(strings.Trim(pattern, "/"), "/")
	names := strings.Split(filepath.ToSlash(dir), "/")
	if len(names) < len(parts) {
		return "", false
	}
	names = names[len(names)-len(parts):]
	for i, p := range parts {
		if m, err := path.Match(p, names[i]); err != nil || !m {
			return "", false
		}
	}
	last, base := parts[len(parts)-1], names[len(names)-1]
	if i := strings.IndexByte(last, '*'); i >= 0 {
		end := len(base) - (len(last) - strings.LastIndexByte(last, '*') - 1)
		if i <= end { // else a class such as [ab] made the prefix shorter than written
			return base[i:end], true
		}
	}
	return base, true
}

// ReadFunc reads a file; the server passes one that prefers open buffers.
type ReadFunc func(path string) ([]byte, error)

// LoadFeature reads and parses the spec files of dir within the default
// limits. Missing files are skipped; any other read error is returned.
func LoadFeature(dir string, read ReadFunc) (*Feature, error) {
	return loadFeature(dir, read, Limits{}, nil)
}

// LoadFeatureLimited is LoadFeature within lim. read == nil reads from
// disk through lim.Read. A file that is refused (not a regular file,
// outside the root, too large, not text, nested too deep) is kept as a
// document with Refused set and no parse.
func LoadFeatureLimited(dir string, read ReadFunc, lim Limits) (*Feature, error) {
	return loadFeature(dir, read, lim, nil)
}

// loadFeature reads dir's spec files with read (nil: lim.Read) and parses
// them with parse (nil: Parse).
func loadFeature(dir string, read ReadFunc, lim Limits, parse func(string, []byte) *Document) (*Feature, error) {
	if parse == nil {
		parse = Parse
		if read == nil {
			// A buffer lim.Read returns is the document's alone.
			parse = parseOwned
		}
	}
	if read == nil {
		read = lim.Read
	}
	f := &Feature{Dir: dir, Slug: strings.TrimPrefix(filepath.Base(dir), "prd-")}
	for _, k := range []Kind{KindPRD, KindTechSpec, KindTasks} {
		p := filepath.Join(dir, FileNames[k])
		src, err := read(p)
		if errors.Is(err, fs.ErrNotExist) {
			if safefile.Absent(err) {
				continue // the read's own lstat found nothing, not even a link
			}
			if _, lerr := os.Lstat(p); lerr == nil {
				// A dangling symlink: say so rather than act as if absent.
				f.Set(refused(p, nil, &Refusal{Code: CodeNotRegular, Message: "a symlink to nothing; point it at a spec file inside the workspace, or remove it"}))
			}
			continue
		}
		if r := safefile.Refused(err); r != nil {
			f.Set(refused(p, nil, &Refusal{Code: string(r.Reason), Message: refusalMessage(r)}))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPath(err))
		}
		if r := lim.Screen(p, src); r != nil {
			d := refused(p, src, r)
			if r.Code == CodeNotText {
				// Parsed for the outline and navigation, which read
				// nothing wrong into it; the engine and fixes skip it.
				cp := *parse(p, src) // a copy: a cached parse is shared
				cp.Refused = r
				d = &cp
			}
			f.Set(d)
			continue
		}
		f.Set(parse(p, src))
	}
	return f, nil
}

// IsSpecFile reports whether path names a spec file (by its base name).
func IsSpecFile(path string) bool { return KindOf(path) != KindUnknown }

// skipDirs are never walked.
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".hg": true, ".svn": true, "vendor": true,
	// Archived features (.compozy/tasks/_archived/<slug>) are done with;
	// naming the folder itself still checks it.
	"_archived": true, "_archive": true}

// Discover walks root and returns the folders holding spec files, sorted.
// It skips .git, node_modules, _archived folders and what root's .gitignore files ignore, and
// follows symbolic links to folders, each real folder once (so a link loop
// ends). A path that is itself a spec file yields its folder.
//
// A folder that cannot be read is an error naming it; the folders found
// elsewhere are still returned beside it.
func Discover(root string) ([]string, error) {
	d, err := Walk(root)
	return d.Dirs, err
}

// Discovery is what one Walk found.
type Discovery struct {
	// Dirs are the folders holding spec files, sorted, as reached from the
	// path walked (through links, if any).
	Dirs []string
	// Linked are the real folders the walk entered through a symbolic
	// link, the walked path itself included when it is one, sorted: the
	// places outside the workspace root the caller was led to.
	Linked []string
}

// Walk is Discover, also telling which folder links it followed.
func Walk(root string) (Discovery, error) {
	info, err := os.Stat(root)
	if err != nil {
		return Discovery{}, fmt.Errorf("discover specs: %w", err)
	}
	if !info.IsDir() {
		if !IsSpecFile(root) {
			return Discovery{}, fmt.Errorf("discover specs: %s is not a spec file (_prd.md, _techspec.md or _tasks.md)", root)
		}
		return Discovery{Dirs: []string{filepath.Dir(root)}}, nil
	}
	w := &walker{root: root, seen: map[string]bool{}, visited: map[string]bool{}, linked: map[string]bool{}, folders: &safefile.Folders{}}
	// The path itself counts when a link on it (the path or a parent)
	// leads elsewhere: tasks/prd-x where tasks is a link.
	if abs, err := filepath.Abs(root); err == nil {
		if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
			w.linked[real] = true
		}
	}
	w.walk(root, "")
	return Discovery{Dirs: sortedKeys(w.seen), Linked: sortedKeys(w.linked)}, errors.Join(w.errs...)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// walker is one Discover walk.
type walker struct {
	root    string // the folder walked; .gitignore files are read only inside it
	ignores []gitignore
	seen    map[string]bool // folders holding spec files
	visited map[string]bool // real paths of the folders walked
	linked  map[string]bool // real paths of the folders entered through a link
	errs    []error
	// folders resolves the .gitignore files' folders for the root check,
	// each once.
	folders *safefile.Folders
}

type gitignore struct {
	dir string
	gi  *ignore.GitIgnore
}

func (w *walker) ignored(path string, isDir bool) bool {
	for _, r := range w.ignores {
		rel, err := filepath.Rel(r.dir, path)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		rel = filepath.ToSlash(rel)
		if isDir {
			rel += "/"
		}
		if r.gi.MatchesPath(rel) {
			return true
		}
	}
	return false
}

// walk visits dir, a folder reached by the path the user sees (through
// links, if any), and its subfolders. real is dir's real path when known
// ("" when not): a folder that is no link is its parent's real path and
// its name, where resolving it again was a lstat per path component.
func (w *walker) walk(dir, real string) {
	if real == "" {
		var err error
		if real, err = filepath.EvalSymlinks(dir); err != nil {
			w.errs = append(w.errs, fmt.Errorf("cannot read folder %s: %w", dir, err))
			return
		}
	}
	if w.visited[real] {
		return
	}
	w.visited[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("cannot read folder %s: %w", dir, unwrapPath(err)))
		return
	}
	n := len(w.ignores)
	// The listing says whether there is a .gitignore to read (a read of a
	// missing one was two system calls per folder).
	if slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".gitignore" }) {
		if gi := readIgnore(w.root, filepath.Join(dir, ".gitignore"), w.folders); gi != nil {
			w.ignores = append(w.ignores, gitignore{dir, gi})
		}
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		link := e.Type()&fs.ModeSymlink != 0
		if link {
			info, err := os.Stat(path)
			if err != nil {
				continue // a dangling link holds nothing to check
			}
			isDir = info.IsDir()
		}
		switch {
		case isDir:
			if !skipDirs[e.Name()] && !w.ignored(path, true) {
				sub := filepath.Join(real, e.Name())
				if link {
					sub = ""
					if r, err := filepath.EvalSymlinks(path); err == nil {
						w.linked[r] = true
						sub = r
					}
				}
				w.walk(path, sub)
			}
		case IsSpecFile(path) && !w.ignored(path, false):
			w.seen[dir] = true
		}
	}
	// A folder's .gitignore covers only what is below it.
	w.ignores = w.ignores[:n]
}

// unwrapPath drops the *fs.PathError around err: the message names the
// folder already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WorkspaceRoot finds the workspace root for a path, the folder whose
// .specls.yaml and tasks/docs templates apply to it. Walking up from the
// path to the repository root (the folder holding .git):
//   - the nearest folder holding .specls.yaml, so that a configuration at
//     the repository root applies to every feature folder of the repository;
//   - else the folder holding the layout's tasks/ folder (for
//     .compozy/tasks/<slug>/, the folder holding .compozy);
//   - else the repository root; else the path's own folder.
//
// Outside a repository, a .specls.yaml above the tasks/ folder's parent is
// not looked at.
func WorkspaceRoot(path string) string {
	return workspaceRoot(path, exists)
}

// Roots is WorkspaceRoot for the many folders of one run: whether each
// .specls.yaml and .git exists is asked once, not once per folder below
// it (the same few above every feature folder). Not for concurrent use.
type Roots struct {
	exist map[string]bool
}

// Of returns WorkspaceRoot(path).
func (r *Roots) Of(path string) string {
	return workspaceRoot(path, r.exists)
}

func (r *Roots) exists(path string) bool {
	e, ok := r.exist[path]
	if !ok {
		if r.exist == nil {
			r.exist = map[string]bool{}
		}
		e = exists(path)
		r.exist[path] = e
	}
	return e
}

func workspaceRoot(path string, exists func(string) bool) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	start := abs
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		start = filepath.Dir(abs)
	}
	var cfgDir, layoutDir, gitDir string
	for d := start; ; d = filepath.Dir(d) {
		if cfgDir == "" && exists(filepath.Join(d, ".specls.yaml")) {
			cfgDir = d
		}
		if layoutDir == "" && filepath.Base(d) == "tasks" {
			layoutDir = filepath.Dir(d)
			if filepath.Base(layoutDir) == ".compozy" {
				layoutDir = filepath.Dir(layoutDir)
			}
		}
		if exists(filepath.Join(d, ".git")) {
			gitDir = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	switch {
	case cfgDir != "" && (gitDir != "" || layoutDir == "" || within(cfgDir, layoutDir)):
		return cfgDir
	case layoutDir != "":
		return layoutDir
	case gitDir != "":
		return gitDir
	}
	return start
}

// readIgnore compiles a .gitignore file, read as a regular file inside
// root of at most 1 MB; anything else (a FIFO, a link to /dev/zero) is
// skipped, as a missing file is.
func readIgnore(root, path string, folders *safefile.Folders) *ignore.GitIgnore {
	src, err := safefile.Read(path, safefile.Options{Root: root, MaxSize: 1 << 20, Folders: folders})
	if err != nil {
		return nil
	}
	return ignore.CompileIgnoreLines(strings.Split(string(src), "\n")...)
}

// refusalMessage words a refused read for a finding on the file itself:
// the problem first, then, after "; ", what to do.
func refusalMessage(r *safefile.RefusedError) string {
	switch r.Reason {
	case safefile.NotRegular:
		return r.Detail + ", not a regular file; specls reads only regular files and leaves it alone"
	case safefile.OutsideRoot:
		return "links outside the workspace root, to " + r.Detail + "; specls reads no file outside the workspace"
	case safefile.TooLarge:
		return "larger than the size cap (" + r.Detail + "); raise limits.max-file-size in .specls.yaml to check it"
	}
	return r.Msg
}

// RepoRoot returns the folder holding .git at or above dir, or "".
func RepoRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, ".git")) {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// within reports whether dir is base or below it.
func within(dir, base string) bool {
	rel, err := filepath.Rel(base, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
