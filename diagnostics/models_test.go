package diagnostics_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

// TestModelsKeptEqualFullCheck: a check that takes the architecture
// model kept in Input.Models, the previous version of the edited document
// forgotten (Models.Forget, as fix-all's rounds do),
// finds byte for byte what a check from scratch finds, after any sequence
// of edits. The chain's diagram is large enough to be one parsed graph
// shared between versions whose diagram did not change, so its shared
// names are looked up by the same nodes.
func TestModelsKeptEqualFullCheck(t *testing.T) {
	type source struct {
		name  string
		in    diagnostics.Input
		steps int
	}
	var sources []source
	results, err := workspace.CheckPaths([]string{filepath.Join("..", "examples")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		ws, err := workspace.Open(r.Root)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, source{"examples/" + r.Feature.Slug, ws.Input(r.Feature), 12})
	}
	for _, i := range []int{3, 7} {
		f := corpus.Generate(i, corpus.Options{Seed: 1})
		feat := &spec.Feature{Dir: "tasks/prd-" + f.Slug, Slug: f.Slug}
		feat.Set(spec.Parse(feat.Dir+"/_prd.md", []byte(f.PRD)))
		feat.Set(spec.Parse(feat.Dir+"/_techspec.md", []byte(f.TechSpec)))
		sources = append(sources, source{"corpus/" + f.Slug, diagnostics.Input{Feature: feat, Config: config.Default()}, 8})
	}
	chain := &spec.Feature{Dir: "tasks/prd-chain", Slug: "chain"}
	chain.Set(spec.Parse(chain.Dir+"/_techspec.md", corpus.Chain(2000)))
	sources = append(sources, source{"chain", diagnostics.Input{Feature: chain, Config: config.Default()}, 6})
	for si, src := range sources {
		t.Run(src.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(si), 16))
			in := src.in
			in.Models = diagnostics.Models{}
			feat := in.Feature
			snippets := editSnippets(in)
			var log []string
			for step := 0; step <= src.steps; step++ {
				if step > 0 {
					docs := feat.Docs()
					d := docs[rng.IntN(len(docs))]
					if feat.TechSpec != nil && rng.IntN(4) > 0 {
						d = feat.TechSpec
					}
					var text []byte
					var what string
					if step%2 == 0 {
						// At the end, past the diagram: the next version
						// shares its parsed graph.
						s := snippets[rng.IntN(len(snippets))]
						text, what = append(bytes.Clone(d.Text), s...), fmt.Sprintf("append %q", s)
					} else {
						text, what = randomEdit(rng, d.Text, snippets, false)
					}
					log = append(log, fmt.Sprintf("%s: %s", filepath.Base(d.Path), what))
					next := &spec.Feature{Dir: feat.Dir, Slug: feat.Slug}
					for _, o := range feat.Docs() {
						if o == d {
							o = spec.Parse(d.Path, text)
							in.Models.Forget(d)
						}
						next.Set(o)
					}
					feat = next
				}
				in.Feature = feat
				got := diagnostics.Check(in)
				fresh := in
				fresh.Models = nil
				want := diagnostics.Check(fresh)
				gj, wj := findingsJSON(t, got), findingsJSON(t, want)
				if !bytes.Equal(gj, wj) || !reflect.DeepEqual(got, want) {
					t.Fatalf("after %d edits (%s) the check with kept models differs from a fresh one:\ncarried: %.3000s\nfresh:   %.3000s",
						step, strings.Join(log, "; "), gj, wj)
				}
			}
			if len(in.Models) == 0 {
				t.Error("no model was kept")
			}
		})
	}
}
