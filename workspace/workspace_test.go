package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// tree writes n feature folders, every third one with a broken section, and
// returns the root.
func tree(t *testing.T, n int) string {
	t.Helper()
	root := t.TempDir()
	src := filepath.Join("..", "examples", "tasks", "prd-seller-payouts")
	for i := range n {
		dir := filepath.Join(root, "tasks", fmt.Sprintf("prd-f%03d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"_prd.md", "_techspec.md"} {
			b, err := os.ReadFile(filepath.Join(src, name))
			if err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 && name == "_techspec.md" {
				b = []byte(strings.Replace(string(b), "## Data Models", "## Data Model", 1))
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

type summary struct {
	Dir   string
	Codes []string
}

func collect(t *testing.T, root string, stopAfter int) ([]summary, error) {
	t.Helper()
	var out []summary
	err := Each([]string{root}, func(r Result) error {
		s := summary{Dir: filepath.Base(r.Feature.Dir)}
		for _, f := range r.Findings {
			s.Codes = append(s.Codes, f.Code)
		}
		out = append(out, s)
		if len(out) == stopAfter {
			return errStop
		}
		return nil
	})
	return out, err
}

var errStop = errors.New("stop")

// Features are checked in parallel, but fn sees them in folder order with
// the findings a one-at-a-time run gives.
func TestEachParallelMatchesSequential(t *testing.T) {
	root := tree(t, 40)
	prev := runtime.GOMAXPROCS(1)
	want, err := collect(t, root, -1)
	runtime.GOMAXPROCS(max(prev, 4))
	defer runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 40 || len(want[0].Codes) == 0 || len(want[1].Codes) != 0 {
		t.Fatalf("fixture: %d results, first %v, second %v", len(want), want[0].Codes, want[1].Codes)
	}
	for range 3 {
		got, err := collect(t, root, -1)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parallel run:\n%v\nwant\n%v", got, want)
		}
	}
}

// An error from fn stops the walk at once; an unreadable feature stops it
// after every feature before it was delivered.
func TestEachStops(t *testing.T) {
	root := tree(t, 30)
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	got, err := collect(t, root, 5)
	if !errors.Is(err, errStop) || len(got) != 5 {
		t.Fatalf("stop after 5: %d results, err %v", len(got), err)
	}
	// A _prd.md that is a symlink loop cannot be read. (A folder, a FIFO
	// or a device is a finding instead: cmd/specls TestRefusedFiles.)
	bad := filepath.Join(root, "tasks", "prd-f012", "_prd.md")
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("_prd.md", bad); err != nil {
		t.Fatal(err)
	}
	got, err = collect(t, root, -1)
	if err == nil || !strings.Contains(err.Error(), "prd-f012") {
		t.Fatalf("unreadable feature: err %v, want one naming prd-f012", err)
	}
	if len(got) != 12 || got[11].Dir != "prd-f011" {
		t.Fatalf("unreadable feature: %d results before the error, want the 12 before it", len(got))
	}
}
