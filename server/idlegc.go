package server

import (
	"os"
	"runtime"
	"strconv"
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
//
// It reads the runtime's statistics once per idle moment, not around each
// check: ReadMemStats stops the world for tens of microseconds, which the
// idle moment can spare and a keystroke's check should not pay. A check's
// bytes are taken as the average since the last reading, of the checks
// counted since (checked).
type idleGC struct {
	running atomic.Bool   // one idle collection at a time
	checks  atomic.Uint64 // checks run since the last reading
	allocs  uint64        // cumulative bytes allocated at the last reading; held by running
}

// gcState is what idleGC reads of the runtime: cumulative bytes
// allocated, the heap goal, the heap marked live by the last cycle (an
// upper bound of it, see readGC) and the bytes of heap objects (live or
// not yet swept).
type gcState struct{ allocs, goal, live, heap uint64 }

// readGC reads the runtime's statistics with ReadMemStats rather than
// runtime/metrics, whose package init costs every specls command close to
// a millisecond (docs/performance.md, "Start-up"). MemStats has no live
// heap; the goal is set from it at the end of a cycle, live × (1 + GOGC/100)
// plus a share for stacks and globals, so goal ÷ (1 + GOGC/100) is at
// least the live heap, and so is HeapAlloc, which counts every object the
// last cycle marked until the next one frees it. The smaller of the two is
// the estimate. Being never below the live heap, it puts the trigger due
// computes at or after the runtime's earliest one: idle collections stay
// no more frequent than the runtime's own, and when the estimate is high
// (a heap far under the 4 MB minimum goal) one may come too late, and the
// runtime collects during that check as it would without idleGC.
func readGC() gcState {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	live := m.HeapAlloc
	if pct := gcPercent; pct > 0 {
		live = min(live, m.NextGC*100/(100+uint64(pct)))
	}
	return gcState{m.TotalAlloc, m.NextGC, live, m.HeapAlloc}
}

// gcPercent is GOGC as the runtime reads it at start-up: a number, "off"
// (-1) or, when unset or not a number, 100. specls never changes it.
var gcPercent = parseGOGC(os.Getenv("GOGC"))

func parseGOGC(v string) int {
	if v == "off" {
		return -1
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return 100
}

// checked counts a check: after shares the bytes allocated since its last
// reading among the checks counted.
func (g *idleGC) checked() { g.checks.Add(1) }

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

// after is called once a check has published and no newer edit waits: it
// collects now when one more check like the last ones would start a cycle.
// The first call only takes the reading the next ones measure from. It
// reports whether it collected.
func (g *idleGC) after() bool {
	if !g.running.CompareAndSwap(false, true) {
		return false
	}
	defer g.running.Store(false)
	st := readGC()
	n, since := g.checks.Swap(0), g.allocs
	g.allocs = st.allocs
	if since == 0 || n == 0 || !st.due((st.allocs-since)/n) {
		return false
	}
	runtime.GC()
	return true
}
