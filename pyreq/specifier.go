package pyreq

import (
	"fmt"
	"strings"
)

// Span is a half-open byte range [Start, End) into the parsed text.
type Span struct{ Start, End int }

// Specifier is one version clause: ">= 0.104.0", "~=2.5", "==1.4.*".
type Specifier struct {
	Op       string // "~=", "==", "!=", "<=", ">=", "<", ">", "==="
	Version  Version
	Raw      string // the version as written (after the operator, trimmed)
	Wildcard bool   // "==1.4.*" or "!=1.4.*"
	Span     Span   // operator through version
}

// Specifiers is a comma-separated list; a version must satisfy all of them.
type Specifiers []Specifier

// operators, longest first so that "===" wins over "==".
var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseSpecifiers reads a comma-separated specifier list such as
// ">=0.104.0, <1". Offsets in the result index s.
func ParseSpecifiers(s string) (Specifiers, error) {
	specs, end, err := scanSpecifiers(s, 0)
	if err != nil {
		return nil, err
	}
	if len(specs) == 0 {
		return nil, &Error{Span: Span{0, len(s)}, Msg: "no version constraint"}
	}
	if strings.TrimSpace(s[end:]) != "" {
		return nil, &Error{Span: Span{end + leadingSpace(s[end:]), len(strings.TrimRight(s, " \t"))}, Msg: fmt.Sprintf("unexpected %q after the version constraint", strings.TrimSpace(s[end:]))}
	}
	return specs, nil
}

// Error is a parse error at a byte span of the input.
type Error struct {
	Span Span
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func leadingSpace(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t"))
}

// scanSpecifiers reads specifiers starting at off and stops before the
// first text that is not part of one; it returns where it stopped.
func scanSpecifiers(s string, off int) (Specifiers, int, error) {
	var out Specifiers
	i := off
	for {
		j := i + leadingSpace(s[i:])
		op := ""
		for _, o := range operators {
			if strings.HasPrefix(s[j:], o) {
				op = o
				break
			}
		}
		if op == "" {
			if len(out) > 0 {
				// The comma does not continue the list ("fastapi>=1, pydantic"):
				// stop before it and let the caller judge what follows.
				return out, i - 1, nil
			}
			return out, i, nil
		}
		k := j + len(op)
		k += leadingSpace(s[k:])
		e := k
		for e < len(s) && isVersionChar(s[e]) {
			e++
		}
		raw := s[k:e]
		if raw == "" {
			return nil, j, &Error{Span: Span{j, k}, Msg: fmt.Sprintf("%q needs a version after it", op)}
		}
		sp := Specifier{Op: op, Raw: raw, Span: Span{j, e}}
		ver := raw
		if strings.HasSuffix(raw, ".*") && (op == "==" || op == "!=") {
			sp.Wildcard = true
			ver = strings.TrimSuffix(raw, ".*")
		}
		if op == "===" {
			// Arbitrary equality compares strings; parse when it can be.
			if v, err := ParseVersion(ver); err == nil {
				sp.Version = v
			}
		} else {
			v, err := ParseVersion(ver)
			if err != nil {
				return nil, k, &Error{Span: Span{k, e}, Msg: fmt.Sprintf("%q is not a PEP 440 version", raw)}
			}
			if op == "~=" && len(v.Release) < 2 {
				return nil, k, &Error{Span: Span{k, e}, Msg: fmt.Sprintf("\"~=%s\" needs at least two release numbers (e.g. ~=%s.0)", raw, raw)}
			}
			if (sp.Wildcard || op == "~=" || op == "<" || op == ">" || op == "<=" || op == ">=") && len(v.Local) > 0 {
				return nil, k, &Error{Span: Span{k, e}, Msg: fmt.Sprintf("a local version (%q) is only allowed with == and !=", raw)}
			}
			sp.Version = v
		}
		out = append(out, sp)
		i = e
		c := i + leadingSpace(s[i:])
		if c < len(s) && s[c] == ',' {
			i = c + 1
			continue
		}
		return out, i, nil
	}
}

func isVersionChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '*' || c == '+' || c == '!' || c == '-' || c == '_'
}

// String writes the specifier as "op version".
func (s Specifier) String() string { return s.Op + s.Raw }

// String writes the list as pip does: ">=1.0,<2".
func (ss Specifiers) String() string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}

