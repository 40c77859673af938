package diagnostics

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/rules"
)

// claimedChain is a chain of n calls whose tech spec ticks its gates as
// passed: gate-claim-false then lists the first failing findings in the
// order the rules reported them, the Communication Matrix rule's among
// them, before they are sorted.
func claimedChain(n int) string {
	return string(corpus.Chain(n)) + "\n## Tasks\n\n- [x] Gate A passes\n- [x] Gate B passes\n- [x] Gate F passes\n- [ ] Gate C\n"
}

// TestApartChangesNothing: the Communication Matrix rule on a goroutine of
// its own (Analyzer.Apart), and the evidence texts made beside the model
// (evidenceApart), give byte for byte what they give in turn,
// the findings in the same order, on chains past apartFrom, on small and
// indexed specs with the goroutine forced, and with gates claimed (the
// rules that read the findings see them in the same order). Under -race
// (make test) it also shows the two goroutines share nothing they write.
func TestApartChangesNothing(t *testing.T) {
	type source struct {
		name string
		dir  string
		docs map[string]string
	}
	var sources []source
	add := func(name, techSpec string) {
		sources = append(sources, source{name, "tasks/prd-" + strings.ReplaceAll(name, " ", "-"), map[string]string{"_techspec.md": techSpec}})
	}
	add("chain 3000", string(corpus.Chain(3000)))
	add("claimed chain 2500", claimedChain(2500))
	add("claimed chain 30", claimedChain(30))
	// Services the graph does not define: more findings before the
	// matrix rule's turn than join puts in front of its own (apartRoom).
	services := strings.ReplaceAll(claimedChain(2200), "]", " Service]")
	add("services chain", services)
	add("indexed 300", indexedSpec(300))
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 150 {
		add(fmt.Sprintf("matrix %d", i), randomMatrixSpec(r))
		add(fmt.Sprintf("graph %d", i), randomGraphSpec(r)+"\n### Communication Matrix\n\n| From | To | Protocol | Pattern |\n|---|---|---|---|\n| N0 | N1 | gRPC | Request-Reply |\n")
	}
	for i := range 20 {
		f := corpus.Generate(i, corpus.Options{Seed: 3})
		sources = append(sources, source{f.Slug, "tasks/" + f.Slug, map[string]string{"_prd.md": f.PRD, "_techspec.md": f.TechSpec}})
	}
	files, _ := goodFeature(t)
	sources = append(sources, source{"good", "tasks/prd-clinic-scheduling", files})

	defer func(n, s, e int) { apartFrom, smallScan, evidenceApart = n, s, e }(apartFrom, smallScan, evidenceApart)
	check := func(s source) []Finding {
		return Check(featureInput(s.dir, s.docs, config.Default()))
	}
	claims := 0
	for _, s := range sources {
		for _, scan := range []int{48, 0} {
			smallScan = scan
			apartFrom, evidenceApart = 1<<30, 1<<30
			inTurn := check(s)
			// 2000 leaves the small specs in turn; 0 sends every one apart.
			for _, from := range []int{2000, 0} {
				apartFrom, evidenceApart = from, from
				if got := check(s); !reflect.DeepEqual(got, inTurn) {
					t.Fatalf("%s (smallScan %d, apartFrom %d): %d findings apart, %d in turn\n%s",
						s.name, scan, from, len(got), len(inTurn), firstDiff(got, inTurn))
				}
			}
			for _, f := range inTurn {
				if f.Code != rules.GateClaimFalse.Code {
					continue
				}
				codes := map[string]bool{}
				for _, rel := range f.Related {
					codes[strings.SplitN(rel.Message, ":", 2)[0]] = true
				}
				if codes[rules.MatrixMismatch.Code] && len(codes) > 1 {
					claims++
				}
			}
		}
	}
	undefined := 0
	for _, f := range Check(featureInput("tasks/prd-x", map[string]string{"_techspec.md": services}, config.Default())) {
		if f.Code == rules.GraphServiceUndefined.Code {
			undefined++
		}
	}
	if undefined <= apartRoom {
		t.Errorf("%d graph-service-undefined findings: the copy past apartRoom is not exercised", undefined)
	}
	if claims == 0 {
		t.Error("no gate-claim-false finding lists matrix findings: the order the rules see is not exercised")
	}
}

