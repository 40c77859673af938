package server_test

import (
	"slices"
	"strings"
	"testing"
)

func TestDocumentLinks(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	ed.Insert(techspec, "see `_prd.md` for the requirements.", " The [task list](./_tasks.md) and [the PRD](_prd.md#goals) follow.")
	links := ed.Links(techspec)
	var got []string
	for _, l := range links {
		if l.Target == nil || *l.Target != ed.URI(prd) {
			t.Errorf("link %q targets %v, want the PRD", ed.Slice(techspec, l.Range), l.Target)
			continue
		}
		got = append(got, ed.Slice(techspec, l.Range))
	}
	// _tasks.md does not exist: not linked.
	if len(got) != 2 || !slices.Contains(got, "_prd.md") || !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "the PRD](_prd.md#goals)") }) {
		t.Errorf("linked %q, want the mention and the markdown link of the PRD", got)
	}
}
