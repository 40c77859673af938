package arch

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/specls/specls/mermaid"
	"github.com/specls/specls/spec"
)

// TestGraphNamesChangeNothing: a Matcher that uses a graph's shared names
// (UseGraph) gives every answer of one that does not, and Name gives a
// cell the candidates NameKeyIDs gives it, for nodes and names of every
// form the name matching knows.
func TestGraphNamesChangeNothing(t *testing.T) {
	var labels []string
	for _, s := range nameSamples() {
		if !strings.ContainsAny(s, "\"\n\r#;") && strings.TrimSpace(s) != "" {
			labels = append(labels, s)
		}
	}
	labels = labels[:2000]
	var sb strings.Builder
	sb.WriteString("graph TD\n")
	for i, l := range labels {
		if i%5 == 0 {
			fmt.Fprintf(&sb, "  %s\n", strings.Map(idRune, l)) // a bare ID, its label itself
			continue
		}
		fmt.Fprintf(&sb, "  N%d[\"%s\"] --> N%d\n", i, l, i+1)
	}
	g, err := mermaid.ParseString(sb.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) < minGraphNames {
		t.Fatalf("%d nodes: too few for the shared names", len(g.Nodes))
	}
	var plain, shared Matcher
	shared.UseGraph(g)
	if shared.base == nil {
		t.Fatal("UseGraph did not take the graph")
	}
	var plainIx, sharedIx KeyIndex
	for i, n := range g.Nodes {
		if got, want := shared.NodeKeys(n), plain.NodeKeys(n); !slices.Equal(got, want) {
			t.Fatalf("NodeKeys(%s[%s]) = %q, want %q", n.ID, n.Label, got, want)
		}
		plainIx.Add(i, plain.NodeKeyIDs(n))
		sharedIx.Add(i, shared.NodeKeyIDs(n))
	}
	var keys []int32
	for k, name := range nameSamples()[:3000] {
		var nm Name
		nm, keys = shared.Name(name, keys)
		want := plainIx.Candidates(nil, plain.NameKeyIDs(name))
		if got := sharedIx.Candidates(nil, nm.Keys); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("candidates of %q: %v, want %v", name, got, want)
		}
		if got := sharedIx.Candidates(nil, shared.NameKeyIDs(name)); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("NameKeyIDs candidates of %q: %v, want %v", name, got, want)
		}
		for j := range 40 {
			n := g.Nodes[(k*31+j*17)%len(g.Nodes)]
			w := NamesNode(name, n)
			if shared.NamesNode(name, n) != w || plain.NamesNode(name, n) != w || shared.NameNamesNode(&nm, n) != w {
				t.Fatalf("NamesNode(%q, %s[%s]) differs from %v", name, n.ID, n.Label, w)
			}
		}
	}
}

func idRune(r rune) rune {
	if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
		return r
	}
	return -1
}

// TestGraphNamesShared: documents with the same large diagram share its
// names, built once, and concurrent models read them (run with -race).
func TestGraphNamesShared(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("graph TD\n")
	for i := 0; sb.Len() < 2*minCached; i++ {
		fmt.Fprintf(&sb, "  S%d[Step %d] -->|gRPC| S%d[Step %d]\n", i, i, i+1, i+1)
	}
	src := "# Technical Specification: X\n\n## Service Dependency Graph\n\n```mermaid\n" + sb.String() + "```\n"
	models := make([]*Model, 8)
	// The first check parses the diagram; the others, at once, find it.
	first := Of(spec.Parse("tasks/prd-x/_techspec.md", []byte(src)))
	first.Graph()
	var wg sync.WaitGroup
	for k := range models {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := Of(spec.Parse("tasks/prd-x/_techspec.md", []byte(src)))
			g, _ := m.Graph()
			for i, n := range g.Graph.Nodes {
				if !m.Names.NamesNode(fmt.Sprintf("Step %d", i), n) || len(m.Names.NodeKeyIDs(n)) != 3 {
					t.Errorf("node %d: not named by its label, or keys %v", i, m.Names.NodeKeyIDs(n))
					return
				}
			}
			models[k] = m
		}()
	}
	wg.Wait()
	for _, m := range models[1:] {
		if m == nil || models[0] == nil || m.Names.base != models[0].Names.base || m.Names.base == nil {
			t.Fatal("the models do not share the graph's names")
		}
	}
}

// TestKeyTableAsMap: the key table numbers keys as a map filled in order
// does, sized ahead or grown from nothing, and finds none it was not given.
func TestKeyTableAsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, hint := range []int{0, 1, 10, 5000} {
		tab := newKeyTable(hint)
		if hint == 0 {
			tab = keyTable{} // the zero value grows too
		}
		want := map[string]int32{}
		for range 5000 {
			k := fmt.Sprintf("k%d", r.IntN(3000))
			if r.IntN(4) == 0 {
				k = "\x00" + k
			}
			v, ok := want[k]
			if !ok {
				v = int32(len(want))
				want[k] = v
			}
			if got := tab.number(k); got != v {
				t.Fatalf("hint %d: number(%q) = %d, want %d", hint, k, got, v)
			}
		}
		if tab.len() != len(want) {
			t.Errorf("hint %d: %d keys, want %d", hint, tab.len(), len(want))
		}
		for k, v := range want {
			if got, ok := tab.get(k); !ok || got != v {
				t.Errorf("hint %d: get(%q) = %d, %v; want %d", hint, k, got, ok, v)
			}
		}
		for _, k := range []string{"", "k3000", "x", "\x00"} {
			if _, ok := tab.get(k); ok {
				t.Errorf("hint %d: get(%q) found a key never numbered", hint, k)
			}
		}
	}
}
