package assist

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// Link is a span of a document that points at a file.
type Link struct {
	Span   spec.Span
	Target string // absolute path
}

// siblingMention matches a spec file name, possibly at the end of a path.
var siblingMention = lazyregexp.New("[^\\s`'\"()<>\\[\\]|]*_(?:prd|techspec|tasks)\\.md\\b")

// Links returns the links of d to files that exist: markdown links with a
// relative destination, and mentions of spec files ("_prd.md",
// "tasks/prd-x/_techspec.md"), resolved from d's folder or the folders above.
func Links(d *spec.Document, exists func(path string) bool) []Link {
	dir := filepath.Dir(d.Path)
	var out []Link
	covered := func(s spec.Span) bool {
		for _, l := range out {
			if s.Start < l.Span.End && l.Span.Start < s.End {
				return true
			}
		}
		return false
	}
	for _, l := range d.Links {
		dest := l.Dest
		if dest == "" || strings.HasPrefix(dest, "#") || strings.Contains(dest, ":") {
			continue // an anchor, a URL or a mail address
		}
		if i := strings.IndexAny(dest, "#?"); i >= 0 {
			dest = dest[:i]
		}
		if u, err := url.PathUnescape(dest); err == nil {
			dest = u
		}
		p := filepath.Clean(filepath.Join(dir, filepath.FromSlash(dest)))
		if exists(p) {
			out = append(out, Link{Span: l.Span, Target: p})
		}
	}
	for _, m := range siblingMention.FindAllIndex(d.Text, -1) {
		sp := spec.Span{Start: m[0], End: m[1]}
		if covered(sp) || inFence(d, sp.Start) {
			continue
		}
		rel := filepath.FromSlash(string(d.Text[m[0]:m[1]]))
		for up, base := 0, dir; up < 4; up, base = up+1, filepath.Dir(base) {
			p := filepath.Clean(filepath.Join(base, rel))
			if p != filepath.Clean(d.Path) && exists(p) {
				out = append(out, Link{Span: sp, Target: p})
				break
			}
			if !strings.ContainsRune(rel, filepath.Separator) {
				break // a bare name is a sibling
			}
		}
	}
	return out
}

// inFence reports whether off lies in a fenced or indented code block.
func inFence(d *spec.Document, off int) bool {
	for _, c := range d.Code {
		if c.Span.Start <= off && off < c.Span.End {
			return true
		}
	}
	return false
}
