// Package config reads .specls.yaml, the one configuration file the editor
// server and the command-line checker share.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/internal/safefile"
)

// FileName is the configuration file looked for at the workspace root.
const FileName = ".specls.yaml"

// Severity of a finding. The zero value means "use the rule's default".
type Severity int

const (
	SeverityDefault Severity = iota
	Off
	Hint
	Info
	Warning
	Error
)

var severityNames = map[string]Severity{"off": Off, "hint": Hint, "info": Info, "information": Info, "warning": Warning, "warn": Warning, "error": Error}

func (s Severity) String() string {
	switch s {
	case Off:
		return "off"
	case Hint:
		return "hint"
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "default"
}

// ParseSeverity reads a severity name (off, hint, info, warning, error).
func ParseSeverity(s string) (Severity, error) {
	if v, ok := severityNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return v, nil
	}
	return SeverityDefault, fmt.Errorf("unknown severity %q (want off, hint, info, warning or error)", s)
}

// UnmarshalYAML reads a severity name; "false" means off.
func (s *Severity) UnmarshalYAML(n *yaml.Node) error {
	if n.Tag == "!!bool" && n.Value == "false" {
		*s = Off
		return nil
	}
	v, err := ParseSeverity(n.Value)
	if err != nil {
		return lineError(n, err)
	}
	*s = v
	return nil
}

// MarshalYAML writes the severity's name.
func (s Severity) MarshalYAML() (any, error) { return s.String(), nil }

// Duration is a time.Duration written with its unit, "200ms" or "30s". Editor
// settings (ParseSettings) may also give a bare number of milliseconds.
type Duration struct{ time.Duration }

// UnmarshalYAML reads "200ms", "30s" or a bare number of milliseconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if ms, err := strconv.Atoi(n.Value); err == nil {
		d.Duration = time.Duration(ms) * time.Millisecond
		return nil
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return lineError(n, fmt.Errorf("bad duration %q (write e.g. 200ms or 30s)", n.Value))
	}
	d.Duration = v
	return nil
}

// Config is the content of .specls.yaml. Every field is optional.
type Config struct {
	// Rules sets the severity of a rule by its code: off, hint, info, warning, error.
	Rules map[string]Severity `yaml:"rules" human:"a mapping of rule codes to severities"`
	// Gates switches whole gates off (or lowers them): A..F -> severity cap.
	Gates map[string]Severity `yaml:"gates" human:"a mapping of gates (A to F) to severities"`
	// Templates overrides the template files, relative to the workspace root.
	Templates Templates `yaml:"templates"`
	// Options configures rules that take parameters.
	Options Options `yaml:"options"`
	// AI configures the OpenAI-compatible endpoint for generation.
	AI AI `yaml:"ai"`
	// Server holds editor-only settings.
	Server Server `yaml:"server"`
	// Ignore lists glob patterns (relative to the root) of files not to check.
	Ignore []string `yaml:"ignore" human:"a list of glob patterns"`
	// Profile names the rule profile in force: python-microservices (the
	// seed's stack) or generic (template rules only). Unset: the built-in
	// template means python-microservices, a workspace template runs the
	// profile rules it asks for.
	Profile string `yaml:"profile"`
	// Requirements configures how PRD requirement IDs are recognised.
	Requirements Requirements `yaml:"requirements"`
	// Limits bound the size and nesting of the files checked.
	Limits Limits `yaml:"limits"`
	// Layout says where feature folders live.
	Layout Layout `yaml:"layout"`

	// Path is the file this configuration was read from ("" for defaults).
	Path string `yaml:"-"`
	// AIGrant is what the user grants AI (trust.go); set by ResolveAI's callers.
	AIGrant AIGrant `yaml:"-"`
	// lines holds the line of each key by its dotted path ("rules.x"), for
	// the messages of later checks (CheckRules).
	lines map[string]int
}

// Layout describes the feature folders of a workspace.
type Layout struct {
	// Features are slash-separated glob patterns a feature folder's path
	// ends with, e.g. "tasks/prd-*" or "docs/specs/*"; the part the last
	// "*" stands for is the feature's slug. Empty means the defaults,
	// tasks/prd-* and .compozy/tasks/*.
	Features []string `yaml:"features" human:"a list of folder patterns such as tasks/prd-*"`
}

