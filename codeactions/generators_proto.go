package codeactions

import (
	"fmt"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// --- Proto definitions -----------------------------------------------------

var protoService = lazyregexp.New(`(?m)^\s*service\s+(\w+)`)

// protoServices returns the services (or the graph's service nodes, when
// none is defined yet) that no proto block declares.
func (f *fixer) protoMissing() []string {
	declared := map[string]bool{}
	for _, c := range f.doc.Code {
		if c.Lang == "proto" || c.Lang == "protobuf" {
			for _, m := range protoService.FindAllStringSubmatch(c.Content.Text(f.doc.Text), -1) {
				declared[nameKey(m[1])] = true
			}
		}
	}
	var names []string
	for _, s := range f.artifacts().services {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		for _, n := range f.undefinedServices() {
			names = append(names, n.Label)
		}
	}
	var out []string
	for _, n := range names {
		if !declared[nameKey(n)] {
			out = append(out, n)
			declared[nameKey(n)] = true
		}
	}
	return out
}

func protoBody(f *fixer, _ *spec.TemplateSection) string {
	names := f.protoMissing()
	if len(names) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("```proto\nsyntax = \"proto3\";\n\npackage " + protoPackage(f.in.Feature.Slug) + ";\n")
	for _, n := range names {
		id := identifier(n)
		if !strings.HasSuffix(id, "Service") {
			id += "Service"
		}
		fmt.Fprintf(&sb, "\n// %s\nservice %s {}\n", oneLine(n), id)
	}
	sb.WriteString("```")
	return sb.String()
}

// protoPackage makes a versioned proto package from a slug: "ai-chat" ->
// "ai_chat.v1".
func protoPackage(slug string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(slug) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			sb.WriteRune(r)
		case sb.Len() > 0 && !strings.HasSuffix(sb.String(), "_"):
			sb.WriteByte('_')
		}
	}
	p := strings.Trim(sb.String(), "_")
	switch {
	case p == "":
		p = "feature"
	case p[0] >= '0' && p[0] <= '9':
		p = "feature_" + p
	}
	return p + ".v1"
}

func fillProto(f *fixer, sec *spec.Section) []Edit {
	return f.fillText(sec, protoBody(f, nil))
}
