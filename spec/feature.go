package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

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

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FolderProblem says what is wrong with a feature folder's place and name,
// or "" when it is tasks/prd-<kebab-case-slug>.
func FolderProblem(dir string) string {
	base := filepath.Base(dir)
	parent := filepath.Base(filepath.Dir(dir))
	switch {
	case parent != "tasks":
		return fmt.Sprintf("folder %q is not inside a tasks/ folder; spec files belong in tasks/prd-<feature-slug>/", base)
	case !strings.HasPrefix(base, "prd-"):
		return fmt.Sprintf("folder %q does not start with \"prd-\"; name it tasks/prd-<feature-slug>/", base)
	case !slugRe.MatchString(strings.TrimPrefix(base, "prd-")):
		return fmt.Sprintf("slug %q is not kebab-case (lower-case words joined by hyphens)", strings.TrimPrefix(base, "prd-"))
	}
	return ""
}

// ReadFunc reads a file; the server passes one that prefers open buffers.
type ReadFunc func(path string) ([]byte, error)

// LoadFeature reads and parses the spec files of dir within the default
// limits. Missing files are skipped; any other read error is returned.
func LoadFeature(dir string, read ReadFunc) (*Feature, error) {
	return loadFeature(dir, read, Limits{}, Parse)
}

// LoadFeatureLimited is LoadFeature within lim. read == nil reads from
// disk through lim.Read. A file that is refused (not a regular file,
// outside the root, too large, not text, nested too deep) is kept as a
// document with Refused set and no parse.
func LoadFeatureLimited(dir string, read ReadFunc, lim Limits) (*Feature, error) {
	return loadFeature(dir, read, lim, Parse)
}

func loadFeature(dir string, read ReadFunc, lim Limits, parse func(string, []byte) *Document) (*Feature, error) {
	if read == nil {
		read = lim.Read
	}
	f := &Feature{Dir: dir, Slug: strings.TrimPrefix(filepath.Base(dir), "prd-")}
	for _, k := range []Kind{KindPRD, KindTechSpec, KindTasks} {
		p := filepath.Join(dir, FileNames[k])
		src, err := read(p)
		if errors.Is(err, fs.ErrNotExist) {
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
			return nil, fmt.Errorf("load feature %s: %w", dir, err)
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
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".hg": true, ".svn": true, "vendor": true}

// Discover walks root and returns the folders holding spec files, sorted.
// It skips .git, node_modules and what root's .gitignore files ignore.
// A path that is itself a spec file yields its folder.
func Discover(root string) ([]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("discover specs: %w", err)
	}
	if !info.IsDir() {
		if !IsSpecFile(root) {
			return nil, fmt.Errorf("discover specs: %s is not a spec file (_prd.md, _techspec.md or _tasks.md)", root)
		}
		return []string{filepath.Dir(root)}, nil
	}
	type rules struct {
		dir string
		gi  *ignore.GitIgnore
	}
	var ignores []rules
	ignored := func(path string, isDir bool) bool {
		for _, r := range ignores {
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
	seen := map[string]bool{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // unreadable subfolders are skipped, not fatal
		}
		if d.IsDir() {
			if path != root && (skipDirs[d.Name()] || ignored(path, true)) {
				return filepath.SkipDir
			}
			if gi := readIgnore(root, filepath.Join(path, ".gitignore")); gi != nil {
				ignores = append(ignores, rules{path, gi})
			}
			return nil
		}
		if IsSpecFile(path) && !ignored(path, false) {
			seen[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("discover specs in %s: %w", root, err)
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

// WorkspaceRoot finds the workspace root for a path: walking up, the first
// folder that holds .specls.yaml or is the parent of a "tasks" folder; else
// the nearest ancestor with .git; else the path's own folder.
func WorkspaceRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	start := abs
	if info, err := os.Stat(abs); err != nil || !info.IsDir() {
		start = filepath.Dir(abs)
	}
	gitDir := ""
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".specls.yaml")); err == nil {
			return d
		}
		if filepath.Base(d) == "tasks" {
			return filepath.Dir(d)
		}
		if gitDir == "" {
			if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
				gitDir = d
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if gitDir != "" {
		return gitDir
	}
	return start
}

// readIgnore compiles a .gitignore file, read as a regular file inside
// root of at most 1 MB; anything else (a FIFO, a link to /dev/zero) is
// skipped, as a missing file is.
func readIgnore(root, path string) *ignore.GitIgnore {
	src, err := safefile.Read(path, safefile.Options{Root: root, MaxSize: 1 << 20})
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