// Templates names template files.
type Templates struct {
	PRD      string `yaml:"prd"`
	TechSpec string `yaml:"techspec"`
	Tasks    string `yaml:"tasks"`
}

// Options are the parameters of rules; an empty value means the seed's default.
type Options struct {
	// Libraries: minimum versions of the approved core stack (name -> version).
	LibraryMinimums map[string]string `yaml:"library-minimums" human:"a mapping of library names to versions"`
	// Licenses allowed for libraries.
	Licenses []string `yaml:"licenses" human:"a list of licence names"`
	// PythonMinimum is the lowest Python version a spec may target.
	PythonMinimum string `yaml:"python-minimum"`
	// Checklist items the Python Production Checklist must hold.
	Checklist []string `yaml:"checklist"`
	// DecisionTopics are the design questions a tech spec must decide.
	DecisionTopics []string `yaml:"decision-topics"`
	// ImplementationTerms the PRD must not name (added to the defaults).
	ImplementationTerms []string `yaml:"implementation-terms"`
	// TracePrefixes are the requirement ID prefixes a tech spec must cite
	// (requirement-untraced); default FR and NFR.
	TracePrefixes []string `yaml:"trace-prefixes"`
	// ResilienceTerms, ObservabilityTerms: words that count as specifying
	// resilience / observability, added to the defaults.
	ResilienceTerms    []string `yaml:"resilience-terms"`
	ObservabilityTerms []string `yaml:"observability-terms"`
}

// AI configures the LLM endpoint. The API key itself is never stored here:
// APIKeyEnv names the environment variable that holds it.
type AI struct {
	BaseURL    string   `yaml:"base-url"`
	Model      string   `yaml:"model"`
	APIKeyEnv  string   `yaml:"api-key-env"`
	APIVersion string   `yaml:"api-version"` // Azure OpenAI
	Provider   string   `yaml:"provider"`    // openai (default) or azure
	Timeout    Duration `yaml:"timeout"`
	MaxRetries *int     `yaml:"max-retries"`
	Stream     *bool    `yaml:"stream"`
	// Temperature for generation; nil leaves the endpoint's default.
	Temperature *float32 `yaml:"temperature"`
}

// Enabled reports whether an endpoint is configured.
func (a AI) Enabled() bool { return a.BaseURL != "" && a.Model != "" }

// Server holds editor settings.
type Server struct {
	Debounce Duration `yaml:"debounce"`
}

// The profiles .specls.yaml can name.
const (
	ProfilePython  = "python-microservices"
	ProfileGeneric = "generic"
)

// Profiles lists the profile names, for messages.
var Profiles = []string{ProfilePython, ProfileGeneric}

// Requirements configures requirement IDs beyond the built-in schemes
// (FR-1, NFR-2, REQ-12, R1, R2.1, RF1, F1, US-1, ...).
type Requirements struct {
	// IDPatterns adds schemes, written "SEC-N" or "QN": a prefix of one to
	// six capitals, an optional dash, and N for the number (dotted parts
	// allowed, as in SEC-1.2).
	IDPatterns []string `yaml:"id-patterns"`
}

var idPattern = lazyregexp.New(`^([A-Z]{1,6})-?N$`)

