// Package cache is specls's one bounded cache type, and the policy that
// every cache follows:
//
//   - A cache has one owner and lives as long as it. The owner's field or
//     variable says which lifetime: per process (results that depend on
//     their key alone, such as a proto block's errors), per configuration
//     (results that depend on the rules and templates too; the owner makes
//     a new cache when they change) or per check.
//   - It holds a fixed number of entries and evicts the least recently
//     used, so a long session keeps the working set (the blocks and
//     documents being edited) and nothing else.
//   - Keys never hold document text: a key is a pointer to a parsed
//     document, a short name copied out of the text, or the Digest of a
//     block, so a cache does not pin the documents it has seen.
//   - Memos that live for one check (the analysis of one tech spec) stay
//     plain maps owned by that check: the document bounds them, one
//     goroutine uses them and they are dropped with the check, so a lock
//     and an eviction order would only cost time.
//
// The eviction itself is hashicorp/golang-lru, a well-kept library; this
// package adds the conventions above: a nil cache holds nothing, and Do
// computes what is missing.
package cache

import (
	"hash/maphash"

	lru "github.com/hashicorp/golang-lru/v2"
)

// LRU is a bounded cache, safe for concurrent use. A nil *LRU holds
// nothing: Get misses, Add drops, Do computes every time.
type LRU[K comparable, V any] struct {
	c *lru.Cache[K, V]
}

// New returns a cache of at most size entries; size must be positive.
func New[K comparable, V any](size int) *LRU[K, V] {
	c, err := lru.New[K, V](size)
	if err != nil {
		panic("cache: " + err.Error()) // only a size below 1, a programming error
	}
	return &LRU[K, V]{c: c}
}

// Get returns the value of k and marks it recently used.
func (c *LRU[K, V]) Get(k K) (V, bool) {
	if c == nil {
		var zero V
		return zero, false
	}
	return c.c.Get(k)
}

// Add stores v under k, evicting the least recently used entry when full.
func (c *LRU[K, V]) Add(k K, v V) {
	if c != nil {
		c.c.Add(k, v)
	}
}

// Do returns the value of k, computing and storing it when missing. The
// computation runs without a lock held: two goroutines that miss the same
// key at once both compute it, and both results are the same.
func (c *LRU[K, V]) Do(k K, compute func() V) V {
	if v, ok := c.Get(k); ok {
		return v
	}
	v := compute()
	c.Add(k, v)
	return v
}

// Remove drops k, if present.
func (c *LRU[K, V]) Remove(k K) {
	if c != nil {
		c.c.Remove(k)
	}
}

// Len is the number of entries.
func (c *LRU[K, V]) Len() int {
	if c == nil {
		return 0
	}
	return c.c.Len()
}

// Digest identifies a text without keeping it alive: two 64-bit hashes
// under seeds chosen at random for the process, and the length. Two texts
// share a digest with a chance of about 2⁻¹²⁸, and no one can craft a pair
// without the seeds.
type Digest struct {
	a, b uint64
	n    int
}

var seedA, seedB = maphash.MakeSeed(), maphash.MakeSeed()

// DigestOf returns the digest of s.
func DigestOf(s string) Digest {
	return Digest{maphash.String(seedA, s), maphash.String(seedB, s), len(s)}
}
