package spec

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"

	"github.com/specls/specls/internal/gfm"
)

// DumpDocument writes every exported field of d, recursively: sections in
// full in Headings, by their spans wherever else they are referred to.
// Two documents are the same model exactly when their dumps are equal.
func DumpDocument(d *Document) string {
	var sb strings.Builder
	dumpValue(&sb, reflect.ValueOf(d).Elem(), "", true)
	return sb.String()
}

var sectionType = reflect.TypeFor[*Section]()

func dumpValue(sb *strings.Builder, v reflect.Value, indent string, full bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			sb.WriteString("nil")
			return
		}
		if v.Type() == sectionType && !full {
			s := v.Interface().(*Section)
			fmt.Fprintf(sb, "§%v", s.Span)
			return
		}
		dumpValue(sb, v.Elem(), indent, false)
	case reflect.Struct:
		sb.WriteString("{\n")
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			fmt.Fprintf(sb, "%s  %s: ", indent, f.Name)
			// The sections of Headings are written in full, once.
			dumpValue(sb, v.Field(i), indent+"  ", v.Type() == reflect.TypeFor[Document]() && f.Name == "Headings")
			sb.WriteString("\n")
		}
		sb.WriteString(indent + "}")
	case reflect.Slice:
		if v.IsNil() {
			sb.WriteString("nil")
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			fmt.Fprintf(sb, "%q", v.Bytes())
			return
		}
		sb.WriteString("[\n")
		for i := range v.Len() {
			sb.WriteString(indent + "  ")
			dumpValue(sb, v.Index(i), indent+"  ", full)
			sb.WriteString("\n")
		}
		sb.WriteString(indent + "]")
	case reflect.Map, reflect.Interface:
		fmt.Fprintf(sb, "%#v", v.Interface()) // fmt sorts map keys
	default:
		fmt.Fprintf(sb, "%#v", v.Interface())
	}
}

// ChunkModels returns the chunk models d was assembled from, in order.
func ChunkModels(d *Document) []*Document {
	var out []*Document
	for _, c := range d.chunks {
		out = append(out, c.m)
	}
	return out
}

// SameDocument reports whether a and b hold the same model: every field
// but the caches of the text (mapper, chunks) deeply equal, sections
// compared as a graph.
func SameDocument(a, b *Document) bool {
	x, y := *a, *b
	x.mapper, y.mapper = nil, nil
	x.chunks, y.chunks = nil, nil
	return reflect.DeepEqual(&x, &y)
}

// ParseInline is Parse with goldmark's inline parse of every table cell
// and paragraph: no raw rows or paragraphs (gfm.NewParser instead of
// gfm.NewSpecParser), and no pieces.
func ParseInline(path string, src []byte) *Document {
	d := newDocument(path, src)
	parseBlocksWith(inlineMarkdown(), d, src, -1)
	d.finish()
	return d
}

var inlineMarkdown = sync.OnceValue(func() parser.Parser {
	return gfm.NewParser(parser.WithAttribute())
})

// ParseWhole is Parse without pieces: one goldmark parse of the text.
func ParseWhole(path string, src []byte) *Document {
	d := newDocument(path, src)
	parseBlocks(d, src, -1)
	d.finish()
	return d
}

// ParseSplit is Parse in pieces of at least size bytes on workers
// goroutines, whatever the text's size; split says whether it was cut
// (else it was parsed whole, as Parse falls back to).
func ParseSplit(path string, src []byte, size, workers int) (d *Document, split bool) {
	d = newDocument(path, src)
	if parseSplit(d, size, workers) {
		return d, true
	}
	return ParseWhole(path, src), false
}

// FindIDs is findIDs with the default prefixes, for BenchmarkFindIDs.
func FindIDs(src []byte) int {
	spans, _ := findIDs(src, reqPrefixes)
	return len(spans)
}
