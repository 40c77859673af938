package server_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/specls/specls/server/lsptest"
	"github.com/specls/specls/workspace"
)

func TestPushLifecycle(t *testing.T) {
	ed, _ := start(t, nil)
	v := ed.OpenFile(techspec)
	if got := ed.Diagnostics(techspec, v); len(got) != 0 {
		t.Fatalf("clean tech spec: %v, want an empty list", lsptest.Codes(got))
	}
	// Remove the Testing Strategy section: Gate E reports it missing.
	v = ed.Replace(techspec, "## Testing Strategy\n\npytest unit tests, gRPC contract tests, 200 resets/s load target.\n\n", "")
	got := ed.Diagnostics(techspec, v)
	if codes := lsptest.Codes(got); !has(codes, "section-missing") {
		t.Fatalf("after removing a section: %v, want section-missing", codes)
	}
	for _, d := range got {
		if d.Source.IsZero() {
			t.Errorf("diagnostic without source: %+v", d)
		}
		if msg, ok := d.Message.(protocol.String); !ok || !strings.Contains(string(msg), "Testing Strategy") {
			t.Errorf("message %v does not name the section", d.Message)
		}
		if code, _ := d.Code.(protocol.String); string(d.CodeDescription.Href) != "https://github.com/specls/specls/blob/main/docs/rules.md#"+string(code) {
			t.Errorf("%s: codeDescription.href %q, want its docs/rules.md entry", code, d.CodeDescription.Href)
		}
	}
	// Put it back: the list becomes empty again.
	v = ed.Replace(techspec, "## Libraries Assessment", "## Testing Strategy\n\npytest unit tests.\n\n## Libraries Assessment")
	if got := ed.Diagnostics(techspec, v); len(got) != 0 {
		t.Fatalf("after restoring the section: %v, want an empty list", lsptest.Codes(got))
	}
	// Closing publishes an empty list without a version.
	mark := ed.Mark()
	ed.CloseDoc(techspec)
	p := ed.WaitPublished(mark, techspec, func(lsptest.Published) bool { return true })
	if p.Version != -1 || len(p.Diagnostics) != 0 {
		t.Fatalf("on close: version %d, %d diagnostics; want no version and an empty list", p.Version, len(p.Diagnostics))
	}
}

// TestNeverOlderVersion types quickly: the diagnostics published per
// document never go back in version, and the last version is published.
func TestNeverOlderVersion(t *testing.T) {
	ed, _ := start(t, nil)
	ed.OpenFile(techspec)
	var v int32
	for i := 0; i < 30; i++ {
		v = ed.Insert(techspec, "## Data Models\n", "x")
	}
	ed.Diagnostics(techspec, v)
	last := int32(0)
	for _, p := range ed.History() {
		if p.URI != ed.URI(techspec) {
			continue
		}
		if p.Version < last {
			t.Fatalf("published version %d after version %d", p.Version, last)
		}
		last = p.Version
	}
}

func TestDebounceCoalesces(t *testing.T) {
	ed, _ := start(t, func(c *lsptest.Config) { c.Options.Debounce = time.Second })
	v := ed.OpenFile(techspec)
	ed.Diagnostics(techspec, v) // opening is not debounced
	for i := 0; i < 5; i++ {
		v = ed.Insert(techspec, "## Data Models\n", "y")
	}
	ed.Diagnostics(techspec, v)
	for _, p := range ed.History() {
		if p.URI == ed.URI(techspec) && p.Version > 1 && p.Version < v {
			t.Fatalf("version %d was published although version %d followed within the debounce", p.Version, v)
		}
	}
}

