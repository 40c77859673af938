package codeactions

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// maxRounds bounds fix-all: each round re-checks the feature and applies the
// safe fixes that do not overlap; most features settle in one or two.
const maxRounds = 12

// maxMoves bounds the moves of one section: moving one section can put
// another out of order, so a move may need doing again, but moves that
// chase each other stop.
const maxMoves = 4

// Applied is one fix that fix-all applied.
type Applied struct {
	Path  string
	Title string
	Codes []string              // the codes of the findings it fixed
	Fixes []diagnostics.Finding // the findings it was applied for
}

// FixResult is the outcome of FixAll. Nothing is written: Files holds the new
// text of every file that changed or was created.
type FixResult struct {
	Files   map[string][]byte
	Created map[string]bool
	// Original holds the text each changed file had before.
	Original map[string][]byte
	Applied  []Applied
	// Remaining are the findings of the fixed feature: diagnostics.Check
	// of Feature.
	Remaining []diagnostics.Finding
	// Feature is the feature as fixed, every changed file parsed from its
	// new text; its files on disk, once written, read back as the same.
	Feature *spec.Feature
	Rounds  int

	firstEdits map[string][]Edit // the edits of round one, per path
	changedIn  map[string]int    // the last round that changed each path
}

// Changed lists the paths of changed or created files, sorted.
func (r *FixResult) Changed() []string {
	out := make([]string, 0, len(r.Files))
	for p := range r.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// FixAll applies every safe fix to the documents of the feature for which
// include returns true (nil: all), in memory, then re-checks and repeats
// until no safe fix applies or maxRounds is reached. A fix whose finding
// survives it is not applied again.
func FixAll(in diagnostics.Input, include func(path string) bool) (*FixResult, error) {
	feat := spec.Feature{}
	if in.Feature != nil {
		feat = *in.Feature
	}
	in.Feature = &feat
	if in.Models == nil {
		// The model each check builds serves the generators that follow it.
		in.Models = diagnostics.Models{}
	}
	res := &FixResult{Files: map[string][]byte{}, Created: map[string]bool{}, Original: map[string][]byte{},
		firstEdits: map[string][]Edit{}, changedIn: map[string]int{}}
	tried := map[string]int{}
	for round := 1; round <= maxRounds; round++ {
		findings := diagnostics.Check(in)
		res.Remaining = findings
		changed := false
		for _, doc := range feat.Docs() {
			if (include != nil && !include(doc.Path)) || doc.Refused != nil {
				continue // a refused file (not text, too large, ...) is never edited
			}
			edits, creates, applied := chooseSafe(in, doc, findings, tried)
			if len(edits) == 0 && len(creates) == 0 {
				continue
			}
			if len(edits) > 0 {
				merged := mergeInserts(edits)
				text, tidied, err := applyTidied(doc.Text, merged)
				if err != nil {
					return nil, fmt.Errorf("fix %s: %w", doc.Path, err)
				}
				if tidied {
					merged = nil // the edits are the line diff
				}
				if _, ok := res.Original[doc.Path]; !ok && !res.Created[doc.Path] {
					res.Original[doc.Path] = doc.Text
				}
				if round == 1 && merged != nil {
					res.firstEdits[doc.Path] = merged
				}
				res.changedIn[doc.Path] = round
				res.Files[doc.Path] = text
				in.Models.Forget(doc)
				feat.Set(spec.Parse(doc.Path, text))
			}
			for _, c := range creates {
				if feat.Doc(spec.KindOf(c.Path)) != nil {
					continue
				}
				res.Files[c.Path] = []byte(c.Content)
				res.Created[c.Path] = true
				res.changedIn[c.Path] = round
				feat.Set(spec.Parse(c.Path, []byte(c.Content)))
			}
			res.Applied = append(res.Applied, applied...)
			changed = true
		}
		if !changed {
			break
		}
		res.Rounds = round
		if round == maxRounds {
			res.Remaining = diagnostics.Check(in)
		}
	}
	res.Feature = &feat
	// Files fixed back to what they were are not changes.
	for p, orig := range res.Original {
		if string(orig) == string(res.Files[p]) {
			delete(res.Files, p)
		}
	}
	return res, nil
}

// findingKey identifies a finding across rounds, where offsets and the
// wording of messages move.
func findingKey(fd diagnostics.Finding) string {
	k := fd.Code + "\x00" + fd.Path + "\x00" + fd.Data.Target + "\x00" + fd.Data.Want
	if fd.Data.Template != nil {
		k += "\x00" + fd.Data.Template.Key
	}
	if fd.Data.Section != nil {
		k += "\x00" + fd.Data.Section.Title
	}
	return k
}

// chooseSafe picks, for each finding of doc, its preferred safe fix, and
// keeps those whose edits neither overlap nor write a section twice.
func chooseSafe(in diagnostics.Input, doc *spec.Document, findings []diagnostics.Finding, tried map[string]int) ([]Edit, []FileCreate, []Applied) {
	f := newFixer(in, doc)
	f.findings, f.hasFindings = findings, true
	var edits []Edit
	var creates []FileCreate
	var applied []Applied
	var fixed [][]int // the findings of each applied fix, by index
	claimed := map[string]bool{}
	byTitle := map[string]int{}
	for k := range findings {
		fd := &findings[k]
		if fd.Path != doc.Path {
			continue
		}
		key := findingKey(*fd)
		if tried[key] > 0 && (fd.Rule() != rules.SectionOrder || tried[key] >= maxMoves) {
			continue // a fix that did not take is not repeated (a move gets a few goes)
		}
		a, ok := f.safeFix(*fd)
		if !ok {
			continue
		}
		if i, ok := byTitle[a.identity()]; ok {
			// The same fix for another finding: applied once.
			applied[i].Codes = appendCode(applied[i].Codes, fd.Code)
			fixed[i] = append(fixed[i], k)
			tried[key]++
			continue
		}
		if clash(edits, a.Edits) || takenAny(claimed, a.claims) {
			continue
		}
		for _, c := range a.claims {
			claimed[c] = true
		}
		tried[key]++
		edits = append(edits, a.Edits...)
		creates = append(creates, a.Creates...)
		byTitle[a.identity()] = len(applied)
		applied = append(applied, Applied{Path: doc.Path, Title: a.Title, Codes: []string{fd.Code}})
		fixed = append(fixed, []int{k})
	}
	// The findings are copied once each, not grown step by step: one fix
	// may answer 50,000 of them.
	for i, ks := range fixed {
		applied[i].Fixes = make([]diagnostics.Finding, len(ks))
		for j, k := range ks {
			applied[i].Fixes[j] = findings[k]
		}
	}
	return edits, creates, applied
}

func appendCode(codes []string, c string) []string {
	for _, x := range codes {
		if x == c {
			return codes
		}
	}
	return append(codes, c)
}

// safeAction returns the preferred safe action, else the first safe one.
func safeAction(as []Action) (Action, bool) {
	for _, a := range as {
		if a.Safe && a.Preferred && a.Command == nil {
			return a, true
		}
	}
	for _, a := range as {
		if a.Safe && a.Command == nil {
			return a, true
		}
	}
	return Action{}, false
}

func clash(have, add []Edit) bool {
	for _, a := range add {
		for _, b := range have {
			if conflict(a, b) {
				return true
			}
		}
	}
	return false
}

func takenAny(taken map[string]bool, claims []string) bool {
	for _, c := range claims {
		if taken[c] {
			return true
		}
	}
	return false
}

// mergeInserts sorts edits and joins insertions at one offset into one
// edit, in their order, so that every client applies them alike.
func mergeInserts(edits []Edit) []Edit {
	es := sortedEdits(edits)
	var out []Edit
	for _, e := range es {
		if n := len(out); n > 0 && e.Span.Len() == 0 && out[n-1].Span.Len() == 0 && out[n-1].Span.Start == e.Span.Start && out[n-1].Path == e.Path {
			out[n-1].NewText = joinBlocks(out[n-1].NewText, e.NewText)
			continue
		}
		out = append(out, e)
	}
	return out
}

// joinBlocks joins two texts inserted at one offset. Each brought the line
// breaks that set it off from the text around the offset; where they meet
// there must be one blank line, no more: leading line breaks of b go when a
// already ends with a blank line.
func joinBlocks(a, b string) string {
	k := trailingBreaks(a)
	for m := leadingBreaks(b); m > max(0, 2-k); m-- {
		if strings.HasPrefix(b, "\r\n") {
			b = b[2:]
		} else {
			b = b[1:]
		}
	}
	return a + b
}

func trailingBreaks(s string) int {
	n := 0
	for strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
		n++
	}
	return n
}

