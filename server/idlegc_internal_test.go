package server

import (
	"runtime"
	"testing"
)

func TestIdleGCDue(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name  string
		st    gcState
		check uint64
		want  bool
	}{
		{"far from the trigger", gcState{goal: 8 * mb, live: 4 * mb, heap: 5 * mb}, mb / 2, false},
		{"one check reaches the earliest trigger", gcState{goal: 8 * mb, live: 4 * mb, heap: 6 * mb}, mb, true},
		{"just short of it", gcState{goal: 10 * mb, live: 0, heap: 6 * mb}, mb - 1, false},
		{"at it", gcState{goal: 10 * mb, live: 0, heap: 6 * mb}, mb, true},
		{"past the goal", gcState{goal: 8 * mb, live: 4 * mb, heap: 9 * mb}, 0, true},
		{"a goal not above the live heap", gcState{goal: 4 * mb, live: 4 * mb, heap: 4 * mb}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.st.due(tt.check); got != tt.want {
				t.Errorf("due(%d) of %+v = %v, want %v", tt.check, tt.st, got, tt.want)
			}
		})
	}
}

// after collects when one more check like the last would start a cycle,
// and not when the heap was just collected and the check allocated
// nothing.
func TestIdleGCAfter(t *testing.T) {
	var g idleGC
	cycles := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	st := readGC()
	n := cycles()
	// A check that allocated the whole goal: the next one would cross it.
	if !g.after(st.goal) || cycles() == n {
		t.Fatalf("after a check of %d bytes (the goal): no collection", st.goal)
	}
	runtime.GC()
	n = cycles()
	if g.after(0) {
		t.Fatalf("after a check of 0 bytes on a heap just collected: a collection (%+v)", readGC())
	}
	if cycles() != n {
		t.Fatal("a collection ran though after reported none")
	}
}