// IDPrefixes returns the prefixes of the configured ID patterns.
func (r Requirements) IDPrefixes() []string {
	var out []string
	for _, p := range r.IDPatterns {
		if m := idPattern.FindStringSubmatch(strings.TrimSpace(p)); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// Default returns the configuration used when there is no file.
func Default() *Config { return &Config{} }

// Load reads the configuration at the workspace root; a missing file gives
// the defaults. Errors name the file and line.
func Load(root string) (*Config, error) { return LoadChecked(root, nil) }

// LoadChecked is Load that also checks the rule codes under rules: with
// known, so that an unknown code is reported beside every other problem of
// the file rather than after they are fixed.
func LoadChecked(root string, known func(code string) bool) (*Config, error) {
	path := filepath.Join(root, FileName)
	src, err := safefile.Read(path, safefile.Options{Root: root, MaxSize: maxConfigSize})
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parse(path, src, false, known)
}

// lineErr is an error tied to a line of the file.
type lineErr struct {
	line int
	err  error
}

func (e *lineErr) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineErr) Unwrap() error { return e.err }

func lineError(n *yaml.Node, err error) error { return &lineErr{n.Line, err} }

var yamlLine = lazyregexp.New(`line (\d+): (.*)`)

// FileError is a configuration error at a line of a file.
type FileError struct {
	Path string
	Line int // 1-based; 0 when unknown
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// FileErrors are every problem found in one configuration, in line order;
// the message has one line per problem.
type FileErrors []*FileError

func (es FileErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives the errors.Is/As access to each problem.
func (es FileErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// errorsOf returns nil for no problems, else them sorted by line.
func errorsOf(es []*FileError) error {
	if len(es) == 0 {
		return nil
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
	return FileErrors(es)
}

// Parse reads configuration from src; path is used in messages. Every
// problem is reported, each at its line.
func Parse(path string, src []byte) (*Config, error) { return parse(path, src, false, nil) }

// ParseSettings is Parse for editor settings (JSON), where a duration may
// be a bare number of milliseconds, as editors' number settings are.
func ParseSettings(source string, src []byte) (*Config, error) { return parse(source, src, true, nil) }

// parse reads src; known, when set, checks the rule codes.
func parse(path string, src []byte, settings bool, known func(string) bool) (*Config, error) {
	c := Default()
	c.Path = path
	if len(bytes.TrimSpace(src)) == 0 {
		return c, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, FileErrors{syntaxError(path, src, err)}
	}
	if len(root.Content) == 0 {
		return c, nil // comments only: configures nothing
	}
	ck := &checker{path: path, settings: settings, knownRule: known, lines: map[string]int{}}
	ck.value(root.Content[0], reflect.TypeOf(c).Elem(), "", "")
	if err := errorsOf(ck.errs); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		// The checker above should have caught it; this is the safety net.
		return nil, FileErrors{toError(path, err)}
	}
	c.lines = ck.lines
	if err := errorsOf(c.validate()); err != nil {
		return nil, err
	}
	return c, nil
}

func toError(path string, err error) *FileError {
	var le *lineErr
	if errors.As(err, &le) {
		return &FileError{Path: path, Line: le.line, Msg: le.err.Error()}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		err = errors.New(te.Errors[0])
	}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FileError{Path: path, Line: n, Msg: m[2]}
	}
	return &FileError{Path: path, Msg: err.Error()}
}

// syntaxError words a YAML syntax error for people, at the line to fix.
// The parser names the line where the enclosing block began for some
// errors (a mis-indented key is "did not find expected key" at the line of
// its parent), so the indentation is looked at to find the line itself.
func syntaxError(path string, src []byte, err error) *FileError {
	fe := toError(path, err)
	raw := fe.Msg
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	switch {
	case strings.Contains(fe.Msg, "did not find expected key"), strings.Contains(fe.Msg, "mapping values are not allowed"):
		if n := misindented(lines, fe.Line); n > 0 {
			return &FileError{Path: path, Line: n, Msg: "this line's indentation matches no key above it; indent it like the keys it belongs with (YAML nests by indentation)"}
		}
		if strings.Contains(fe.Msg, "mapping values") {
			fe.Msg = `a "key: value" where only a value can be; check the indentation, or quote a value that holds ": "`
		}
	case strings.Contains(fe.Msg, "found character that cannot start any token"):
		if fe.Line > 0 && fe.Line <= len(lines) && strings.Contains(lines[fe.Line-1], "\t") {
			fe.Msg = "a tab in the indentation; YAML indents with spaces only"
		}
	case strings.Contains(fe.Msg, "could not find expected ':'"):
		fe.Msg = `this is not a "key: value" line (is a colon missing?)`
	}
	if fe.Msg == raw {
		fe.Msg = "YAML syntax: " + strings.TrimPrefix(fe.Msg, "yaml: ")
	}
	return fe
}

// misindented returns the first line from line `from` (1-based) on whose
// indentation is deeper than the line before it allows, or shallower than
// that line but at no level open above it; 0 when there is none.
func misindented(lines []string, from int) int {
	var stack []int // indentation of the open blocks
	opens := false  // the previous line ends with ":", opening a block
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		for len(stack) > 0 && stack[len(stack)-1] > ind {
			stack = stack[:len(stack)-1]
		}
		top := -1
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if ind > top {
			if top >= 0 && !opens && i+1 >= from {
				return i + 1
			}
			stack = append(stack, ind)
		}
		opens = strings.HasSuffix(t, ":")
		if strings.HasPrefix(t, "- ") || t == "-" {
			opens = true // a list item may hold a mapping below it
		}
	}
	return 0
}

// checker compares the YAML tree with the Config type and words each
// mismatch for people: "options.licenses wants a list of licence names,
// got "MIT"", at the value's line.
type checker struct {
	path      string
	settings  bool
	knownRule func(code string) bool // nil: rule codes are checked later (CheckRules)
	errs      []*FileError
	lines     map[string]int
}

var (
	severityType    = reflect.TypeOf(Severity(0))
	durationType    = reflect.TypeOf(Duration{})
	unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
)

const severityList = "off, hint, info, warning or error"

func (ck *checker) fail(n *yaml.Node, format string, args ...any) {
	ck.errs = append(ck.errs, &FileError{Path: ck.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// got describes a value for a message.
func got(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value lines)"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!str" {
		return strconv.Quote(n.Value)
	}
	return n.Value
}

// what describes the type t in words, or uses the field's human tag.
func what(t reflect.Type, human string) string {
	if human != "" {
		return human
	}
	switch t {
	case severityType:
		return "a severity (" + severityList + ")"
	case durationType:
		return "a duration with a unit, such as 200ms or 30s"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return what(t.Elem(), "")
	case reflect.String:
		return "a text value"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping (key: value lines)"
	}
	return "a " + t.String()
}

func join(key, sub string) string {
	if key == "" {
		return sub
	}
	return key + "." + sub
}

// value checks node n against type t; key is its dotted path.
func (ck *checker) value(n *yaml.Node, t reflect.Type, key, human string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value keeps the default
	}
	name := key
	if name == "" {
		name = "the file"
	}
	switch t {
	case severityType:
		if n.Kind != yaml.ScalarNode {
			ck.fail(n, "%s wants a severity (%s), got %s", name, severityList, got(n))
		} else if _, err := ParseSeverity(n.Value); err != nil && !(n.Tag == "!!bool" && n.Value == "false") {
			ck.fail(n, "%s: unknown severity %s (want %s)", name, got(n), severityList)
		}
		return
	case durationType:
		switch {
		case n.Kind != yaml.ScalarNode:
			ck.fail(n, "%s wants %s, got %s", name, what(t, ""), got(n))
		case n.Tag == "!!int" || n.Tag == "!!float":
			if !ck.settings {
				ck.fail(n, "%s wants a duration with a unit, got %s; write %sms or %ss", name, n.Value, n.Value, n.Value)
			}
		default:
			if d, err := time.ParseDuration(n.Value); err != nil || d < 0 {
				ck.fail(n, "%s wants a duration with a unit, such as 200ms or 30s, got %s", name, got(n))
			}
		}
		return
	}
	kind := t.Kind()
	if kind != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		kind = reflect.Invalid // a type that reads itself
	}
	switch kind {
	case reflect.Pointer:
		ck.value(n, t.Elem(), key, human)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			ck.fail(n, "%s wants %s, got %s", name, what(t, human), got(n))
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" || !f.IsExported() {
				continue
			}
			fields[tag] = f
			names = append(names, tag)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				where := ""
				if key != "" {
					where = " under " + key
				}
				ck.fail(k, "unknown key %q%s (known: %s)", k.Value, where, strings.Join(names, ", "))
				continue
			}
			ck.lines[join(key, k.Value)] = k.Line
			ck.value(v, f.Type, join(key, k.Value), f.Tag.Get("human"))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			ck.fail(n, "%s wants %s, got %s", name, what(t, human), got(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				ck.fail(k, "%s has a key that is not a name", name)
				continue
			}
			ck.lines[join(key, k.Value)] = k.Line
			if key == "rules" && ck.knownRule != nil && !ck.knownRule(k.Value) {
				ck.fail(k, "unknown rule %q (see docs/rules.md for the codes)", k.Value)
			}
			ck.value(v, t.Elem(), join(key, k.Value), "")
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			ck.fail(n, "%s wants %s, got %s", name, what(t, human), got(n))
			return
		}
		for i, item := range n.Content {
			ck.value(item, t.Elem(), fmt.Sprintf("%s[%d]", key, i), "")
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			ck.fail(n, "%s wants %s, got %s", name, what(t, human), got(n))
		}
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.Int32, reflect.Float32, reflect.Float64:
		want := map[reflect.Kind][]string{reflect.Bool: {"!!bool"}, reflect.Int: {"!!int"}, reflect.Int64: {"!!int"}, reflect.Int32: {"!!int"},
			reflect.Float32: {"!!int", "!!float"}, reflect.Float64: {"!!int", "!!float"}}[t.Kind()]
		if n.Kind != yaml.ScalarNode || !slices.Contains(want, n.Tag) {
			ck.fail(n, "%s wants %s, got %s", name, what(t, human), got(n))
		}
	default:
		// A type of its own (it reads itself): let it say what is wrong.
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			fe := toError(ck.path, err)
			ck.fail(n, "%s: %s", name, fe.Msg)
		}
	}
}

