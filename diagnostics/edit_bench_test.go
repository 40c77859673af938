package diagnostics

import (
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/specls/specls/config"
	"github.com/specls/specls/internal/corpus"
	"github.com/specls/specls/spec"
)

// BenchmarkCheckEdit is the check a language server runs on each
// keystroke, without the re-parse: the feature prd-bench-<lines> of the
// corpus with a memo, one more character typed in the middle of the tech
// spec each time (so that the edited section is new every time, as when
// typing, not one of two versions seen before). It reports p50 and p99.
func BenchmarkCheckEdit(b *testing.B) {
	for _, lines := range []int{2000, 10000} {
		b.Run(strconv.Itoa(lines), func(b *testing.B) {
			f := corpus.Bench(lines, corpus.Options{Seed: 1})
			dir := "tasks/prd-" + f.Slug
			prd := spec.Parse(dir+"/_prd.md", []byte(f.PRD))
			lines := strings.SplitAfter(f.TechSpec, "\n")
			mid := len(lines) / 2
			memo := &Memo{}
			feature := func(typed int) *spec.Feature {
				ls := append([]string(nil), lines...)
				ls[mid] = strings.Repeat("x", typed) + ls[mid]
				fe := &spec.Feature{Dir: dir, Slug: f.Slug}
				fe.Set(prd)
				fe.Set(spec.Parse(dir+"/_techspec.md", []byte(strings.Join(ls, ""))))
				return fe
			}
			Check(Input{Feature: feature(0), Config: config.Default(), Memo: memo})
			var times []time.Duration
			var cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				fe := feature(i + 1)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				Check(Input{Feature: fe, Config: config.Default(), Memo: memo})
				times = append(times, time.Since(start))
				cpu += cpuTime() - cpu0
			}
			b.StopTimer()
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			pct := func(p float64) float64 {
				return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0), "min-ms") // the least disturbed by other load
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			// CPU time (user + sys of the process) varies less than wall
			// time on a shared machine.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
