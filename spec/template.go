package spec

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/internal/safefile"
)

//go:embed templates/*.md
var builtin embed.FS

// Template is the outline a spec file must follow.
type Template struct {
	Kind     Kind
	Source   string // "builtin" or the file it was read from
	Doc      *Document
	Sections []*TemplateSection // document order, the title (H1) included
}

// TemplateSection is one heading of a template.
type TemplateSection struct {
	Title    string
	Key      string // Normalize(Title)
	MatchKey string // HeadingKey(Title): what document headings are matched by
	Level    int
	Optional bool
	// Suggested marks a heading the built-in template offers beyond the
	// seed's outline (Communication Matrix, Open Questions, ...): optional,
	// and never held to a level or an order. Its artifact's own rule
	// reports the artifact's absence.
	Suggested bool
	// Variable is true for a heading that is itself a placeholder, such as
	// "### [Service Name]": it stands for any number of headings at that level.
	Variable bool
	// Body is the section's own template text (subsections excluded), trimmed.
	Body     string
	Parent   *TemplateSection
	Children []*TemplateSection
	Index    int
}

// Markdown returns the heading line followed by the section's skeleton text
// and that of its required subsections, with nl as the line ending.
func (t *TemplateSection) Markdown(nl string) string {
	var sb strings.Builder
	t.write(&sb, nl)
	return sb.String()
}

func (t *TemplateSection) write(sb *strings.Builder, nl string) {
	sb.WriteString(strings.Repeat("#", t.Level) + " " + t.Title + nl)
	if t.Body != "" {
		sb.WriteString(nl + strings.ReplaceAll(t.Body, "\n", nl) + nl)
	}
	for _, c := range t.Children {
		if c.Optional {
			continue
		}
		sb.WriteString(nl)
		c.write(sb, nl)
	}
}

// Path returns the titles from the top-level section down to t, for messages.
func (t *TemplateSection) Path() string {
	var parts []string
	for s := t; s != nil && s.Level > 1; s = s.Parent {
		parts = append([]string{s.Title}, parts...)
	}
	return strings.Join(parts, " > ")
}

// TemplatePaths are the workspace files that override the built-in
// templates, relative to the workspace root, as the convention names them.
var TemplatePaths = map[Kind]string{
	KindPRD:      "tasks/docs/_prd-template.md",
	KindTechSpec: "tasks/docs/_techspec-template.md",
	KindTasks:    "tasks/docs/_tasks-template.md",
}

var (
	builtinOnce  sync.Once
	builtinCache map[Kind]*Template
)

// BuiltinTemplate returns the embedded default template for kind, parsed
// once. Callers must not modify it.
func BuiltinTemplate(kind Kind) *Template {
	builtinOnce.Do(func() {
		builtinCache = map[Kind]*Template{}
		for _, k := range []Kind{KindPRD, KindTechSpec, KindTasks} {
			builtinCache[k] = parseBuiltin(k)
		}
	})
	return builtinCache[kind]
}

func parseBuiltin(kind Kind) *Template {
	name := map[Kind]string{KindPRD: "prd.md", KindTechSpec: "techspec.md", KindTasks: "tasks.md"}[kind]
	if name == "" {
		return nil
	}
	src, err := builtin.ReadFile("templates/" + name)
	if err != nil {
		panic(fmt.Sprintf("spec: embedded template %s: %v", name, err)) // a build defect
	}
	t := NewTemplate(kind, "builtin", src)
	if kind == KindTechSpec {
		for _, ts := range t.Sections {
			if ts.Level > 1 && !seedOutline[ts.Key] {
				ts.Optional, ts.Suggested = true, true
			}
		}
	}
	return t
}

// seedOutline is the tech spec outline the convention requires, by key;
// the other headings of the built-in template are suggestions.
var seedOutline = map[string]bool{
	"architecture overview": true, "service definitions": true, "service name": true,
	"proto definitions": true, "data models": true, "communication patterns": true,
	"deployment architecture": true, "development sequencing": true, "testing strategy": true,
}

var (
	compozyOnce sync.Once
	compozyTmpl *Template
)

// LayoutTechSpecTemplate returns the built-in tech spec template for a
// feature folder's layout, when the layout has one of its own: features
// under .compozy/tasks/ follow the outline of the tools that write that
// layout (Executive Summary, System Architecture, Implementation Design,
// ...), not the seed's microservices outline. Nil otherwise.
func LayoutTechSpecTemplate(dir string) *Template {
	if !strings.Contains(filepath.ToSlash(dir)+"/", "/.compozy/tasks/") && !strings.HasPrefix(filepath.ToSlash(dir), ".compozy/tasks/") {
		return nil
	}
	compozyOnce.Do(func() {
		src, err := builtin.ReadFile("templates/techspec-compozy.md")
		if err != nil {
			panic(fmt.Sprintf("spec: embedded template techspec-compozy.md: %v", err)) // a build defect
		}
		compozyTmpl = NewTemplate(KindTechSpec, "built-in (.compozy layout)", src)
	})
	return compozyTmpl
}

// GenericTechSpecTemplate returns the stack-neutral tech spec template that
// `specls init --profile generic` writes.
func GenericTechSpecTemplate() []byte {
	src, err := builtin.ReadFile("templates/techspec-generic.md")
	if err != nil {
		panic(fmt.Sprintf("spec: embedded template techspec-generic.md: %v", err)) // a build defect
	}
	return src
}

// LoadTemplate reads a template file: a regular file of at most 10 MB,
// anywhere. TemplateFor confines templates to the workspace root.
func LoadTemplate(kind Kind, path string) (*Template, error) {
	return loadTemplate(kind, path, "", nil)
}

