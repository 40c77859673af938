package spec

import "testing"

func TestCacheReusesUnchangedDocuments(t *testing.T) {
	c := &Cache{Size: 2}
	a := c.Parse("a/_prd.md", []byte("# PRD: A\n"))
	if c.Parse("a/_prd.md", []byte("# PRD: A\n")) != a {
		t.Errorf("the same path and text were parsed again")
	}
	if b := c.Parse("a/_prd.md", []byte("# PRD: B\n")); b == a || string(b.Text) != "# PRD: B\n" {
		t.Errorf("changed text: got the old document back")
	}
	a = c.Parse("a/_prd.md", []byte("# PRD: A\n"))
	c.Parse("b/_prd.md", []byte("# PRD: B\n"))
	c.Parse("a/_prd.md", []byte("# PRD: A\n")) // a is now the most recent
	c.Parse("c/_prd.md", []byte("# PRD: C\n")) // evicts b, the least recently used
	if c.Parse("a/_prd.md", []byte("# PRD: A\n")) != a {
		t.Errorf("the document used last was evicted")
	}
	if n := c.lru().Len(); n != 2 {
		t.Errorf("the cache holds %d documents, want its size 2", n)
	}
	c.Forget("a/_prd.md")
	if c.Parse("a/_prd.md", []byte("# PRD: A\n")) == a {
		t.Errorf("a forgotten document came back")
	}
	var none *Cache
	if d := none.Parse("x/_prd.md", []byte("# X\n")); d == nil {
		t.Errorf("a nil cache does not parse")
	}
}