// TestCrossFile: a change to the PRD re-checks the open tech spec. The tech
// spec ticks Gate E as passed; Gate E counts the PRD's template findings
// too, so breaking the PRD's outline makes the tech spec's claim false.
func TestCrossFile(t *testing.T) {
	ed, root := start(t, nil)
	tv := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Architecture Review\n", "## Architecture Review\n\n- [x] Gate E: the documents follow their templates\n", 1))
	pv := ed.OpenFile(prd)
	if codes := lsptest.Codes(ed.Diagnostics(techspec, tv)); has(codes, "gate-claim-false") {
		t.Fatalf("tech spec with a true claim: %v", codes)
	}
	ed.Diagnostics(prd, pv)

	mark := ed.Mark()
	ed.Replace(prd, "## Appendix", "## Apendix")
	p := ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return has(p.Codes(), "gate-claim-false") })
	if p.Version != tv {
		t.Errorf("re-published tech spec diagnostics carry version %d, want the buffer's %d", p.Version, tv)
	}

	mark = ed.Mark()
	ed.Replace(prd, "## Apendix", "## Appendix")
	ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return !has(p.Codes(), "gate-claim-false") })

	// The reverse: what the PRD shows follows the open tech spec's buffer.
	if h := ed.Hover(prd, ed.Pos(prd, "FR-1")); !strings.Contains(h, "Referenced 1 time(s) by the tech spec") {
		t.Errorf("hover on FR-1 in the PRD:\n%s", h)
	}
	ed.Replace(techspec, "(FR-1, FR-2)", "(FR-2)")
	if h := ed.Hover(prd, ed.Pos(prd, "FR-1")); !strings.Contains(h, "Not referenced by the tech spec") {
		t.Errorf("hover on FR-1 in the PRD after the tech spec dropped it:\n%s", h)
	}
}

func TestConfigChangeRechecks(t *testing.T) {
	ed, root := start(t, nil)
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Fatalf("near miss: %v, want section-renamed", codes)
	}
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": read(t, root, ".specls.yaml") + "  section-renamed: off\n"})
	mark := ed.Mark()
	ed.FileChanged(".specls.yaml")
	ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return p.Version == v && !has(p.Codes(), "section-renamed") })
}

func TestTemplateChangeRechecks(t *testing.T) {
	ed, root := start(t, nil)
	v := ed.OpenFile(techspec)
	ed.Diagnostics(techspec, v)
	// A workspace template that asks for a section the spec lacks.
	tmpl := "# Technical Specification: [Feature Name]\n\n## Architecture Overview\n\nWhat and why.\n\n## Rollback Plan\n\nHow to undo it.\n"
	lsptest.WriteFiles(t, root, map[string]string{"tasks/docs/_techspec-template.md": tmpl})
	mark := ed.Mark()
	ed.FileChanged("tasks/docs/_techspec-template.md")
	p := ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return has(p.Codes(), "section-missing") })
	found := false
	for _, d := range p.Diagnostics {
		if m, _ := d.Message.(protocol.String); strings.Contains(string(m), "Rollback Plan") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no finding names the template's new section: %v", p.Diagnostics)
	}
}

// TestSaveRechecksWithoutWatching: a client that cannot watch files gets a
// re-check when it saves .specls.yaml.
func TestSaveRechecksWithoutWatching(t *testing.T) {
	caps := lsptest.PushCaps()
	caps.Workspace.DidChangeWatchedFiles = nil
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = &caps })
	v := ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	if codes := lsptest.Codes(ed.Diagnostics(techspec, v)); !has(codes, "section-renamed") {
		t.Fatalf("near miss: %v, want section-renamed", codes)
	}
	ed.OpenFile(".specls.yaml")
	mark := ed.Mark()
	ed.Insert(".specls.yaml", "rules:\n", "  section-renamed: off\n")
	ed.Save(".specls.yaml")
	ed.WaitPublished(mark, techspec, func(p lsptest.Published) bool { return !has(p.Codes(), "section-renamed") })
}