func leadingBreaks(s string) int {
	n := 0
	for {
		switch {
		case strings.HasPrefix(s, "\r\n"):
			s = s[2:]
		case strings.HasPrefix(s, "\n"):
			s = s[1:]
		default:
			return n
		}
		n++
	}
}

// EditsFor returns the edits that turn the original text of path into
// its fixed text: the fixes' own edits when one round made them, else a
// line diff.
func (r *FixResult) EditsFor(path string) []Edit {
	text, ok := r.Files[path]
	if !ok || r.Created[path] {
		return nil
	}
	if es, ok := r.firstEdits[path]; ok && r.changedIn[path] == 1 {
		return es
	}
	var out []Edit
	for _, e := range udiff.Lines(string(r.Original[path]), string(text)) {
		out = append(out, Edit{Path: path, Span: spec.Span{Start: e.Start, End: e.End}, NewText: e.New})
	}
	return out
}

// fixAllAction is the source.fixAll action of a document: every safe fix
// at once, settled by re-checking in memory.
func fixAllAction(in diagnostics.Input, doc *spec.Document, findings []diagnostics.Finding) (Action, bool) {
	has := false
	for _, fd := range findings {
		if fd.Path == doc.Path {
			has = true
			break
		}
	}
	if !has {
		return Action{}, false
	}
	feat := *in.Feature
	feat.Set(doc) // the request's version of the document
	in.Feature = &feat
	res, err := FixAll(in, func(p string) bool { return p == doc.Path })
	if err != nil {
		return Action{}, false
	}
	a := Action{Title: "Fix all safe problems in " + displayName(doc.Path), Kind: KindFixAll, Safe: true}
	a.Edits = res.EditsFor(doc.Path)
	for _, p := range res.Changed() {
		if res.Created[p] {
			a.Creates = append(a.Creates, FileCreate{Path: p, Content: string(res.Files[p])})
		}
	}
	if len(a.Edits) == 0 && len(a.Creates) == 0 {
		return Action{}, false
	}
	left := map[string]bool{}
	for _, fd := range res.Remaining {
		left[findingKey(fd)] = true
	}
	for _, fd := range findings {
		if fd.Path == doc.Path && !left[findingKey(fd)] {
			a.Fixes = append(a.Fixes, fd)
		}
	}
	return a, true
}

func displayName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
