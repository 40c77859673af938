package arch

import (
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// Service is one "### <Service>" heading under "## Service Definitions".
type Service struct {
	Name    string        // the heading text
	Key     string        // ServiceKey(Name): "auth" for "Auth Service"
	Section *spec.Section // the service's section
	// variants are KeyVariants(Name), kept because graph matching asks for
	// them for every node.
	variants []string
}

// Variants returns KeyVariants(s.Name).
func (s *Service) Variants() []string {
	if s.variants == nil {
		s.variants = KeyVariants(s.Name)
	}
	return s.variants
}

// Services returns the services a tech spec defines: the headings one level
// below the "Service Definitions" section, in order, and that section (nil
// when the document has none). Headings that introduce shared material
// ("Overview", "Shared Concerns") are not services.
func Services(d *spec.Document) ([]*Service, *spec.Section) {
	sec := FindSection(d, "service definitions", "services")
	if sec == nil {
		return nil, nil
	}
	var out []*Service
	for _, h := range sec.Children {
		if genericHeading(h.Title) {
			continue
		}
		out = append(out, &Service{Name: h.Title, Key: ServiceKey(h.Title), Section: h, variants: KeyVariants(h.Title)})
	}
	return out, sec
}

// genericHeading reports headings under Service Definitions that are not
// services.
func genericHeading(title string) bool {
	n := spec.Normalize(title)
	if Mentions(n, serviceHeadingWords) {
		return false
	}
	return Mentions(n, sharedHeadingWords)
}

// FindService returns the service a name stands for (SameService), or nil.
func FindService(services []*Service, name string) *Service {
	v := KeyVariants(name)
	for _, s := range services {
		if variantsMeet(v, s.Variants()) {
			return s
		}
	}
	return nil
}

// Dependency is one entry of a service's "Dependencies" line.
type Dependency struct {
	Name      string
	Protocol  string // as the generators spell it; "" when the spec does not say
	Streaming bool   // "gRPC streaming"
}

// depLine matches a "Dependencies: ..." line; group 1 is what follows.
var depLine = lazyregexp.New(`(?i)^[\s>*_-]*dependencies\b[^:\n]*:\s*(.*)$`)

// depHead matches a line or heading that introduces a list of dependencies.
var depHead = lazyregexp.New(`(?i)^[\s>*_#-]*dependencies\b[^:\n]*:?\s*$`)

// IsDependencyLine reports whether a line (markup stripped) states
// dependencies: "Dependencies: Auth (gRPC)".
func IsDependencyLine(line string) bool { return depLine.MatchString(line) }

// Dependencies reads a service section's stated dependencies: the text of
// a "Dependencies: a, b (gRPC)" line, or the items of the list under a
// "Dependencies" item or heading.
func Dependencies(d *spec.Document, s *spec.Section) []Dependency {
	var out []Dependency
	src := d.Text
	items := d.Items
	for i, it := range items {
		if it.Span.Start < s.Span.Start || it.Span.Start >= s.Span.End {
			continue
		}
		text := StripMarkup(it.Text)
		if m := depLine.FindStringSubmatch(text); m != nil && strings.TrimSpace(m[1]) != "" {
			out = append(out, ParseDependencies(m[1])...)
			continue
		}
		if depHead.MatchString(text) {
			for _, sub := range items[i+1:] {
				if sub.Depth <= it.Depth || sub.Span.Start >= s.Span.End {
					break
				}
				if sub.Depth == it.Depth+1 {
					out = append(out, ParseDependencies(StripMarkup(sub.Text))...)
				}
			}
		}
	}
	// A "#### Dependencies" subsection: the top-level items of its text.
	for _, c := range s.Children {
		if !depHead.MatchString(c.Title) {
			continue
		}
		minDepth := -1
		for _, it := range items {
			if it.Span.Start >= c.Own.Start && it.Span.Start < c.Own.End && (minDepth < 0 || it.Depth < minDepth) {
				minDepth = it.Depth
			}
		}
		for _, it := range items {
			if it.Span.Start >= c.Own.Start && it.Span.Start < c.Own.End && it.Depth == minDepth {
				out = append(out, ParseDependencies(StripMarkup(it.Text))...)
			}
		}
	}
	// Paragraph lines: "**Dependencies:** a, b".
	for _, p := range d.Paragraphs {
		if p.Start < s.Own.Start || p.Start >= s.Span.End {
			continue
		}
		for _, line := range strings.Split(p.Text(src), "\n") {
			if m := depLine.FindStringSubmatch(StripMarkup(line)); m != nil && strings.TrimSpace(m[1]) != "" {
				out = append(out, ParseDependencies(m[1])...)
			}
		}
	}
	return out
}

var markup = strings.NewReplacer("**", "", "__", "", "`", "")

// StripMarkup drops emphasis and code markers and the surrounding blanks.
func StripMarkup(s string) string {
	return strings.TrimSpace(markup.Replace(s))
}

var (
	paren     = lazyregexp.New(`\([^)]*\)`)
	noneWord  = lazyregexp.New(`(?i)^(none|n/?a|nothing|-+|—)\.?$`)
	viaPhrase = lazyregexp.New(`(?i)\s+(via|over|using|through)\s+.*$`)
	// bracketed is a template placeholder such as "[Service Name]".
	bracketed = spec.Placeholder
)

// ParseDependencies splits "Auth Service (gRPC), Kafka; Redis" into
// dependencies, keeping commas inside parentheses.
func ParseDependencies(s string) []Dependency {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(0, depth-1)
		case ',', ';':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	var out []Dependency
	for _, p := range parts {
		for _, q := range strings.Split(p, " and ") {
			q = strings.TrimSpace(q)
			if q == "" || noneWord.MatchString(q) {
				continue
			}
			d := Dependency{}
			if m := protocolSpelling.FindString(q); m != "" {
				d.Protocol = SpellProtocol(m)
			}
			d.Streaming = strings.Contains(strings.ToLower(q), "stream") && d.Protocol != "Kafka"
			name := paren.ReplaceAllString(q, "")
			name = viaPhrase.ReplaceAllString(name, "")
			for _, sep := range []string{" — ", " – ", " - ", ": "} {
				if i := strings.Index(name, sep); i > 0 {
					name = name[:i]
				}
			}
			name = strings.Trim(strings.TrimSpace(name), ".*_`")
			if name == "" || bracketed.MatchString(name) {
				continue
			}
			d.Name = name
			out = append(out, d)
		}
	}
	return out
}

// SpellProtocol writes a protocol name as the generators do ("grpc" ->
// "gRPC"); a name it does not know is returned as is.
func SpellProtocol(s string) string {
	if c, ok := protocolSpellings[strings.ToLower(s)]; ok {
		return c
	}
	return s
}

// IsDependencyHead reports whether a line or heading introduces a list of
// dependencies: "Dependencies:", "#### Dependencies".
func IsDependencyHead(line string) bool { return depHead.MatchString(line) }
