package arch

import (
	"strconv"

	"github.com/specls/specls/internal/lazyregexp"
	"github.com/specls/specls/spec"
)

// Phase is one step of the Deployment Sequencing.
type Phase struct {
	N    int            // the phase number
	Item *spec.ListItem // the "Phase N" item
	Text string         // normalised text of the item and its nested items
	Span spec.Span      // the item's line through its last nested line
}

var phaseRe = lazyregexp.New(`(?i)^\W*(?:phase|stage|step|wave)\s*(\d+)`)

// DeploymentSection returns the Deployment Sequencing section, or nil.
func DeploymentSection(d *spec.Document) *spec.Section {
	return FindSection(d, "deployment sequencing", "deployment order", "deployment phases", "rollout sequence", "deployment plan", "rollout order")
}

// Phases returns the deployment phases of a tech spec wherever they are
// written: in its Deployment Sequencing section (list items starting
// "Phase N", or numbered items), else in Development Sequencing, else in a
// list of "Phase N" items anywhere; each with its nested items.
func Phases(d *spec.Document) []Phase {
	if sec := DeploymentSection(d); sec != nil {
		if out := phasesIn(d, sec.Span, true); len(out) > 0 {
			return out
		}
	}
	if sec := FindSection(d, "development sequencing", "implementation sequencing", "build order", "rollout plan"); sec != nil {
		if out := phasesIn(d, sec.Span, false); len(out) > 0 {
			return out
		}
	}
	// Anywhere else only "Phase N" lists count: "Step 1" in a test plan is
	// no deployment phase.
	var out []Phase
	for _, p := range phasesIn(d, spec.Span{End: len(d.Text)}, false) {
		if anywherePhase.MatchString(p.Item.Text) {
			out = append(out, p)
		}
	}
	return out
}

// mayNamePhase reports whether phaseRe may match text: a match holds an
// ASCII digit (\d) and its keyword, which holds "ha", "ag", "ep" or "av"
// (phase, stage, step, wave) in letters whose only case variants are
// ASCII ("s" and "k" also fold from U+017F and U+212A; these do not).
func mayNamePhase(text string) bool {
	digit, pair := false, false
	for i := 0; i < len(text) && !(digit && pair); i++ {
		c := text[i]
		if '0' <= c && c <= '9' {
			digit = true
			continue
		}
		if i+1 < len(text) {
			a, b := c|0x20, text[i+1]|0x20
			pair = pair || a == 'h' && b == 'a' || a == 'a' && (b == 'g' || b == 'v') || a == 'e' && b == 'p'
		}
	}
	return digit && pair
}

var anywherePhase = lazyregexp.New(`(?i)^\W*(?:phase|wave)\s*\d+`)

// phasesIn reads the phases among the list items within span; numbered
// items count as phases only where numbered says so (a deployment section).
func phasesIn(d *spec.Document, sec spec.Span, numbered bool) []Phase {
	var out []Phase
	var cur *Phase
	for _, it := range d.Items {
		if it.Span.Start < sec.Start || it.Span.Start >= sec.End {
			continue
		}
		if it.Depth == 0 {
			n := -1
			var m []string
			if mayNamePhase(it.Text) {
				// Else phaseRe cannot match: the regexp's set-up on every
				// list item of a spec was most of Phases' time.
				m = phaseRe.FindStringSubmatch(it.Text)
			}
			if m != nil {
				n, _ = strconv.Atoi(m[1])
			} else if it.Ordered && numbered {
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