// Contains reports whether v satisfies the specifier. Pre-releases are
// matched only when prereleases is true (pip's default is to allow them
// only when a specifier names one).
func (s Specifier) Contains(v Version, prereleases bool) bool {
	if v.IsPrerelease() && !prereleases {
		return false
	}
	sv := s.Version
	switch s.Op {
	case "===":
		return strings.EqualFold(v.String(), s.Raw) || strings.EqualFold(v.String(), sv.String())
	case "==":
		if s.Wildcard {
			return prefixMatch(v, sv)
		}
		if len(sv.Local) == 0 {
			v = v.Public()
		}
		return v.Compare(sv) == 0
	case "!=":
		if s.Wildcard {
			return !prefixMatch(v, sv)
		}
		if len(sv.Local) == 0 {
			v = v.Public()
		}
		return v.Compare(sv) != 0
	case "~=":
		// ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
		if v.Public().Compare(sv) < 0 {
			return false
		}
		prefix := Version{Epoch: sv.Epoch, Release: sv.Release[:len(sv.Release)-1], Post: -1, Dev: -1}
		return prefixMatch(v, prefix)
	case ">=":
		return v.Public().Compare(sv) >= 0
	case "<=":
		return v.Public().Compare(sv) <= 0
	case ">":
		if v.Public().Compare(sv) <= 0 {
			return false
		}
		// >V excludes post-releases of V unless V is itself one.
		if sv.Post < 0 && v.Post >= 0 && v.Base().Compare(sv.Base()) == 0 && v.Pre == nil && sv.Pre == nil {
			return false
		}
		return true
	case "<":
		if v.Public().Compare(sv) >= 0 {
			return false
		}
		// <V excludes pre-releases of V unless V is itself one.
		if !sv.IsPrerelease() && v.IsPrerelease() && v.Base().Compare(sv.Base()) == 0 {
			return false
		}
		return true
	}
	return false
}

// prefixMatch reports whether v's release starts with p's (zero-padded),
// for "==X.Y.*".
func prefixMatch(v, p Version) bool {
	if v.Epoch != p.Epoch {
		return false
	}
	for i, n := range p.Release {
		x := 0
		if i < len(v.Release) {
			x = v.Release[i]
		}
		if x != n {
			return false
		}
	}
	return true
}

// Contains reports whether v satisfies every specifier. Pre-releases match
// when prereleases is true or a specifier names a pre-release.
func (ss Specifiers) Contains(v Version, prereleases bool) bool {
	if !prereleases {
		for _, s := range ss {
			if s.Version.IsPrerelease() && s.Op != "!=" {
				prereleases = true
			}
		}
	}
	for _, s := range ss {
		if !s.Contains(v, prereleases) {
			return false
		}
	}
	return true
}

// Bound is one end of the range a specifier list allows.
type Bound struct {
	Version   Version
	Inclusive bool
	// Spec is the specifier that sets the bound.
	Spec *Specifier
}

// LowerBound returns the greatest lower bound the list sets, or nil when
// it sets none (only "<", "<=", "!=" clauses): then any old version is
// allowed.
func (ss Specifiers) LowerBound() *Bound {
	var best *Bound
	for i := range ss {
		s := &ss[i]
		var b *Bound
		switch s.Op {
		case ">=", "~=":
			b = &Bound{s.Version, true, s}
		case ">":
			b = &Bound{s.Version, false, s}
		case "==", "===":
			if s.Op == "===" && len(s.Version.Release) == 0 {
				continue
			}
			v := s.Version
			if s.Wildcard {
				// Pre-releases aside (pip skips them unless asked), the
				// lowest version "==X.Y.*" admits is X.Y.
				v = v.Base()
			}
			b = &Bound{v, true, s}
		default:
			continue
		}
		if best == nil || b.Version.Compare(best.Version) > 0 || b.Version.Compare(best.Version) == 0 && !b.Inclusive {
			best = b
		}
	}
	return best
}

// AllowsBelow reports whether the list admits a version older than min: it
// has no lower bound, or its lower bound lies under min. The returned
// specifier (nil when there is no lower bound) is the clause to raise.
func (ss Specifiers) AllowsBelow(min Version) (bool, *Specifier) {
	b := ss.LowerBound()
	if b == nil {
		return true, nil
	}
	c := b.Version.Compare(min)
	if c < 0 {
		return true, b.Spec
	}
	return false, nil
}
