package codeactions

import (
	"strings"

	"github.com/specls/specls/arch"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/rules"
	"github.com/specls/specls/spec"
)

// --- Python production checklist -------------------------------------------

// checklistItems returns the checklist the rules check: the configured
// one, else the seed's.
func (f *fixer) checklistItems() []string {
	if f.in.Config != nil && len(f.in.Config.Options.Checklist) > 0 {
		return f.in.Config.Options.Checklist
	}
	return arch.DefaultChecklist
}

func checklistBody(f *fixer, _ *spec.TemplateSection) string {
	items := f.checklistItems()
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = "- [ ] " + it
	}
	return strings.Join(lines, "\n")
}

// fillChecklist adds the items the checklist-incomplete rule finds
// missing (it matches items loosely, so that a reworded item counts),
// after the section's last item, or as the section's list.
func fillChecklist(f *fixer, sec *spec.Section) []Edit {
	var tasks []*spec.TaskItem
	have := map[string]bool{}
	for _, t := range f.doc.Tasks {
		if t.Span.Start >= sec.Span.Start && t.Span.Start < sec.Span.End {
			tasks = append(tasks, t)
			have[spec.Normalize(t.Text)] = true
		}
	}
	var missing []string
	if fs := f.findingsOf(rules.ChecklistIncomplete); len(fs) > 0 || diagnostics.Enabled(f.in, rules.ChecklistIncomplete) {
		for _, fd := range fs {
			if strings.HasPrefix(fd.Data.Want, "- [ ]") && fd.Data.Target != "" {
				missing = append(missing, fd.Data.Target)
			}
		}
	} else {
		for _, it := range f.checklistItems() {
			if !have[spec.Normalize(it)] {
				missing = append(missing, it)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if len(tasks) == 0 {
		lines := make([]string, len(missing))
		for i, it := range missing {
			lines[i] = "- [ ] " + it
		}
		return f.fillText(sec, strings.Join(lines, "\n"))
	}
	last := tasks[len(tasks)-1]
	line := last.Span.Text(f.doc.Text)
	marker := line[:strings.Index(line, "[")] // "- " with its indentation
	lines := make([]string, len(missing))
	for i, it := range missing {
		lines[i] = marker + "[ ] " + it
	}
	return []Edit{f.t.insertLinesAfter(f.doc.Path, f.listEnd(last.Span.End, sec.Span.End), lines)}
}

// listEnd returns the end of the list item whose first line ends at off:
// the end of its last continuation line (indented, not blank), before limit
// (the end of its section: a heading nested in the item ends it too).
func (f *fixer) listEnd(off, limit int) int {
	end := f.t.lineEnd(off)
	for next := f.t.nextLine(end); next < min(len(f.t.src), limit); next = f.t.nextLine(next) {
		le := f.t.lineEnd(next)
		l := f.t.src[next:le]
		if len(strings.TrimSpace(string(l))) == 0 || (l[0] != ' ' && l[0] != '\t') {
			break
		}
		end = le
	}
	return end
}

// insertLinesAfter inserts whole lines after the line that ends at
// lineEnd (before its line break).
func (t text) insertLinesAfter(path string, lineEnd int, lines []string) Edit {
	return t.insertJoinedAfter(path, lineEnd, strings.Join(lines, t.nl))
}

// insertJoinedAfter is insertLinesAfter with the lines already joined by
// the document's line break.
func (t text) insertJoinedAfter(path string, lineEnd int, joined string) Edit {
	if lineEnd == len(t.src) {
		return Edit{Path: path, Span: spec.Span{Start: lineEnd, End: lineEnd}, NewText: t.nl + joined}
	}
	at := t.nextLine(lineEnd)
	if at == len(t.src) && !t.endsWithNewline() {
		return Edit{Path: path, Span: spec.Span{Start: at, End: at}, NewText: t.nl + joined}
	}
	return Edit{Path: path, Span: spec.Span{Start: at, End: at}, NewText: joined + t.nl}
}
