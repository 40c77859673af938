package cache

import (
	"fmt"
	"sync"
	"testing"
)

func TestLRUEvictsTheLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatalf("Get(a) = %d, %v", v, ok)
	}
	c.Add("c", 3)
	if _, ok := c.Get("b"); ok {
		t.Errorf("b was kept, though it was the least recently used")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.Get(k); !ok || v != want {
			t.Errorf("Get(%s) = %d, %v; want %d", k, v, ok, want)
		}
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	c.Remove("a")
	if _, ok := c.Get("a"); ok || c.Len() != 1 {
		t.Errorf("a is still there after Remove")
	}
}

func TestDoComputesOnlyWhatIsMissing(t *testing.T) {
	c := New[int, string](8)
	calls := 0
	for range 3 {
		if got := c.Do(7, func() string { calls++; return "seven" }); got != "seven" {
			t.Fatalf("Do = %q", got)
		}
	}
	if calls != 1 {
		t.Errorf("computed %d times, want once", calls)
	}
}

func TestNilHoldsNothing(t *testing.T) {
	var c *LRU[string, int]
	c.Add("a", 1)
	c.Remove("a")
	if _, ok := c.Get("a"); ok || c.Len() != 0 {
		t.Errorf("a nil cache kept an entry")
	}
	calls := 0
	c.Do("a", func() int { calls++; return 1 })
	c.Do("a", func() int { calls++; return 1 })
	if calls != 2 {
		t.Errorf("a nil cache computed %d times for two calls, want 2", calls)
	}
}

func TestConcurrentUseStaysBounded(t *testing.T) {
	c := New[int, int](64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				k := (g*1000 + i) % 300
				if v := c.Do(k, func() int { return k * 2 }); v != k*2 {
					t.Errorf("Do(%d) = %d", k, v)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 64 {
		t.Errorf("Len = %d, over the bound of 64", c.Len())
	}
}

func TestDigest(t *testing.T) {
	a, b := DigestOf("syntax = \"proto3\";"), DigestOf("syntax = \"proto2\";")
	if a == b || a != DigestOf("syntax = \"proto3\";") || DigestOf("") == DigestOf(" ") {
		t.Errorf("digests: %v %v", a, b)
	}
	seen := map[Digest]string{}
	for i := range 100000 {
		s := fmt.Sprint("block ", i)
		if prev, ok := seen[DigestOf(s)]; ok {
			t.Fatalf("%q and %q share a digest", prev, s)
		}
		seen[DigestOf(s)] = s
	}
	if n := testing.AllocsPerRun(100, func() { DigestOf("service S { rpc Get(A) returns (B); }") }); n != 0 {
		t.Errorf("DigestOf allocates %v times", n)
	}
}
