package spec

import (
	"bytes"
	"sync"
)

// Cache reuses the parsed document of a file whose path and text are
// unchanged since it was last parsed: a language server re-checks a whole
// feature folder on every keystroke in one of its files, and the other files
// rarely change. It holds at most Size documents (16 when Size is 0); a
// document it returns is shared, so callers must not modify it. The zero
// value is ready to use and safe for concurrent use.
type Cache struct {
	Size int

	mu   sync.Mutex
	docs map[string]*Document
}

// Parse returns the document of path with text src, parsed now or reused.
// Its mapper is built, so that sharing it between goroutines is safe.
func (c *Cache) Parse(path string, src []byte) *Document {
	if c == nil {
		return Parse(path, src)
	}
	c.mu.Lock()
	d := c.docs[path]
	c.mu.Unlock()
	if d != nil && bytes.Equal(d.Text, src) {
		return d
	}
	d = Parse(path, src)
	d.Mapper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil {
		c.docs = map[string]*Document{}
	}
	size := c.Size
	if size <= 0 {
		size = 16
	}
	if _, ok := c.docs[path]; !ok && len(c.docs) >= size {
		for k := range c.docs { // any one: the map's order is random
			delete(c.docs, k)
			break
		}
	}
	c.docs[path] = d
	return d
}

// Forget drops the document of path, if cached.
func (c *Cache) Forget(path string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.docs, path)
	c.mu.Unlock()
}

// LoadFeature is LoadFeatureLimited with the documents parsed through c.
func (c *Cache) LoadFeature(dir string, read ReadFunc, lim Limits) (*Feature, error) {
	return loadFeature(dir, read, lim, c.Parse)
}