func loadTemplate(kind Kind, path, root string, granted []string) (*Template, error) {
	src, err := safefile.Read(path, safefile.Options{Root: root, Granted: granted})
	if r := safefile.Refused(err); r != nil {
		return nil, fmt.Errorf("%s template: %s", kind, r.Msg)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s template: %w", kind, err)
	}
	t := NewTemplate(kind, path, src)
	if len(t.Sections) == 0 {
		return nil, fmt.Errorf("%s template %s has no headings", kind, path)
	}
	return t, nil
}

// TemplateFor returns the template for kind in the workspace at root:
// override (when not empty, relative to root), else the conventional
// tasks/docs file, else the built-in one. A template is read only inside
// root: a path or symlink that leads outside it is an error, never read.
func TemplateFor(kind Kind, root, override string) (*Template, error) {
	return TemplateIn(kind, []string{root}, override)
}

// TemplateIn is TemplateFor over several roots, nearest first (the
// workspace root, then the repository root): a relative override is taken
// from the first root that holds it, and so is the conventional file. A
// template found under a root is read only inside that root, or inside a
// granted folder (safefile.Options.Granted: a symlinked tasks/ folder the
// user's command line reached).
func TemplateIn(kind Kind, roots []string, override string, granted ...string) (*Template, error) {
	if len(roots) == 0 {
		roots = []string{""}
	}
	if override != "" {
		if filepath.IsAbs(override) {
			return loadTemplate(kind, override, roots[len(roots)-1], granted)
		}
		for _, r := range roots {
			if p := filepath.Join(r, override); lexists(p) {
				return loadTemplate(kind, p, r, granted)
			}
		}
		return loadTemplate(kind, filepath.Join(roots[0], override), roots[0], granted) // names the missing file
	}
	if p, ok := TemplatePaths[kind]; ok {
		for _, r := range roots {
			if r == "" {
				continue
			}
			if full := filepath.Join(r, filepath.FromSlash(p)); lexists(full) {
				return loadTemplate(kind, full, r, granted)
			}
		}
	}
	return BuiltinTemplate(kind), nil
}

// lexists reports whether path names something, a dangling link included
// (reading it then says what is wrong).
func lexists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// optionalMark is how a template says a section may be left out. An
// appendix is optional without saying so (NewTemplate): it holds what a
// spec has beyond its sections, and the built-in template says so; team
// templates give it a prompt ("[Include any additional information]")
// that a spec with nothing to add rightly leaves out.
var optionalMark = lazyregexp.New(`(?i)\boptional\b|\bif applicable\b|\bonly include if\b|\bif needed\b`)

// bracketed matches a whole heading that is a placeholder: "[Service Name]".
var bracketed = lazyregexp.New(`^\s*\[[^\]]+\]\s*$`)

// NewTemplate builds a template from markdown.
func NewTemplate(kind Kind, source string, src []byte) *Template {
	doc := Parse(source, src)
	t := &Template{Kind: kind, Source: source, Doc: doc}
	byDoc := map[*Section]*TemplateSection{}
	for i, h := range doc.Headings {
		body := strings.TrimSpace(strings.ReplaceAll(h.Own.Text(src), "\r\n", "\n"))
		firstLine, _, _ := strings.Cut(body, "\n")
		ts := &TemplateSection{
			Title:    h.Title,
			Key:      Normalize(h.Title),
			MatchKey: h.MatchKey,
			Level:    h.Level,
			Body:     body,
			Index:    i,
			Variable: bracketed.MatchString(h.Title),
			Optional: optionalMark.MatchString(h.Title) || optionalMark.MatchString(firstLine) || strings.HasPrefix(h.MatchKey, "appendix"),
		}
		if h.Parent != nil {
			ts.Parent = byDoc[h.Parent]
			ts.Parent.Children = append(ts.Parent.Children, ts)
			if ts.Parent.Optional {
				ts.Optional = true
			}
		}
		byDoc[h] = ts
		t.Sections = append(t.Sections, ts)
	}
	return t
}

// Title returns the template's level-1 heading, or nil.
func (t *Template) Title() *TemplateSection {
	for _, s := range t.Sections {
		if s.Level == 1 {
			return s
		}
	}
	return nil
}

// Lookup returns the template section with the normalised title key, or nil.
func (t *Template) Lookup(title string) *TemplateSection {
	k := Normalize(title)
	for _, s := range t.Sections {
		if s.Key == k && s.Level > 1 {
			return s
		}
	}
	return nil
}

// Placeholder matches a bracketed template placeholder such as "[Feature
// Name]": the one pattern the rules, the fixes and the AI output check share.
var Placeholder = lazyregexp.New(`\[[^\[\]\n]{2,80}\]`)

var (
	titlePlaceholder = Placeholder
	titleTemplate    = lazyregexp.New(`(?i)\s*[-–—:]?\s*\btemplate\b\s*[-–—:]?\s*`)
)

// TitleFor returns the title a document following this template gets for
// the feature name: the template's title with its placeholder filled in.
// A template titled "Tech Spec Template" gives "Tech Spec: <name>", never
// the template's own title.
func (t *TemplateSection) TitleFor(name string) string {
	title := t.Title
	if titlePlaceholder.MatchString(title) {
		return titlePlaceholder.ReplaceAllLiteralString(title, name)
	}
	if titleTemplate.MatchString(title) {
		title = strings.TrimSpace(titleTemplate.ReplaceAllString(title, " "))
	}
	if title == "" {
		return name
	}
	return title + ": " + name
}

// SlugName turns a feature slug into a name: "ai-chat" -> "Ai Chat".
func SlugName(slug string) string {
	words := strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return "Feature"
	}
	return strings.Join(words, " ")
}
