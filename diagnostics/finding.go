package diagnostics

import (
	"github.com/specls/specls/config"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Finding is one problem in one document.
type Finding struct {
	Code     string          `json:"code"`
	Severity config.Severity `json:"-"`
	Gate     string          `json:"gate,omitempty"`
	Path     string          `json:"path"`
	Span     spec.Span       `json:"span"`
	Message  string          `json:"message"`
	Related  []Related       `json:"related,omitempty"`
	Data     Data            `json:"-"`
}

// Related points at another place that explains a finding.
type Related struct {
	Path    string    `json:"path"`
	Span    spec.Span `json:"span"`
	Message string    `json:"message"`
}

// Data carries what a fix for the finding needs. Which fields are set
// depends on the code.
type Data struct {
	// Template is the template section concerned (missing, renamed, ...).
	Template *spec.TemplateSection
	// Section is the document section concerned.
	Section *spec.Section
	// Insert is the byte offset where a missing section belongs.
	Insert int
	// Want is the text a fix writes: a heading, a version, a name.
	Want string
	// Target names what the finding is about: a service, a library, a gate.
	Target string
	// MoveTo is the byte offset a misplaced section belongs at.
	MoveTo int
}

// Rule returns the registry entry of the finding's code (nil for a code
// not in the registry, which Check never reports).
func (f Finding) Rule() *rules.Rule { return rules.Lookup(f.Code) }