func TestPullDiagnostics(t *testing.T) {
	ed, root := start(t, func(c *lsptest.Config) { c.Caps = pullCaps() })
	ed.Open(techspec, strings.Replace(read(t, root, techspec), "## Data Models", "## Data Model", 1))
	rep, ok := ed.Pull(techspec, "").(*protocol.RelatedFullDocumentDiagnosticReport)
	if !ok {
		t.Fatalf("first pull: %T, want a full report", rep)
	}
	if codes := lsptest.Codes(rep.Items); !has(codes, "section-renamed") {
		t.Fatalf("pull: %v, want section-renamed", codes)
	}
	if rep.ResultID == nil || *rep.ResultID == "" {
		t.Fatal("full report without a result id")
	}
	if _, ok := ed.Pull(techspec, *rep.ResultID).(*protocol.RelatedUnchangedDocumentDiagnosticReport); !ok {
		t.Fatal("second pull with the same result id: want an unchanged report")
	}
	ed.Replace(techspec, "## Data Model", "## Data Models")
	rep2, ok := ed.Pull(techspec, *rep.ResultID).(*protocol.RelatedFullDocumentDiagnosticReport)
	if !ok || len(rep2.Items) != 0 {
		t.Fatalf("after the fix: %+v, want a full empty report", rep2)
	}
	// A pull client never gets pushed diagnostics.
	for _, p := range ed.History() {
		t.Errorf("pull client received a push: %s v%d", p.URI, p.Version)
	}
}

func TestWorkspacePull(t *testing.T) {
	ed, _ := start(t, func(c *lsptest.Config) {
		c.Caps = pullCaps()
		// A second feature on disk only, with a problem. Written before
		// the server starts: written after, the server's first indexing
		// could read it half written, and no client tells it of the rest
		// here.
		lsptest.WriteFiles(t, c.Root, map[string]string{
			"tasks/prd-export/_prd.md": strings.Replace(read(t, c.Root, prd), "## Appendix", "## Apendix", 1),
		})
	})
	v := ed.OpenFile(techspec)
	rep := ed.PullWorkspace(nil)
	byURI := map[string]protocol.WorkspaceDocumentDiagnosticReport{}
	for _, it := range rep.Items {
		switch it := it.(type) {
		case *protocol.WorkspaceFullDocumentDiagnosticReport:
			byURI[string(it.URI)] = it
		case *protocol.WorkspaceUnchangedDocumentDiagnosticReport:
			byURI[string(it.URI)] = it
		}
	}
	for _, rel := range []string{techspec, prd, "tasks/prd-export/_prd.md"} {
		if byURI[string(ed.URI(rel))] == nil {
			t.Errorf("workspace pull lacks %s", rel)
		}
	}
	full := byURI[string(ed.URI("tasks/prd-export/_prd.md"))].(*protocol.WorkspaceFullDocumentDiagnosticReport)
	if !has(lsptest.Codes(full.Items), "section-renamed") || full.Version != nil {
		t.Errorf("unopened PRD: %v version %v; want section-renamed and no version", lsptest.Codes(full.Items), full.Version)
	}
	open := byURI[string(ed.URI(techspec))].(*protocol.WorkspaceFullDocumentDiagnosticReport)
	if open.Version == nil || *open.Version != v {
		t.Errorf("open tech spec: version %v, want %d", open.Version, v)
	}
	// With the previous ids and a change, only what changed is full.
	prev := map[string]string{}
	for _, rel := range []string{techspec, prd, "tasks/prd-export/_prd.md"} {
		prev[rel] = *byURI[string(ed.URI(rel))].(*protocol.WorkspaceFullDocumentDiagnosticReport).ResultID
	}
	ed.Replace(techspec, "## Data Models", "## Data Model")
	rep = ed.PullWorkspace(prev)
	for _, it := range rep.Items {
		switch it := it.(type) {
		case *protocol.WorkspaceFullDocumentDiagnosticReport:
			if it.URI != ed.URI(techspec) {
				t.Errorf("%s reported in full although unchanged", it.URI)
			}
		case *protocol.WorkspaceUnchangedDocumentDiagnosticReport:
			if it.URI == ed.URI(techspec) {
				t.Errorf("changed tech spec reported unchanged")
			}
		}
	}
}

