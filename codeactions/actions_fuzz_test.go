package codeactions

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// FuzzActions asks for every code action on arbitrary documents (the whole
// document selected, and a cursor in its middle) and applies each one: its
// edits lie inside the text and do not overlap, apply cleanly, the result
// parses into a document whose spans all map, and a safe action (the kind
// fix-all and `specls check --fix` apply unasked) keeps every line the
// author wrote, the BOM, the line endings and the final newline.
func FuzzActions(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*/*.txtar")
	for _, p := range paths {
		a := readArchive(f, p)
		f.Add(a.files["_techspec.md"], a.files["_prd.md"])
	}
	f.Add("", "")
	f.Add("# Technical Specification: [Feature Name]\r\n\r\n## Data Model\r\n\r\n[TODO]\r\n", "\ufeff# PRD\n\n## Core Features\n\n1. FR-1: x\n")
	f.Add("## Service Definitions\n\n### A\n- Dependencies: B (gRPC)\n\n## Deployment Sequencing\n\n- **Phase 1**: A\n- **Phase 2**: B\n", "")
	f.Add("```mermaid\ngraph TD\n  A -->|gRPC| B\n  B -->|gRPC| A\n```\n\n- [x] Gate B\n", "## Success Metrics\n\n| Metric | Target |\n|---|---|\n| x | |\n")
	f.Fuzz(func(t *testing.T, tech, prd string) {
		feat := &spec.Feature{Dir: featureDir, Slug: "ai-chat"}
		feat.Set(spec.Parse(filepath.Join(featureDir, "_techspec.md"), []byte(tech)))
		if prd != "" {
			feat.Set(spec.Parse(filepath.Join(featureDir, "_prd.md"), []byte(prd)))
		}
		in := input(feat)
		findings := diagnostics.Check(in)
		for _, doc := range feat.Docs() {
			mid := len(doc.Text) / 2
			for _, sp := range []spec.Span{{Start: 0, End: len(doc.Text)}, {Start: mid, End: mid}} {
				for _, a := range For(Request{Input: in, Findings: findings, Doc: doc, Span: sp}) {
					checkAction(t, feat, a)
				}
			}
		}
	})
}

// checkAction applies one action to the feature and checks what every
// action promises.
func checkAction(t *testing.T, feat *spec.Feature, a Action) {
	t.Helper()
	byPath := map[string][]Edit{}
	for _, e := range a.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for path, edits := range byPath {
		var doc *spec.Document
		for _, d := range feat.Docs() {
			if d.Path == path {
				doc = d
			}
		}
		if doc == nil {
			t.Fatalf("%q edits %s, which is not a document of the feature", a.Title, path)
		}
		for i, e := range edits {
			if e.Span.Start < 0 || e.Span.End > len(doc.Text) || e.Span.Start > e.Span.End {
				t.Fatalf("%q: edit %v outside the %d-byte %s", a.Title, e.Span, len(doc.Text), filepath.Base(path))
			}
			for _, g := range edits[i+1:] {
				if conflict(e, g) {
					t.Fatalf("%q: edits %v and %v overlap", a.Title, e.Span, g.Span)
				}
			}
		}
		out, err := Apply(doc.Text, edits)
		if err != nil {
			t.Fatalf("%q: %v", a.Title, err)
		}
		parsed := spec.Parse(path, out)
		m := parsed.Mapper()
		for _, h := range parsed.Headings {
			if _, _, err := m.SpanRange(h.Span, spec.UTF16); err != nil {
				t.Fatalf("%q: after the edit, heading span %v does not map: %v", a.Title, h.Span, err)
			}
		}
		// An empty document has no author text, and a fix that fills it
		// ends it with a newline on purpose. A document with mixed line
		// endings has no one ending to keep.
		if a.Safe && len(strings.TrimPrefix(string(doc.Text), "\ufeff")) > 0 && oneLineEnding(doc.Text) {
			checkKept(t, doc, string(out), a.Fixes)
		}
	}
	for _, c := range a.Creates {
		for _, d := range feat.Docs() {
			if d.Path == c.Path {
				t.Fatalf("%q creates %s, which exists", a.Title, c.Path)
			}
		}
		if !strings.HasPrefix(c.Path, feat.Dir+string(filepath.Separator)) || strings.TrimSpace(c.Content) == "" {
			t.Fatalf("%q creates %s with %d bytes, want a file of the feature folder with content", a.Title, c.Path, len(c.Content))
		}
		spec.Parse(c.Path, []byte(c.Content))
	}
}

// oneLineEnding reports whether every line break of text is "\n", or every
// one is "\r\n".
func oneLineEnding(text []byte) bool {
	crlf := bytes.Count(text, []byte("\r\n"))
	return crlf == 0 && bytes.Count(text, []byte("\r")) == 0 || crlf == bytes.Count(text, []byte("\n")) && crlf == bytes.Count(text, []byte("\r"))
}
