package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, ".specls.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"new", "-C", root, "ai-chat"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	path := filepath.Join(root, "tasks", "prd-ai-chat", "_prd.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# Product Requirements Document: Ai Chat\n\n## Overview\n") {
		t.Errorf("content starts %q", string(b)[:60])
	}
	if !strings.Contains(out.String(), "created ") || !strings.Contains(out.String(), filepath.Join("prd-ai-chat", "_prd.md")) {
		t.Errorf("output %q", out.String())
	}
	// The new PRD has every section of its template, and a named title.
	out.Reset()
	run([]string{"check", "--quiet", root}, nil, &out, &errb)
	for _, code := range []string{"section-missing", "title-placeholder", "feature-folder"} {
		if strings.Contains(out.String(), code) {
			t.Errorf("the new PRD has %s:\n%s", code, out.String())
		}
	}
	// A second run keeps the file.
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := run([]string{"new", "-C", root, "ai-chat"}, nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "exists") {
		t.Errorf("second run: exit %d, stderr %q", code, errb.String())
	}
	if b, _ := os.ReadFile(path); string(b) != "mine\n" {
		t.Error("an existing PRD was overwritten")
	}
}

func TestNewTitleAndWorkspaceTemplate(t *testing.T) {
	root := t.TempDir()
	tmpl := filepath.Join(root, "tasks", "docs", "_prd-template.md")
	if err := os.MkdirAll(filepath.Dir(tmpl), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmpl, []byte("# PRD: [Feature]\n\n## Problem\n\n[Why]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"new", "-C", root, "-title", "AI Chat", "prd-ai-chat"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(root, "tasks", "prd-ai-chat", "_prd.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "# PRD: AI Chat\n\n## Problem\n\n[Why]\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
}

func TestNewBadSlug(t *testing.T) {
	for _, args := range [][]string{{"new"}, {"new", "AI_Chat"}, {"new", "a", "b"}, {"new", "-x"}} {
		root := t.TempDir()
		var out, errb bytes.Buffer
		if code := run(append(args[:1:1], append([]string{"-C", root}, args[1:]...)...), nil, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if _, err := os.Stat(filepath.Join(root, "tasks")); err == nil {
			t.Errorf("%v: created tasks/", args)
		}
	}
}