// A folder with no open buffer is cached without its documents; what the
// client sees must not depend on that. The loyalty-points example fails
// every gate, with findings that point into the other file.
func TestClosedFolderDiagnosticsMatchOpen(t *testing.T) {
	root := t.TempDir()
	const rel = "tasks/prd-loyalty-points/_techspec.md"
	for _, name := range []string{rel, "tasks/prd-loyalty-points/_prd.md"} {
		b, err := os.ReadFile(filepath.Join("..", "examples", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		lsptest.WriteFiles(t, root, map[string]string{name: string(b)})
	}
	ed := lsptest.Start(t, lsptest.Config{Root: root, Caps: pullCaps()})
	items := func(what string) []protocol.Diagnostic {
		rep, ok := ed.Pull(rel, "").(*protocol.RelatedFullDocumentDiagnosticReport)
		if !ok {
			t.Fatalf("%s: want a full report", what)
		}
		return rep.Items
	}
	fresh := items("first pull of the closed file")
	cached := items("second pull of the closed file")
	ed.OpenFile(rel)
	open := items("pull of the open file")
	related := 0
	for _, d := range fresh {
		related += len(d.RelatedInformation)
	}
	if len(fresh) < 10 || related == 0 {
		t.Fatalf("fixture: %d diagnostics, %d related; want a failing spec with related information", len(fresh), related)
	}
	if !reflect.DeepEqual(fresh, cached) {
		t.Errorf("closed file, from the cache:\n%v\nwant\n%v", lsptest.Codes(cached), lsptest.Codes(fresh))
	}
	if !reflect.DeepEqual(fresh, open) {
		t.Errorf("open file:\n%v\nwant\n%v", lsptest.Codes(open), lsptest.Codes(fresh))
	}
}

// TestSiblingOnDiskFollowed: the PRD, not open, is kept between the checks
// of keystrokes in the tech spec once it has settled on disk
// (workspace.Files); a change to it is seen on the next keystroke, with
// or without a watched-file event, including a rewrite that keeps its
// size.
func TestSiblingOnDiskFollowed(t *testing.T) {
	root := fixture(t, "basic")
	// Gate A on: requirement-untraced reads the PRD.
	lsptest.WriteFiles(t, root, map[string]string{".specls.yaml": "gates: {B: off, C: off, D: off, F: off}\n"})
	ed := lsptest.Start(t, lsptest.Config{Root: root})
	path := filepath.Join(root, filepath.FromSlash(prd))
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	untraced := func(v int32) bool {
		t.Helper()
		return has(lsptest.Codes(ed.Diagnostics(techspec, v)), "requirement-untraced")
	}
	time.Sleep(workspace.RecentWindow + 100*time.Millisecond) // the PRD settles: now it is kept
	v := ed.OpenFile(techspec)
	if untraced(v) {
		t.Fatal("the fixture's tech spec traces every requirement")
	}
	if v = ed.Insert(techspec, "## Data Models\n", "x"); untraced(v) {
		t.Fatal("a keystroke in the tech spec: requirement-untraced, with the PRD unchanged")
	}
	// FR-2 becomes FR-9: the same size, a requirement the tech spec does
	// not name. No event: the next keystroke's stat sees the change.
	changed := strings.Replace(string(orig), "2. FR-2:", "9. FR-9:", 1)
	if len(changed) != len(orig) || changed == string(orig) {
		t.Fatal("the fixture's PRD has no FR-2")
	}
	write(changed)
	if v = ed.Insert(techspec, "## Data Models\n", "x"); !untraced(v) {
		t.Fatal("after FR-2 became FR-9 on disk: no requirement-untraced")
	}
	// Settled again and kept; then put back, with an event.
	time.Sleep(workspace.RecentWindow + 100*time.Millisecond)
	if v = ed.Insert(techspec, "## Data Models\n", "x"); !untraced(v) {
		t.Fatal("the changed PRD once settled: no requirement-untraced")
	}
	write(string(orig))
	mark := ed.Mark()
	ed.FileChanged(prd)
	p := ed.WaitPublished(mark, techspec, func(lsptest.Published) bool { return true })
	if has(lsptest.Codes(p.Diagnostics), "requirement-untraced") {
		t.Fatal("after the PRD was put back and the client said so: requirement-untraced")
	}
}
