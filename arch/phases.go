package arch

import (
	"regexp"
	"strconv"

	"github.com/specls/specls/spec"
)

// Phase is one step of the Deployment Sequencing.
type Phase struct {
	N    int            // the phase number
	Item *spec.ListItem // the "Phase N" item
	Text string         // normalised text of the item and its nested items
	Span spec.Span      // the item's line through its last nested line
}

var phaseRe = regexp.MustCompile(`(?i)^\W*(?:phase|stage|step|wave)\s*(\d+)`)

// DeploymentSection returns the Deployment Sequencing section, or nil.
func DeploymentSection(d *spec.Document) *spec.Section {
	return FindSection(d, "deployment sequencing", "deployment order", "deployment phases", "rollout sequence", "deployment plan", "rollout order")
}

// Phases returns the phases of a tech spec's Deployment Sequencing: list
// items starting "Phase N" (or numbered items) with their nested items.
func Phases(d *spec.Document) []Phase {
	sec := DeploymentSection(d)
	if sec == nil {
		return nil
	}
	var out []Phase
	var cur *Phase
	for _, it := range d.Items {
		if it.Span.Start < sec.Span.Start || it.Span.Start >= sec.Span.End {
			continue
		}
		if it.Depth == 0 {
			n := -1
			if m := phaseRe.FindStringSubmatch(it.Text); m != nil {
				n, _ = strconv.Atoi(m[1])
			} else if it.Ordered {
				n = it.Number
			}
			if n < 0 {
				cur = nil
				continue
			}
			out = append(out, Phase{N: n, Item: it, Text: spec.Normalize(it.Text), Span: it.Span})
			cur = &out[len(out)-1]
			continue
		}
		if cur != nil {
			cur.Text += " " + spec.Normalize(it.Text)
			cur.Span.End = it.Span.End
		}
	}
	return out
}
