// Package config reads .specls.yaml, the one configuration file the editor
// server and the command-line checker share.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

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

// Duration is a time.Duration written as "200ms" or a number of milliseconds.
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
	Rules map[string]Severity `yaml:"rules"`
	// Gates switches whole gates off (or lowers them): A..F -> severity cap.
	Gates map[string]Severity `yaml:"gates"`
	// Templates overrides the template files, relative to the workspace root.
	Templates Templates `yaml:"templates"`
	// Options configures rules that take parameters.
	Options Options `yaml:"options"`
	// AI configures the OpenAI-compatible endpoint for generation.
	AI AI `yaml:"ai"`
	// Server holds editor-only settings.
	Server Server `yaml:"server"`
	// Ignore lists glob patterns (relative to the root) of files not to check.
	Ignore []string `yaml:"ignore"`
	// Profile names the rule profile in force: python-microservices (the
	// seed's stack) or generic (template rules only). Unset: the built-in
	// template means python-microservices, a workspace template runs the
	// profile rules it asks for.
	Profile string `yaml:"profile"`
	// Limits bound the size and nesting of the files checked.
	Limits Limits `yaml:"limits"`

	// Path is the file this configuration was read from ("" for defaults).
	Path string `yaml:"-"`
	// AIGrant is what the user grants AI (trust.go); set by ResolveAI's callers.
	AIGrant AIGrant `yaml:"-"`
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
	LibraryMinimums map[string]string `yaml:"library-minimums"`
	// Licenses allowed for libraries.
	Licenses []string `yaml:"licenses"`
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

// Default returns the configuration used when there is no file.
func Default() *Config { return &Config{} }

// Load reads the configuration at the workspace root; a missing file gives
// the defaults. Errors name the file and line.
func Load(root string) (*Config, error) {
	path := filepath.Join(root, FileName)
	src, err := safefile.Read(path, safefile.Options{Root: root, MaxSize: maxConfigSize})
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, src)
}

// lineErr is an error tied to a line of the file.
type lineErr struct {
	line int
	err  error
}

func (e *lineErr) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineErr) Unwrap() error { return e.err }

func lineError(n *yaml.Node, err error) error { return &lineErr{n.Line, err} }

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

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

// Parse reads configuration from src; path is used in messages.
func Parse(path string, src []byte) (*Config, error) {
	c := Default()
	c.Path = path
	if len(bytes.TrimSpace(src)) == 0 {
		return c, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		// io.EOF: a file of comments only, which configures nothing.
		return nil, toError(path, err)
	}
	if err := c.validate(src); err != nil {
		return nil, err
	}
	return c, nil
}

func toError(path string, err error) error {
	var le *lineErr
	if errors.As(err, &le) {
		return &FileError{Path: path, Line: le.line, Msg: le.err.Error()}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		// The first problem is the one to fix first; yaml words it as
		// "line N: field x not found in type config.Config".
		msg := te.Errors[0]
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return &FileError{Path: path, Line: n, Msg: friendly(m[2])}
		}
		return &FileError{Path: path, Msg: friendly(msg)}
	}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FileError{Path: path, Line: n, Msg: m[2]}
	}
	return &FileError{Path: path, Msg: err.Error()}
}

var notFound = regexp.MustCompile(`field (\S+) not found in type (\S+)`)

func friendly(msg string) string {
	if m := notFound.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown key %q", m[1])
	}
	return msg
}

// validate checks values that YAML typing cannot: rule codes and gate names.
// Known rule codes are checked by the diagnostics package (KnownRule), which
// this package cannot import.
func (c *Config) validate(src []byte) error {
	for g := range c.Gates {
		if len(g) != 1 || g[0] < 'A' || g[0] > 'F' {
			return &FileError{Path: c.Path, Line: keyLine(src, g), Msg: fmt.Sprintf("unknown gate %q (want A, B, C, D, E or F)", g)}
		}
	}
	if c.Profile != "" && !slices.Contains(Profiles, c.Profile) {
		return &FileError{Path: c.Path, Line: keyLine(src, "profile"), Msg: fmt.Sprintf("unknown profile %q (want %s)", c.Profile, strings.Join(Profiles, " or "))}
	}
	if c.AI.Provider != "" && c.AI.Provider != "openai" && c.AI.Provider != "azure" {
		return &FileError{Path: c.Path, Line: keyLine(src, "provider"), Msg: fmt.Sprintf("unknown ai provider %q (want openai or azure)", c.AI.Provider)}
	}
	return nil
}

// CheckRules reports the first rule code in c that known does not accept.
func (c *Config) CheckRules(known func(code string) bool) error {
	if c.Path == "" {
		return nil
	}
	src, _ := safefile.Read(c.Path, safefile.Options{MaxSize: maxConfigSize})
	for code := range c.Rules {
		if !known(code) {
			return &FileError{Path: c.Path, Line: keyLine(src, code), Msg: fmt.Sprintf("unknown rule %q (see docs/rules.md for the codes)", code)}
		}
	}
	return nil
}

// keyLine returns the 1-based line where key first appears as a mapping key.
func keyLine(src []byte, key string) int {
	re := regexp.MustCompile(`(?m)^\s*["']?` + regexp.QuoteMeta(key) + `["']?\s*:`)
	if loc := re.FindIndex(src); loc != nil {
		return bytes.Count(src[:loc[0]], []byte("\n")) + 1
	}
	return 0
}
