package ai

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
)

// Request asks for one section, or a whole document, of a feature.
type Request struct {
	// Input is the feature with its current documents, templates and
	// configuration.
	Input diagnostics.Input
	// Path is the document written: a _techspec.md or _prd.md of the
	// feature's folder. It may not exist yet when Section is "".
	Path string
	// Section names the section (a template title, or the heading of a
	// document section); "" drafts the whole document.
	Section string
	// Progress, when set, is called as the answer streams in.
	Progress func(Progress)
}

// Result is a validated generation, ready to apply.
type Result struct {
	Target Target
	// Markdown is the section as validated, "\n" line endings.
	Markdown string
	// Edit puts it into the document as it was when generation started;
	// Create is true when the document does not exist yet and Edit.NewText
	// is its whole content.
	Edit   Edit
	Create bool
	// Text is the document after the edit; Section the generated span in it.
	Text    []byte
	Section spec.Span
	// Findings are the engine's findings inside the generated text.
	Findings []diagnostics.Finding
}

// Title names what was generated, for messages.
func (r Result) Title() string { return r.Target.title() }

func (t Target) title() string {
	if t.Mode == ModeDocument {
		return filepath.Base(t.Path)
	}
	if t.Template != nil && !t.Template.Variable {
		return t.Template.Title
	}
	return strings.TrimLeft(t.Heading, "# ")
}

// Generate asks the model for the section, validates the answer and
// re-checks the document with it spliced in. It writes nothing: the
// caller applies Result.Edit (after Reanchor when the document may have
// changed meanwhile).
func Generate(ctx context.Context, c Completer, req Request) (Result, error) {
	in := req.Input
	if in.Feature == nil {
		in.Feature = &spec.Feature{Dir: filepath.Dir(req.Path), Slug: strings.TrimPrefix(filepath.Base(filepath.Dir(req.Path)), "prd-")}
	}
	t, err := prepare(in, req.Path, req.Section)
	if err != nil {
		return Result{}, err
	}
	tmpl := templateOf(in, t.Kind)
	doc := docOf(in, t)
	answer, err := c.Complete(ctx, buildPrompt(in.Feature, doc, tmpl, t), req.Progress)
	if err != nil {
		return Result{}, err
	}
	md, err := Clean(answer, t, tmpl)
	if err != nil {
		return Result{}, err
	}
	return Place(in, t, md)
}

// PromptFor returns the prompt Generate would send, for inspection.
func PromptFor(in diagnostics.Input, path, section string) (Prompt, error) {
	t, err := prepare(in, path, section)
	if err != nil {
		return Prompt{}, err
	}
	return buildPrompt(in.Feature, docOf(in, t), templateOf(in, t.Kind), t), nil
}

// prepare locates the target of a request.
func prepare(in diagnostics.Input, path, section string) (Target, error) {
	kind := spec.KindOf(path)
	if kind != spec.KindPRD && kind != spec.KindTechSpec {
		return Target{}, &Error{Kind: KindInvalid, msg: fmt.Sprintf("%s is not a PRD or tech spec (_prd.md, _techspec.md)", filepath.Base(path))}
	}
	tmpl := templateOf(in, kind)
	if tmpl == nil {
		return Target{}, &Error{Kind: KindInvalid, msg: fmt.Sprintf("there is no %s template", kind)}
	}
	doc := docOf(in, Target{Kind: kind, Path: path})
	if section == "" {
		if doc != nil && !isBlank(string(doc.Text)) {
			return Target{}, &Error{Kind: KindInvalid, msg: fmt.Sprintf("%s already has content; generate its sections one at a time", filepath.Base(path))}
		}
		return documentTarget(path, kind, doc, tmpl, in.Feature), nil
	}
	if doc == nil {
		return Target{}, &Error{Kind: KindInvalid, msg: fmt.Sprintf("%s does not exist; create it first", path)}
	}
	return Locate(doc, tmpl, section)
}

// Place splices markdown, already validated for t, into the feature's
// current document and re-checks it.
func Place(in diagnostics.Input, t Target, markdown string) (Result, error) {
	doc := docOf(in, t)
	tmpl := templateOf(in, t.Kind)
	var src []byte
	if doc != nil {
		src = doc.Text
	}
	edit, text, span := Splice(src, t, markdown)
	fs, err := recheck(in, doc, tmpl, t, text, span)
	if err != nil {
		return Result{}, err
	}
	return Result{Target: t, Markdown: markdown, Edit: edit, Create: doc == nil, Text: text, Section: span, Findings: fs}, nil
}

// Reanchor places a result into the feature's documents as they are now,
// after edits made while the answer was generated. The section is found
// again; when its own text changed (or a missing section appeared, or a
// drafted document got content), it returns an error of KindChanged and
// writes over nothing.
func Reanchor(in diagnostics.Input, res Result) (Result, error) {
	t := res.Target
	doc := docOf(in, t)
	changed := func(what string) error {
		return &Error{Kind: KindChanged, msg: fmt.Sprintf("%s while the text was being generated; nothing was written. Run the action again to generate from the current text", what)}
	}
	var nt Target
	switch t.Mode {
	case ModeDocument:
		if doc != nil && !isBlank(string(doc.Text)) {
			return Result{}, changed(filepath.Base(t.Path) + " got content")
		}
		nt = documentTarget(t.Path, t.Kind, doc, templateOf(in, t.Kind), in.Feature)
		nt.Heading = t.Heading
	default:
		if doc == nil {
			return Result{}, changed(filepath.Base(t.Path) + " was removed")
		}
		var err error
		nt, err = Locate(doc, templateOf(in, t.Kind), t.Query)
		switch {
		case err != nil:
			return Result{}, changed(fmt.Sprintf("%q was renamed or removed", t.title()))
		case t.Mode == ModeInsert && nt.Mode != ModeInsert:
			return Result{}, changed(fmt.Sprintf("%q was added", t.title()))
		case t.Mode != ModeInsert && (nt.Mode == ModeInsert || nt.Original != t.Original):
			return Result{}, changed(fmt.Sprintf("%q was edited", t.title()))
		}
	}
	return Place(in, nt, res.Markdown)
}

func templateOf(in diagnostics.Input, kind spec.Kind) *spec.Template {
	if t := in.Templates[kind]; t != nil {
		return t
	}
	return spec.BuiltinTemplate(kind)
}

// docOf returns the feature's document at t.Path, or nil.
func docOf(in diagnostics.Input, t Target) *spec.Document {
	if in.Feature == nil {
		return nil
	}
	if d := in.Feature.Doc(t.Kind); d != nil && filepath.Clean(d.Path) == filepath.Clean(t.Path) {
		return d
	}
	return nil
}