// validate checks values that YAML typing cannot: gate names, the profile,
// the AI provider and layout patterns. Known rule codes are checked by the diagnostics package
// (CheckRules), which this package cannot import.
func (c *Config) validate() []*FileError {
	var errs []*FileError
	for g := range c.Gates {
		if len(g) != 1 || g[0] < 'A' || g[0] > 'F' {
			errs = append(errs, &FileError{Path: c.Path, Line: c.lines["gates."+g], Msg: fmt.Sprintf("unknown gate %q (want A, B, C, D, E or F)", g)})
		}
	}
	if c.Profile != "" && !slices.Contains(Profiles, c.Profile) {
		errs = append(errs, &FileError{Path: c.Path, Line: c.lines["profile"], Msg: fmt.Sprintf("unknown profile %q (want %s)", c.Profile, strings.Join(Profiles, " or "))})
	}
	for _, p := range c.Requirements.IDPatterns {
		if !idPattern.MatchString(strings.TrimSpace(p)) {
			errs = append(errs, &FileError{Path: c.Path, Line: c.lines["requirements.id-patterns"], Msg: fmt.Sprintf("requirements.id-patterns: %q is not an ID pattern (want a prefix of capitals, an optional dash and N, e.g. \"SEC-N\")", p)})
		}
	}
	if c.AI.Provider != "" && c.AI.Provider != "openai" && c.AI.Provider != "azure" {
		errs = append(errs, &FileError{Path: c.Path, Line: c.lines["ai.provider"], Msg: fmt.Sprintf("unknown ai provider %q (want openai or azure)", c.AI.Provider)})
	}
	for _, p := range c.Layout.Features {
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, &FileError{Path: c.Path, Line: c.lines["layout.features"], Msg: fmt.Sprintf("layout.features: bad pattern %q", p)})
		}
	}
	return errs
}

// CheckRules reports every rule code in c that known does not accept.
func (c *Config) CheckRules(known func(code string) bool) error {
	if c.Path == "" {
		return nil
	}
	var errs []*FileError
	for code := range c.Rules {
		if !known(code) {
			errs = append(errs, &FileError{Path: c.Path, Line: c.lines["rules."+code], Msg: fmt.Sprintf("unknown rule %q (see docs/rules.md for the codes)", code)})
		}
	}
	sort.Slice(errs, func(i, j int) bool {
		return errs[i].Line < errs[j].Line || errs[i].Line == errs[j].Line && errs[i].Msg < errs[j].Msg
	})
	return errorsOf(errs)
}

// keyLine returns the 1-based line where key first appears as a mapping key.
func keyLine(src []byte, key string) int {
	re := regexp.MustCompile(`(?m)^\s*["']?` + regexp.QuoteMeta(key) + `["']?\s*:`)
	if loc := re.FindIndex(src); loc != nil {
		return bytes.Count(src[:loc[0]], []byte("\n")) + 1
	}
	return 0
}
