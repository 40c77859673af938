package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGateCodeLens(t *testing.T) {
	ed, _ := start(t, nil)
	v := ed.OpenFile(techspec)
	ed.Diagnostics(techspec, v)
	lenses := ed.CodeLenses(techspec)
	if len(lenses) != 1 {
		t.Fatalf("%d lenses, want 1", len(lenses))
	}
	l := lenses[0]
	if l.Range.Start.Line != 0 {
		t.Errorf("lens at line %d, want the title", l.Range.Start.Line)
	}
	if l.Command.Title != "Gates: A -  B -  C -  D -  E ✓  F -  (python-microservices)" {
		t.Errorf("lens title %q", l.Command.Title)
	}
	v = ed.Replace(techspec, "## Data Models", "## Data Model")
	ed.Diagnostics(techspec, v)
	l = ed.CodeLenses(techspec)[0]
	if !strings.Contains(l.Command.Title, "E ✗ 1") {
		t.Errorf("lens title %q after breaking Gate E", l.Command.Title)
	}
	var uri string
	if err := json.Unmarshal(l.Command.Arguments[0], &uri); err != nil {
		t.Fatal(err)
	}
	res, err := ed.Execute(l.Command.Command, uri)
	if err != nil {
		t.Fatalf("running the lens command: %v", err)
	}
	if !strings.Contains(string(res), `"gate":"E"`) {
		t.Errorf("command result %s", res)
	}
	ed.WaitMessage("Gate E (Tech spec follows its template) fails: section-renamed")
	if got := ed.CodeLenses(prd); len(got) != 0 {
		t.Errorf("a PRD has no gate lens: %v", got)
	}
}
