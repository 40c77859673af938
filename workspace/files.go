package workspace

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/specls/specls/spec"
)

// Files keeps the content of spec files read from disk, so that the
// check a language server runs on every keystroke in one file of a
// feature does not read the feature's other files again: that read
// resolves every symlink of the path and of the root (safefile.Read) and
// cost an eighth of a check at 2,000 lines.
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

	mu   sync.Mutex
	m    map[string]*kept
	uses uint64 // a clock of uses, for eviction
	// now is time.Now, replaced by tests.
	now func() time.Time
}

// RecentWindow is how long after its last modification a file is read
// from disk on every check.
const RecentWindow = 2 * time.Second

type kept struct {
	lim  spec.Limits
	id   fileID
	data []byte
	used uint64
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
	if ok {
		c.mu.Lock()
		k := c.m[path]
		if k != nil && k.id == before && sameLimits(k.lim, lim) {
			c.tick(k)
			c.mu.Unlock()
			return k.data, nil
		}
		c.mu.Unlock()
	}
	data, err := lim.Read(path)
	if err != nil || !ok {
		c.Forget(path)
		return data, err
	}
	// Kept only when nothing changed while it was read and the file has
	// not been written too recently to tell two versions apart.
	if after, ok := statID(path); !ok || after != before || c.clock().Sub(time.Unix(0, before.mtime)) < RecentWindow ||
		c.clock().Sub(time.Unix(0, before.ctime)) < RecentWindow {
		c.Forget(path)
		return data, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*kept{}
	}
	k := &kept{lim: lim, id: before, data: data}
	c.m[path] = k
	c.tick(k)
	c.evict()
	return data, nil
}

// Forget drops what is kept of path.
func (c *Files) Forget(path string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.m, filepath.Clean(path))
	c.mu.Unlock()
}

// Reset drops everything kept.
func (c *Files) Reset() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// Len returns the number of files kept.
func (c *Files) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// tick marks k as used last; c.mu is held.
func (c *Files) tick(k *kept) {
	c.uses++
	k.used = c.uses
}

// evict drops the least recently used files over the size; c.mu is held.
// A scan: the map holds a few dozen files.
func (c *Files) evict() {
	size := c.Size
	if size <= 0 {
		size = 64
	}
	for len(c.m) > size {
		var oldest string
		var at uint64
		for p, k := range c.m {
			if oldest == "" || k.used < at {
				oldest, at = p, k.used
			}
		}
		delete(c.m, oldest)
	}
}

func (c *Files) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func sameLimits(a, b spec.Limits) bool {
	return a.Root == b.Root && a.MaxSize == b.MaxSize && a.MaxDepth == b.MaxDepth && slices.Equal(a.Granted, b.Granted)
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
