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
// and not when the heap was just collected and the checks allocated
// nothing; its first call only takes a reading.
func TestIdleGCAfter(t *testing.T) {
	var g idleGC
	cycles := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	g.checked()
	n := cycles()
	if g.after() || cycles() != n {
		t.Fatal("the first call collected: it has no reading to measure a check from")
	}
	// A check that allocated the whole goal: the next one would cross it.
	goal := readGC().goal
	g.checked()
	sink = make([]byte, goal)
	sink = nil
	n = cycles()
	if !g.after() || cycles() == n {
		t.Fatalf("after a check of %d bytes (the goal): no collection", goal)
	}
	runtime.GC()
	n = cycles()
	g.checked()
	g.checked()
	if g.after() {
		t.Fatalf("after two checks of nearly 0 bytes on a heap just collected: a collection (%+v)", readGC())
	}
	if cycles() != n {
		t.Fatal("a collection ran though after reported none")
	}
	// No check since the last reading: nothing to measure, no collection.
	if g.after() {
		t.Fatal("a collection with no check counted")
	}
}

var sink []byte

func TestParseGOGC(t *testing.T) {
	for v, want := range map[string]int{"": 100, "100": 100, "50": 50, "400": 400, "off": -1, "0": 0, "junk": 100} {
		if got := parseGOGC(v); got != want {
			t.Errorf("parseGOGC(%q) = %d, want %d", v, got, want)
		}
	}
}

// readGC's live heap is an estimate from MemStats: it must never fall
// below what the last cycle marked, or due would collect before the
// runtime's earliest trigger. Right after runtime.GC the heap holds little
// beyond what was marked, so HeapAlloc is close to the live heap, and the
// estimate must be at most the heap and at most the goal.
func TestReadGCEstimate(t *testing.T) {
	keep := make([][]byte, 0, 64)
	for range 64 {
		keep = append(keep, make([]byte, 64<<10)) // 4 MB held across the cycle
	}
	runtime.GC()
	st := readGC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if st.live > st.heap || st.live > st.goal {
		t.Fatalf("live %d above the heap %d or the goal %d", st.live, st.heap, st.goal)
	}
	if st.live < 4<<20 {
		t.Fatalf("live %d under the 4 MB this test holds", st.live)
	}
	if st.allocs == 0 || st.goal != ms.NextGC {
		t.Fatalf("readGC %+v against MemStats goal %d", st, ms.NextGC)
	}
	runtime.KeepAlive(keep)
}
