package server

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
)

// idleGC runs a collection between keystrokes, after a check's
// diagnostics are published, when the next check would otherwise cross
// the heap goal and collect while the user waits. Each keystroke's check
// allocates about half a megabyte against a live heap of a few: a cycle
// begins in one edit of five to ten, and costs that edit about 2 ms of
// marking (docs/performance.md). Collecting in the idle time a debounced
// editor leaves (keystrokes 50–200 ms apart) moves that cost off the
// path; it does not remove it, and the collections are no more frequent
// than the runtime's own, as one runs only when the goal is one check
// away.
type idleGC struct {
	running atomic.Bool // one idle collection at a time
}

// gcMetrics are the samples idleGC reads: cumulative bytes allocated,
// the heap goal, the heap marked live by the last cycle, and the bytes of
// heap objects (live or not yet swept).
var gcMetrics = [...]string{"/gc/heap/allocs:bytes", "/gc/heap/goal:bytes", "/gc/heap/live:bytes", "/memory/classes/heap/objects:bytes"}

type gcState struct{ allocs, goal, live, heap uint64 }

func readGC() gcState {
	var s [len(gcMetrics)]metrics.Sample
	for i, n := range gcMetrics {
		s[i].Name = n
	}
	metrics.Read(s[:])
	return gcState{s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64(), s[3].Value.Uint64()}
}

// allocated returns the process's cumulative allocated bytes: their
// difference over a check is what after takes.
func (g *idleGC) allocated() uint64 { return readGC().allocs }

// due reports whether a check that allocates check bytes would start a
// cycle: the runtime starts one before the heap reaches the goal, at 70 %
// of the way from the live heap to the goal at the earliest (its trigger
// bound), so that marking ends by the goal.
func (st gcState) due(check uint64) bool {
	if st.goal <= st.live {
		return true
	}
	trigger := st.live + (st.goal-st.live)*7/10
	return st.heap+check >= trigger
}

// after is called once a check that allocated check bytes has published
// and no newer edit waits: it collects now when one more such check would
// start a cycle. It reports whether it collected.
func (g *idleGC) after(check uint64) bool {
	st := readGC()
	if !st.due(check) || !g.running.CompareAndSwap(false, true) {
		return false
	}
	defer g.running.Store(false)
	runtime.GC()
	return true
}
