package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/specls/specls/internal/cache"
	"github.com/specls/specls/spec"
)

// Files keeps the content of spec files read from disk, so that the
// check a language server runs on every keystroke in one file of a
// feature does not read the feature's other files again: that read
// resolves every symlink of the path and of the root (safefile.Read), for
// the PRD and for the missing _tasks.md, and was 6 % of a check at 2,000
// lines.
//
// A kept content is returned only while a stat of the path (symlinks
// followed) gives the same file as when it was read: same device, inode,
// size, modification and change times. Any write, rename, hard link or
// change of mode changes the change time; a path re-pointed at another
// file changes device or inode; then the file is read again through
// Limits.Read, refusals included. What is not repeated for an unchanged
// file is the symlink resolution that decides whether the path lies
// inside the root (docs/security.md). A file modified in the last
// RecentWindow is not kept: two writes within one tick of the file
// system's clock can leave equal times (the "racily clean" case of git).
// Where the operating system gives no inode or change time, nothing is
// kept.
//
// Lifetime: its owner's (the server keeps one per session and forgets a
// path on a watched-file event, everything on a configuration change).
// It holds Size files (64 when 0) and is safe for concurrent use; its
// zero value is ready to use.
type Files struct {
	Size int

	mu  sync.Mutex
	lru *cache.LRU[string, *kept] // nil until first use and after Reset
	// now is time.Now, replaced by tests.
	now func() time.Time
}

// RecentWindow is how long after its last modification a file is read
// from disk on every check.
const RecentWindow = 2 * time.Second

type kept struct {
	lim  spec.Limits
	id   fileID // the file's; the folder's when absent
	data []byte
	err  error // the read's error when absent
	// absent: the path named no entry of its folder.
	absent bool
}

// fileID is what a stat says of a file's identity and version.
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds
}

// Read returns the content of path within lim, as lim.Read would.
func (c *Files) Read(path string, lim spec.Limits) ([]byte, error) {
	if c == nil {
		return lim.Read(path)
	}
	path = filepath.Clean(path)
	before, ok := statID(path)
	var dir fileID
	if !ok {
		dir, _ = dirID(filepath.Dir(path))
	}
	c.mu.Lock()
	k, _ := c.lru.Get(path)
	c.mu.Unlock()
	if k != nil && sameLimits(k.lim, lim) && (ok && !k.absent && k.id == before || !ok && k.absent && k.id == dir) {
		return k.data, k.err
	}
	data, err := lim.Read(path)
	if !ok {
		c.Forget(path)
		if errors.Is(err, fs.ErrNotExist) {
			c.keepAbsent(path, lim, dir, err)
		}
		return data, err
	}
	if err != nil {
		c.Forget(path)
		return data, err
	}
	// Kept only when nothing changed while it was read and the file has
	// not been written too recently to tell two versions apart.
	if after, ok := statID(path); !ok || after != before || c.recent(before) {
		c.Forget(path)
		return data, nil
	}
	c.keep(path, &kept{lim: lim, id: before, data: data})
	return data, nil
}

// recent reports whether id was modified or changed within RecentWindow.
func (c *Files) recent(id fileID) bool {
	now := c.clock()
	return now.Sub(time.Unix(0, id.mtime)) < RecentWindow || now.Sub(time.Unix(0, id.ctime)) < RecentWindow
}

func (c *Files) keep(path string, k *kept) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru == nil {
		size := c.Size
		if size <= 0 {
			size = 64
		}
		c.lru = cache.New[string, *kept](size)
	}
	c.lru.Add(path, k)
}

// keepAbsent keeps that path does not exist (most features have no
// _tasks.md, and the refused read of a missing file resolved its whole
// path): kept while its folder is unchanged, since adding an entry to a
// folder changes the folder's modification time. A dangling symlink is
// an entry whose target may appear anywhere: not kept.
func (c *Files) keepAbsent(path string, lim spec.Limits, dir fileID, err error) {
	if dir == (fileID{}) || c.recent(dir) {
		return
	}
	if _, lerr := os.Lstat(path); !errors.Is(lerr, fs.ErrNotExist) {
		return
	}
	if after, ok := dirID(filepath.Dir(path)); !ok || after != dir {
		return
	}
	c.keep(path, &kept{lim: lim, id: dir, err: err, absent: true})
}

// Forget drops what is kept of path.
func (c *Files) Forget(path string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.lru.Remove(filepath.Clean(path))
	c.mu.Unlock()
}

// Reset drops everything kept.
func (c *Files) Reset() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.lru = nil
	c.mu.Unlock()
}

// Len returns the number of files kept.
func (c *Files) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

func (c *Files) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func sameLimits(a, b spec.Limits) bool {
	return a.Root == b.Root && a.MaxSize == b.MaxSize && a.MaxDepth == b.MaxDepth && a.Folders == b.Folders && slices.Equal(a.Granted, b.Granted)
}

// statID stats path, symlinks followed; false when it cannot, or when
// the system gives no inode and change time.
func statID(path string) (fileID, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return fileID{}, false
	}
	return idOf(fi)
}

// dirID is statID for a folder.
func dirID(path string) (fileID, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return fileID{}, false
	}
	return idOf(fi)
}
