// Package safefile reads the files a workspace names — spec files,
// templates, .specls.yaml, .gitignore — without trusting them: only
// regular files, only inside the workspace root, and never more than a
// size cap. A cloned repository decides what those paths point at, so a
// symlink to /dev/zero, a FIFO, /dev/stdin or ~/.aws/credentials must be
// refused, not read.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// DefaultMaxSize is the largest spec file read when the configuration does
// not say otherwise.
const DefaultMaxSize = 10 << 20

// Reason says why a file was refused; each is also the code of the finding
// that reports it.
type Reason string

const (
	// NotRegular: a device, FIFO, socket or folder where a file was expected.
	NotRegular Reason = "file-not-regular"
	// TooLarge: a file past the size cap.
	TooLarge Reason = "file-too-large"
	// OutsideRoot: a path, or a symlink's target, outside the workspace root.
	OutsideRoot Reason = "path-outside-workspace"
)

// RefusedError is a file that was not read, and why.
type RefusedError struct {
	Path   string
	Reason Reason
	Msg    string // a whole sentence, naming the path
	// Detail is what the file is (NotRegular: "a named pipe (FIFO)"),
	// where it leads (OutsideRoot: the resolved path) or its size
	// (TooLarge: "12.3 MB or more, over 10.0 MB"), for messages that name
	// the file by their position.
	Detail string
}

func (e *RefusedError) Error() string { return e.Path + ": " + e.Msg }

// Refused returns the *RefusedError in err's chain, or nil.
func Refused(err error) *RefusedError {
	var r *RefusedError
	if errors.As(err, &r) {
		return r
	}
	return nil
}

// Options bound a read. The zero value reads anywhere, up to DefaultMaxSize.
type Options struct {
	// Root, when set, is the folder the file must resolve inside, symlinks
	// followed.
	Root string
	// Granted are more folders a file may resolve inside: those the user
	// reached through folder links named on their own command line (a
	// tasks/ folder kept in another checkout). A repository cannot add to
	// them.
	Granted []string
	// MaxSize is the largest size read; 0 means DefaultMaxSize.
	MaxSize int64
	// Folders, when set, remembers the real path of each folder resolved
	// (see Folders): a one-off check reads hundreds of files in a few
	// folders, and resolving each path from the root was a lstat per path
	// component per file.
	Folders *Folders
}

// Read reads the regular file at path within o's bounds. A missing file
// gives an error that satisfies errors.Is(err, fs.ErrNotExist); a refused
// one a *RefusedError.
func Read(path string, o Options) ([]byte, error) {
	max := o.MaxSize
	if max <= 0 {
		max = DefaultMaxSize
	}
	var seen lstatted
	if o.Root != "" {
		var err error
		if seen, err = o.Folders.insideSeen(o.Root, path, o.Granted...); err != nil {
			return nil, err
		}
	}
	if seen.missing {
		// The root check's lstat found nothing there, not even a link:
		// asking again would be two more system calls for the same answer.
		return nil, &fs.PathError{Op: "lstat", Path: path, Err: syscall.ENOENT}
	}
	// Stat first so that a FIFO is never opened (opening one blocks until
	// a writer comes); the fstat after opening catches a swap in between.
	// A path that is no link was just lstat'ed by the root check, and its
	// stat would be the same.
	info := seen.info
	if info == nil {
		var err error
		if info, err = os.Stat(path); err != nil {
			return nil, err
		}
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(path, info.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err = f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(path, info.Mode())
	}
	if info.Size() > max {
		return nil, tooLarge(path, info.Size(), max)
	}
	// The file can grow while it is read: read one byte past the cap to see.
	buf, err := readAll(io.LimitReader(f, max+1), info.Size())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(buf)) > max {
		return nil, tooLarge(path, int64(len(buf)), max)
	}
	return buf, nil
}

// Absent reports whether err is Read's answer for a path where nothing is,
// not even a dangling link: a caller that would lstat the path to tell a
// dangling link apart need not. Other not-found errors may still be links.
func Absent(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "lstat" && pe.Err == syscall.ENOENT
}

