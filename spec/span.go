// Package spec holds the document model of spec files (_prd.md, _techspec.md,
// _tasks.md): sections, tables, code blocks, task items, links and
// requirement IDs, each with exact byte spans into the source text. It also
// holds templates, feature folders, the workspace index and the mapping
// between byte offsets and LSP positions.
package spec

import "fmt"

// Span is a half-open byte range [Start, End) into a document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Contains reports whether off lies inside the span (End inclusive, so that
// a cursor at the end of a word still counts as on it).
func (s Span) Contains(off int) bool { return off >= s.Start && off <= s.End }

// Text returns the bytes the span covers, clamped to src.
func (s Span) Text(src []byte) string {
	a, b := max(0, s.Start), min(len(src), s.End)
	if a >= b {
		return ""
	}
	return string(src[a:b])
}

func (s Span) String() string { return fmt.Sprintf("[%d,%d)", s.Start, s.End) }
