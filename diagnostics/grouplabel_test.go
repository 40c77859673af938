package diagnostics

import (
	"testing"

	"github.com/specls/specls/spec"
)

// groupLabel: a top-level bullet that is only a short bold label, with
// numbered items nested under it, groups requirements and is not one.
func TestGroupLabel(t *testing.T) {
	nested := "\n  1. Held slots are shown as taken.\n"
	tests := []struct {
		name, text string
		want       bool
	}{
		{"bold label over numbered items", "- **Slot handling**" + nested, true},
		{"with a colon inside", "- **Slot handling:**" + nested, true},
		{"with a colon after", "- **Slot handling**:" + nested, true},
		{"underscores", "* __Slot handling__" + nested, true},
		{"over plain bullets", "- **Slot handling**\n  - Held slots are shown as taken.\n", false},
		{"no nested items", "- **Slot handling**\n", false},
		{"label then text", "- **Slot handling**: held slots are shown as taken." + nested, false},
		{"a sentence in bold", "- **Patients book a slot online.**" + nested, false},
		{"a long bold line", "- **Patients book and reschedule a slot from any device**" + nested, false},
		{"not bold", "- Slot handling" + nested, false},
		{"unclosed bold", "- **Slot handling" + nested, false},
		{"numbered items after the next top-level one", "- **Slot handling**\n- Other\n  1. Held slots.\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := spec.Parse("_prd.md", []byte("# PRD\n\n## Core Features\n\n"+tt.text))
			if len(d.Items) == 0 {
				t.Fatal("no list items")
			}
			if got := groupLabel(d, 0, map[int]bool{}); got != tt.want {
				t.Errorf("groupLabel(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
