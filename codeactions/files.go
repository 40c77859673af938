package codeactions

import (
	"path/filepath"
	"strings"

	"github.com/specls/specls/config"
	"github.com/specls/specls/spec"
)

// createPRD offers the missing _prd.md of a tech spec's folder, written
// from the PRD template with the feature's name in its title.
func (f *fixer) createPRD() []Action {
	if f.in.Feature.PRD != nil {
		return nil
	}
	t := f.in.Templates[spec.KindPRD]
	if t == nil {
		t = spec.BuiltinTemplate(spec.KindPRD)
	}
	path := filepath.Join(filepath.Dir(f.doc.Path), spec.FileNames[spec.KindPRD])
	// Named only after a title: a name made up from the slug would pass for
	// the author's in every later fix.
	name, fromTitle := f.featureName()
	if !fromTitle {
		name = ""
	}
	return []Action{{
		Title:     "Create " + spec.FileNames[spec.KindPRD] + " from the PRD template",
		Preferred: true,
		Safe:      true,
		Creates:   []FileCreate{{Path: path, Content: FromTemplate(t, name, f.t.nl)}},
	}}
}

// FromTemplate returns a template's text for a new document: the title's
// placeholder replaced by name (when not empty), in the line ending nl.
func FromTemplate(t *spec.Template, name, nl string) string {
	src := string(t.Doc.Text)
	name = oneLine(name)
	if h := t.Doc.Title(); h != nil && name != "" {
		title := h.TitleSpan.Text(t.Doc.Text)
		if loc := placeholder.FindStringIndex(title); loc != nil {
			at := h.TitleSpan.Start
			src = src[:at+loc[0]] + name + src[at+loc[1]:]
		}
	}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if !strings.HasSuffix(src, "\n") {
		src += "\n"
	}
	return nlText(src, nl)
}

// techSpecFromPRD writes the tech spec of a PRD: every required section of
// the tech-spec template, named after the PRD's feature, with what can be
// derived already generated.
func (f *fixer) techSpecFromPRD() (FileCreate, bool) {
	t := f.in.Templates[spec.KindTechSpec]
	if t == nil {
		t = spec.BuiltinTemplate(spec.KindTechSpec)
	}
	if t == nil || len(t.Sections) == 0 {
		return FileCreate{}, false
	}
	path := filepath.Join(filepath.Dir(f.doc.Path), spec.FileNames[spec.KindTechSpec])
	// A fixer over the empty tech spec, so that generators read it, not the PRD.
	feat := *f.in.Feature
	ts := spec.Parse(path, nil)
	feat.TechSpec = ts
	in := f.in
	in.Feature = &feat
	g := newFixer(in, ts)
	g.tmpl = t
	// A new tech spec under the Python microservices profile gets the
	// sections the built-in template suggests for the profile's artifacts
	// too; under any other, only what the template requires.
	g.suggested = in.Scope().Profile == config.ProfilePython
	var parts []string
	for _, s := range t.Sections {
		switch {
		case s.Level == 1:
			name, _ := g.featureName()
			head := "# " + s.TitleFor(oneLine(name))
			if s.Body != "" {
				head += "\n\n" + s.Body
			}
			parts = append(parts, head)
		case (s.Parent == nil || s.Parent.Level == 1) && (!s.Optional || g.suggested && s.Suggested):
			block, _ := g.render(s)
			parts = append(parts, block)
		}
	}
	return FileCreate{Path: path, Content: nlText(strings.Join(parts, "\n\n")+"\n", f.t.nl)}, true
}
