package diagnostics

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"go.yaml.in/yaml/v3"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// Gate F: the proto and YAML blocks of a tech spec must compile and parse
// (proto-invalid, yaml-invalid).

// hasSyntax finds a proto block's syntax or edition statement.
var hasSyntax = lazyregexp.New(`(?m)^\s*(syntax|edition)\s*=`)

func checkProto(c *Context, a *analysis) {
	if !c.Enabled(rules.ProtoInvalid) {
		return
	}
	d := a.doc
	for _, b := range d.Code {
		if b.Lang != "proto" && b.Lang != "protobuf" && b.Lang != "proto3" {
			continue
		}
		src := d.Slice(b.Content)
		// A block without a syntax line is a proto3 fragment as specs write
		// them; prefix one on the same line so that offsets only shift.
		prefix := ""
		if !hasSyntax.MatchString(src) {
			prefix = `syntax = "proto3"; `
		}
		for _, e := range protoErrors(prefix + src) {
			s, en := e.start-len(prefix), e.end-len(prefix)
			if s < 0 {
				s, en = 0, 0
			}
			span := tokenSpan(d.Text, spec.Span{Start: b.Content.Start + s, End: b.Content.Start + en}, b.Content.End)
			c.Report(rules.ProtoInvalid, d, span, Data{Target: e.msg}, "the proto block does not compile: %s", e.msg)
		}
	}
}

type protoError struct {
	start, end int
	msg        string
}

func compileProto(src string) []protoError {
	var out []protoError
	h := reporter.NewHandler(reporter.NewReporter(func(e reporter.ErrorWithPos) error {
		if len(out) < 5 {
			msg := e.Error()
			if u := errors.Unwrap(e); u != nil {
				msg = u.Error()
			}
			end := e.End().Offset + 1 // inclusive in protocompile
			if e.End().Offset <= e.Start().Offset {
				end = e.Start().Offset
			}
			out = append(out, protoError{e.Start().Offset, end, msg})
		}
		return nil
	}, func(reporter.ErrorWithPos) {}))
	ast, err := parser.Parse("spec.proto", strings.NewReader(src), h)
	if err == nil && ast != nil {
		_, _ = parser.ResultFromAST(ast, true, h)
	}
	return out
}

// tokenSpan widens an empty span to the token at its start (a word or one
// character), within limit.
func tokenSpan(src []byte, s spec.Span, limit int) spec.Span {
	if s.End > s.Start {
		return spec.Span{Start: s.Start, End: min(s.End, limit)}
	}
	i := s.Start
	for i < limit && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	if i >= limit {
		return trimmedLine(src, max(s.Start-1, 0))
	}
	e := i
	for e < limit && (isWordByte(src[e]) || src[e] >= 'A' && src[e] <= 'Z' || src[e] == '.') {
		e++
	}
	if e == i {
		e = i + 1
	}
	return spec.Span{Start: i, End: e}
}

var yamlLineRe = lazyregexp.New(`^yaml: line (\d+): `)

func checkYAML(c *Context, a *analysis) {
	if !c.Enabled(rules.YAMLInvalid) {
		return
	}
	d := a.doc
	for _, b := range d.Code {
		if b.Lang != "yaml" && b.Lang != "yml" {
			continue
		}
		src := d.Slice(b.Content)
		if strings.Contains(src, "{{") {
			continue // a Helm or Jinja template, not YAML until rendered
		}
		msg, line := yamlErrorOf(src)
		if msg == "" {
			continue
		}
		span := trimmedLine(d.Text, b.Span.Start)
		if off, ok := lineStart(src, line); ok {
			if sp := trimmedLine(d.Text, b.Content.Start+off); sp.Start < sp.End {
				span = sp
			}
		}
		c.Report(rules.YAMLInvalid, d, span, Data{Target: msg}, "the YAML block does not parse: %s", msg)
	}
}

// yamlError parses every document of src and returns the first error's
// message and its 1-based line (0 when unknown). yaml.v3 names the line
// where the enclosing mapping starts; the offending line is the last line
// of the shortest prefix that fails the same way, as YAML is read line by
// line (blocks of at most 400 lines are searched).
func yamlError(src string) (string, int) {
	msg, line := yamlDecode(src)
	if msg == "" {
		return "", 0
	}
	if n := strings.Count(src, "\n"); n <= 400 {
		off := 0
		for k := 1; k <= n+1; k++ {
			i := strings.IndexByte(src[off:], '\n')
			end := len(src)
			if i >= 0 {
				end = off + i + 1
			}
			if m, _ := yamlDecode(src[:end]); m == msg {
				return msg, k
			}
			if i < 0 {
				break
			}
			off = end
		}
	}
	return msg, line
}

func yamlDecode(src string) (string, int) {
	dec := yaml.NewDecoder(strings.NewReader(src))
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return "", 0
		}
		if err == nil {
			continue
		}
		msg := err.Error()
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			return strings.TrimPrefix(msg, m[0]), n
		}
		return strings.TrimPrefix(msg, "yaml: "), 0
	}
}

// lineStart returns the offset of 1-based line n of src.
func lineStart(src string, n int) (int, bool) {
	if n < 1 {
		return 0, false
	}
	off := 0
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src[off:], '\n')
		if j < 0 {
			return 0, false
		}
		off += j + 1
	}
	return off, off <= len(src)
}