// TestApartRuns: a large graph does send the matrix rule apart (the test
// above would pass if it never did), and a small one does not.
func TestApartRuns(t *testing.T) {
	var matrix *Analyzer
	for _, a := range analyzers {
		if a.Apart {
			if matrix != nil {
				t.Fatalf("two Apart analyzers: %s and %s; Check joins one at a time", matrix.Name, a.Name)
			}
			matrix = a
		}
	}
	if matrix == nil || matrix.Name != "matrix" {
		t.Fatalf("the Apart analyzer is %v, want matrix", matrix)
	}
	for _, tc := range []struct {
		edges int
		apart bool
	}{{apartFrom, true}, {apartFrom - 2, false}} {
		in := featureInput("tasks/prd-chain", map[string]string{"_techspec.md": string(corpus.Chain(tc.edges))}, config.Default())
		c := &Context{Input: in, scope: in.Scope()}
		r := c.apart()
		if (r != nil) != tc.apart {
			t.Errorf("%d edges: apart %v, want %v", tc.edges, r != nil, tc.apart)
		}
		if r != nil {
			r.join(c)
			if len(c.findings) == 0 || c.findings[0].Code != rules.MatrixMismatch.Code {
				t.Errorf("%d edges: joined findings %d, first %v", tc.edges, len(c.findings), c.findings)
			}
		}
	}
}

// TestForkSharesNoMemo: a fork of the analysis has every artifact of the
// original and none of what the rules memoise as they go, so that a rule
// apart writes nothing the others read. A field added to analysis must be
// placed in one list or the other.
func TestForkSharesNoMemo(t *testing.T) {
	in := featureInput("tasks/prd-many", map[string]string{"_techspec.md": indexedSpec(120)}, config.Default())
	c := &Context{Input: in, scope: in.Scope()}
	a := c.artifacts()
	Check(in) // nothing of it is shared with c; only to be sure the rules ran once
	checkOwnership(c, a)
	checkMatrix(c, a)
	checkCycles(c, a)
	fresh := map[string]bool{"names": true, "serviceIx": true, "nodeIx": true, "rowIx": true, "cellIx": true, "ownerIx": true,
		"scratch": true, "cells": true, "passive": true, "stores": true, "passiveMemo": true, "protocols": true, "termHits": true, "memo": true, "evidenceBuf": true}
	f := a.fork()
	va, vf := reflect.ValueOf(a).Elem(), reflect.ValueOf(f).Elem()
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		x, y := va.Field(i), vf.Field(i)
		switch {
		case fresh[name] && name == "names":
			if x.Pointer() == y.Pointer() {
				t.Errorf("the fork shares the name matching")
			}
		case fresh[name]:
			if !y.IsZero() {
				t.Errorf("the fork's %s is not fresh", name)
			}
		case !sameField(x, y):
			t.Errorf("the fork lacks %s", name)
		}
	}
	c.arts = a
	c.arts.release()
}

// sameField reports whether two fields of analysis hold the same thing:
// the same pointer, slice or map, or an equal string.
func sameField(x, y reflect.Value) bool {
	switch x.Kind() {
	case reflect.Pointer, reflect.Map:
		return x.Pointer() == y.Pointer()
	case reflect.Slice:
		return x.Pointer() == y.Pointer() && x.Len() == y.Len()
	case reflect.String:
		return x.String() == y.String()
	}
	return x.IsZero() && y.IsZero()
}

func firstDiff(a, b []Finding) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("#%d: %+v\nvs %+v", i, a[i], b[i])
		}
	}
	return "one is longer"
}