// readAll is io.ReadAll into a buffer of the file's size and one byte
// more (the read that sees the end), instead of io.ReadAll's doublings
// from 512 bytes: two reads and one allocation for a file that does not
// change.
func readAll(r io.Reader, size int64) ([]byte, error) {
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grown while read
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// Inside returns nil when path, symlinks resolved, lies inside root or
// one of the granted folders (all resolved too), and a *RefusedError of
// reason OutsideRoot when it does not. A path that does not exist is
// judged by its lexical form and by its nearest existing parent.
func Inside(root, path string, granted ...string) error {
	return (*Folders)(nil).inside(root, path, granted...)
}

// Folders remembers the real path of the folders resolved through it, for
// the reads of one run (a `specls check`): links changed during the run are
// not seen. Safe for concurrent use; the nil *Folders remembers nothing.
type Folders struct {
	mu   sync.Mutex
	real map[string]string
	// wd is the working directory, asked once: filepath.Abs asks the
	// system for it (two stats) on every relative path.
	wd     string
	wdErr  error
	wdOnce sync.Once
}

// abs is filepath.Abs with the working directory asked once.
func (f *Folders) abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	f.wdOnce.Do(func() { f.wd, f.wdErr = os.Getwd() })
	if f.wdErr != nil {
		return "", f.wdErr
	}
	return filepath.Join(f.wd, path), nil
}

// inside is Inside with the folders resolved through f.
func (f *Folders) inside(root, path string, granted ...string) error {
	_, err := f.insideSeen(root, path, granted...)
	return err
}

// lstatted is what resolveFile's lstat of a path found, when it found no
// link: the file's information, or that nothing is there. The zero value
// says nothing (no lstat, or a link).
type lstatted struct {
	info    fs.FileInfo
	missing bool
}

// insideSeen is inside, also returning what the lstat of path found.
func (f *Folders) insideSeen(root, path string, granted ...string) (lstatted, error) {
	p, seen, err := f.resolveFile(path)
	if err != nil {
		return lstatted{}, err
	}
	for _, dir := range append([]string{root}, granted...) {
		r, err := f.resolve(dir)
		if err != nil {
			return lstatted{}, err
		}
		if within(r, p) {
			return seen, nil
		}
	}
	return lstatted{}, &RefusedError{Path: path, Reason: OutsideRoot, Detail: p, Msg: fmt.Sprintf("%s resolves to %s, outside the workspace root %s; specls reads no file outside the workspace", path, p, root)}
}

// resolve is the package's resolve, remembered, for a folder.
func (f *Folders) resolve(dir string) (string, error) {
	if f == nil {
		return resolve(dir)
	}
	f.mu.Lock()
	r, ok := f.real[dir]
	f.mu.Unlock()
	if ok {
		return r, nil
	}
	r, _, err := f.resolveFile(dir)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.real == nil {
		f.real = map[string]string{}
	}
	f.real[dir] = r
	f.mu.Unlock()
	return r, nil
}

// resolveFile is resolve(path) from its parent folder's remembered real
// path: a path that is not itself a link resolves to its name in that
// folder (resolve climbs to the folder when the path does not exist, and
// EvalSymlinks stops at the last component when it is no link). A
// feature folder then costs one lstat, its parent being known.
//
// It also returns what the lstat found when path is no link (see lstatted).
func (f *Folders) resolveFile(path string) (string, lstatted, error) {
	if f == nil {
		r, err := resolve(path)
		return r, lstatted{}, err
	}
	abs, err := f.abs(path)
	if err != nil {
		return "", lstatted{}, err
	}
	dir := filepath.Dir(abs)
	if dir == abs {
		r, err := resolve(abs)
		return r, lstatted{}, err
	}
	info, lerr := os.Lstat(abs)
	if lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
		r, err := resolve(abs)
		return r, lstatted{}, err
	}
	var seen lstatted
	switch {
	case lerr == nil:
		seen.info = info
	case errors.Is(lerr, syscall.ENOENT):
		seen.missing = true
	}
	r, err := f.resolve(dir)
	if err != nil {
		return "", lstatted{}, err
	}
	return filepath.Join(r, filepath.Base(abs)), seen, nil
}

// resolve returns the absolute path with symlinks resolved as far as the
// path exists.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var rest []string
	for p := abs; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = append([]string{filepath.Base(p)}, rest...)
	}
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func notRegular(path string, m fs.FileMode) error {
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	}
	return &RefusedError{Path: path, Reason: NotRegular, Detail: what, Msg: fmt.Sprintf("%s is %s, not a regular file; specls reads only regular files", path, what)}
}

func tooLarge(path string, size, max int64) error {
	return &RefusedError{Path: path, Reason: TooLarge, Detail: fmt.Sprintf("%s or more, over %s", human(size), human(max)),
		Msg: fmt.Sprintf("%s is larger than %s (%s or more); specls skips it (raise limits.max-file-size in .specls.yaml to check it)", path, human(max), human(size))}
}

// human writes a byte count as KB or MB.
func human(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
