package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One spawn of the trivial server: timed to its initialize result, its RSS
// read, shut down and exited cleanly, its CPU taken from the kernel.
func TestSpawnTrivialServer(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "trivial-server")
	if out, err := exec.Command("go", "build", "-o", bin, "../trivial-server").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	s, err := spawn([]string{bin})
	if err != nil {
		t.Fatal(err)
	}
	if s.wall <= 0 || s.wall > time.Minute {
		t.Errorf("wall = %v", s.wall)
	}
	if s.rssKB < 100 {
		t.Errorf("rss = %d kB, want a Go process's hundreds at least", s.rssKB)
	}
	if s.cpu <= 0 {
		t.Errorf("cpu = %v", s.cpu)
	}
	if s.flt < 50 {
		t.Errorf("page faults = %d, want a Go process's hundreds at least", s.flt)
	}
}

// A command that is not a language server is an error, not a sample.
func TestSpawnNotAServer(t *testing.T) {
	_, err := spawn([]string{"true"})
	if err == nil || !strings.Contains(err.Error(), "initialize") {
		t.Errorf("err = %v, want an error about initialize", err)
	}
}

func TestSummarise(t *testing.T) {
	var ss []sample
	for i := 1; i <= 10; i++ {
		ss = append(ss, sample{wall: time.Duration(11-i) * time.Millisecond, cpu: time.Duration(i) * time.Millisecond, rssKB: 1000 * i, flt: int64(100 * i)})
	}
	got := summarise("x", ss)
	want := Summary{Name: "x", Runs: 10, P50ms: 6, P90ms: 10, MinMs: 1, CPUP50ms: 6, RSSP50KB: 6000, FaultP50: 600}
	if got != want {
		t.Errorf("summarise = %+v, want %+v", got, want)
	}
}
