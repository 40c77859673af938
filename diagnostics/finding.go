package diagnostics

import (
	"fmt"
	"strings"

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
	Message  string          `json:"message"`          // the problem, in at most 100 characters
	Advice   string          `json:"advice,omitempty"` // what would make it right`
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

// splitAdvice splits a message "problem; advice" at its first "; " outside
// double quotes: the problem fits an editor's line, the advice goes to
// hover, related information and the CLI's second line.
func splitAdvice(msg string) (problem, advice string) {
	quoted := false
	for i := 0; i+1 < len(msg); i++ {
		switch {
		case msg[i] == '"':
			quoted = !quoted
		case !quoted && msg[i] == ';' && msg[i+1] == ' ' && i > 0:
			return msg[:i], strings.TrimSpace(msg[i+2:])
		}
	}
	return msg, ""
}

// Text is the whole message: the problem and the advice.
func (f Finding) Text() string {
	if f.Advice == "" {
		return f.Message
	}
	return f.Message + "; " + f.Advice
}

// MaxMessage is the longest message, in characters, that fits an editor's
// virtual-text line.
const MaxMessage = 100

// CheckMessage returns what is wrong with a finding's message for a user,
// or "": too long, or advice left in it.
func CheckMessage(f Finding) string {
	if n := len([]rune(f.Message)); n > MaxMessage {
		return fmt.Sprintf("%s: message of %d characters (at most %d): %s", f.Code, n, MaxMessage, f.Message)
	}
	if p, _ := splitAdvice(f.Message); p != f.Message {
		return fmt.Sprintf("%s: advice left in the message: %s", f.Code, f.Message)
	}
	return ""
}

// fit shortens a problem to MaxMessage characters: the longest quoted
// part first ("..." in place of its end), which is the author's text and
// can be any length; a hard cut only when that is not enough.
func fit(msg string) string {
	for len([]rune(msg)) > MaxMessage {
		best, bs, be := 0, -1, -1
		for i := 0; i < len(msg); i++ {
			if msg[i] != '"' {
				continue
			}
			j := strings.IndexByte(msg[i+1:], '"')
			if j < 0 {
				break
			}
			if n := len([]rune(msg[i+1 : i+1+j])); n > best {
				best, bs, be = n, i+1, i+1+j
			}
			i += j + 1
		}
		over := len([]rune(msg)) - MaxMessage
		if best < 8 || best-over < 5 {
			r := []rune(msg)
			return string(r[:MaxMessage-3]) + "..."
		}
		q := []rune(strings.TrimSuffix(msg[bs:be], "..."))
		keep := max(min(len(q), best-over-3), 1)
		msg = msg[:bs] + strings.TrimRight(string(q[:keep]), " ") + "..." + msg[be:]
	}
	return msg
}
