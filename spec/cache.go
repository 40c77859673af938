package spec

import (
	"bytes"
	"sync"
	"sync/atomic"

	"github.com/specls/specls/internal/cache"
)

// Cache reuses the parsed document of a file whose path and text are
// unchanged since it was last parsed: a language server re-checks a whole
// feature folder on every keystroke in one of its files, and the other files
// rarely change. Lifetime: its owner's (the server keeps one per session).
// It holds the Size documents (16 when Size is 0) parsed or reused last; a
// document it returns is shared, so callers must not modify it. The zero
// value is ready to use and safe for concurrent use.
type Cache struct {
	Size int
	// Shared says the texts given to Parse are never written to afterwards
	// (the server's buffers: an edit makes a new one). The documents then
	// share them instead of copying each into a string: a copy of the
	// whole text per keystroke.
	Shared bool

	once   sync.Once
	docs   *cache.LRU[string, *Document]
	parsed atomic.Int64
}

func (c *Cache) lru() *cache.LRU[string, *Document] {
	c.once.Do(func() {
		size := c.Size
		if size <= 0 {
			size = 16
		}
		c.docs = cache.New[string, *Document](size)
	})
	return c.docs
}

// Parse returns the document of path with text src, parsed now or reused.
// When the cache holds an older text of path (an edit), only the chunks of
// the text the edit touched are parsed again (see reparse); the result is
// the same as Parse's. Its mapper is built, so that sharing it between
// goroutines is safe.
func (c *Cache) Parse(path string, src []byte) *Document {
	if c == nil {
		return Parse(path, src)
	}
	prev, ok := c.lru().Get(path)
	if ok && bytes.Equal(prev.Text, src) {
		return prev
	}
	var d *Document
	n := len(src)
	if ok {
		d, n = reparse(prev, path, src, c.Shared)
	} else if c.Shared {
		d = parseOwned(path, src)
	} else {
		// A first parse (a file opened or read from disk) is whole: most
		// files are never edited, and the chunk models would double what
		// the cache keeps of them.
		d = Parse(path, src)
	}
	c.parsed.Add(int64(n))
	d.Mapper()
	c.lru().Add(path, d)
	return d
}

// ParsedBytes returns how many bytes of text the cache has had goldmark
// parse so far: a whole text for a file parsed first, the chunks an edit
// touched for a file parsed again.
func (c *Cache) ParsedBytes() int64 {
	if c == nil {
		return 0
	}
	return c.parsed.Load()
}

// Forget drops the document of path, if cached.
func (c *Cache) Forget(path string) {
	if c == nil {
		return
	}
	c.lru().Remove(path)
}

// LoadFeature is LoadFeatureLimited with the documents parsed through c.
func (c *Cache) LoadFeature(dir string, read ReadFunc, lim Limits) (*Feature, error) {
	return loadFeature(dir, read, lim, c.Parse)
}
