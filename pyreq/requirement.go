package pyreq

import (
	"fmt"
	"strings"
)

// Requirement is a PEP 508 dependency line: a name, optional extras,
// version specifiers or a direct URL, and an optional environment marker.
type Requirement struct {
	Name       string // as written
	NameSpan   Span
	Extras     []string
	Specifiers Specifiers
	// SpecSpan covers the specifiers, from the first operator to the last
	// version (empty, at the end of the name or extras, when there are none).
	SpecSpan Span
	URL      string // "name @ https://..." direct reference
	Marker   string // after ";", trimmed
	Span     Span   // the whole requirement
}

// Key returns the PEP 503 normalised name: lower case, runs of "-", "_"
// and "." folded to "-". "Opentelemetry_API" -> "opentelemetry-api".
func (r *Requirement) Key() string { return NormalizeName(r.Name) }

// NormalizeName folds a project name as PEP 503 does.
func NormalizeName(name string) string {
	var sb strings.Builder
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep && sb.Len() > 0 {
			sb.WriteByte('-')
		}
		sep = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// ParseRequirement reads one requirement line; the whole of s must be the
// requirement (a trailing "# comment" is allowed, as in requirements.txt).
func ParseRequirement(s string) (*Requirement, error) {
	line := s
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	} else if strings.HasPrefix(strings.TrimSpace(line), "#") {
		return nil, &Error{Span: Span{0, len(s)}, Msg: "a comment, not a requirement"}
	}
	r, end, err := scan(line)
	if err != nil {
		return nil, err
	}
	if r == nil {
		lead := leadingSpace(line)
		return nil, &Error{Span: Span{lead, max(lead, len(strings.TrimRight(line, " \t")))}, Msg: "a requirement starts with a project name"}
	}
	if rest := strings.TrimSpace(line[end:]); rest != "" {
		at := end + leadingSpace(line[end:])
		return nil, &Error{Span: Span{at, len(strings.TrimRight(line, " \t"))}, Msg: fmt.Sprintf("unexpected %q after %q", rest, strings.TrimSpace(line[r.Span.Start:end]))}
	}
	return r, nil
}

// ScanRequirement reads the requirement that starts s (after blanks) and
// stops at the first text that cannot continue it, so that prose may follow:
// "fastapi >= 0.110.0 — web framework". It returns nil when s does not
// start with a project name; a malformed specifier is an error.
func ScanRequirement(s string) (*Requirement, error) {
	r, _, err := scan(s)
	return r, err
}

func scan(s string) (*Requirement, int, error) {
	i := leadingSpace(s)
	start := i
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	// A name starts and ends with a letter or digit.
	for i > start && !isAlnumByte(s[i-1]) {
		i--
	}
	if i == start || !isAlnumByte(s[start]) {
		return nil, start, nil
	}
	r := &Requirement{Name: s[start:i], NameSpan: Span{start, i}}
	end := i
	j := i + leadingSpace(s[i:])
	if j < len(s) && s[j] == '[' {
		k := strings.IndexByte(s[j:], ']')
		if k < 0 {
			return nil, j, &Error{Span: Span{j, len(s)}, Msg: "unclosed \"[\" of extras"}
		}
		for _, e := range strings.Split(s[j+1:j+k], ",") {
			e = strings.TrimSpace(e)
			if e == "" {
				continue
			}
			if NormalizeName(e) == "" || strings.IndexFunc(e, func(r rune) bool { return r > 127 || !isNameChar(byte(r)) }) >= 0 {
				return nil, j, &Error{Span: Span{j, j + k + 1}, Msg: fmt.Sprintf("bad extra %q", e)}
			}
			r.Extras = append(r.Extras, e)
		}
		end = j + k + 1
		j = end + leadingSpace(s[end:])
	}
	r.SpecSpan = Span{end, end}
	switch {
	case j < len(s) && s[j] == '@':
		u := j + 1 + leadingSpace(s[j+1:])
		e := u
		for e < len(s) && s[e] != ' ' && s[e] != '\t' && s[e] != ';' {
			e++
		}
		if e == u || !isAlnumByte(s[u]) || !strings.Contains(s[u:e], ":") {
			return nil, j, &Error{Span: Span{j, e}, Msg: "\"@\" needs a URL after it"}
		}
		r.URL = s[u:e]
		r.SpecSpan = Span{j, e}
		end = e
	case j < len(s) && s[j] == '(' && startsOperator(s[j+1:]):
		specs, k, err := scanSpecifiers(s, j+1)
		if err != nil {
			return nil, k, err
		}
		c := k + leadingSpace(s[k:])
		if len(specs) == 0 || c >= len(s) || s[c] != ')' {
			return nil, j, &Error{Span: Span{j, min(len(s), c+1)}, Msg: "unclosed \"(\" around the version constraint"}
		}
		r.Specifiers = specs
		r.SpecSpan = Span{specs[0].Span.Start, specs[len(specs)-1].Span.End}
		end = c + 1
	default:
		specs, k, err := scanSpecifiers(s, end)
		if err != nil {
			return nil, k, err
		}
		if len(specs) > 0 {
			r.Specifiers = specs
			r.SpecSpan = Span{specs[0].Span.Start, specs[len(specs)-1].Span.End}
			end = k
		}
	}
	// Environment marker.
	m := end + leadingSpace(s[end:])
	if m < len(s) && s[m] == ';' {
		r.Marker = strings.TrimSpace(s[m+1:])
		if r.Marker == "" || !(isAlnumByte(r.Marker[0]) || strings.ContainsRune("'\"(", rune(r.Marker[0]))) {
			return nil, m, &Error{Span: Span{m, len(s)}, Msg: "\";\" needs an environment marker after it, e.g. python_version >= \"3.11\""}
		}
		end = len(strings.TrimRight(s, " \t"))
	}
	r.Span = Span{start, end}
	return r, end, nil
}

func isNameChar(c byte) bool {
	return isAlnumByte(c) || c == '-' || c == '_' || c == '.'
}

func isAlnumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// String writes the requirement in pip's form: "uvicorn[standard]>=0.24.0".
func (r *Requirement) String() string {
	var sb strings.Builder
	sb.WriteString(r.Name)
	if len(r.Extras) > 0 {
		sb.WriteString("[" + strings.Join(r.Extras, ",") + "]")
	}
	if r.URL != "" {
		sb.WriteString(" @ " + r.URL)
	}
	sb.WriteString(r.Specifiers.String())
	if r.Marker != "" {
		sb.WriteString("; " + r.Marker)
	}
	return sb.String()
}

// startsOperator reports whether s starts, after blanks, with a comparison
// operator: "(>=1.0)" is a constraint, "(HTTP client)" is prose.
func startsOperator(s string) bool {
	s = strings.TrimLeft(s, " \t")
	return s != "" && strings.ContainsRune("<>=!~", rune(s[0]))
}
