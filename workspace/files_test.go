//go:build linux || darwin

package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/specls/specls/internal/safefile"
	"github.com/specls/specls/spec"
)

// TestFilesReadsWhatDiskHolds reads a file through Files after each of a
// series of changes on disk and compares with a fresh Limits.Read: the
// content, or the refusal, must be the same every time. The clock stands an
// hour ahead, so that every file counts as settled and is kept.
func TestFilesReadsWhatDiskHolds(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	dir := filepath.Join(root, "tasks", "prd-a")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "_prd.md")
	inside := filepath.Join(root, "other.md")
	away := filepath.Join(outside, "away.md")
	write := func(p, text string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	settle := func(p string) {
		t.Helper()
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	relink := func(target string) {
		t.Helper()
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
	}
	write(inside, "# inside\n")
	settle(inside)
	write(away, "# away from the root\n")
	settle(away)

	steps := []struct {
		name   string
		change func()
		kept   bool // Files keeps the content afterwards
	}{
		{"first read", func() { write(path, "# PRD one\n"); settle(path) }, true},
		{"unchanged", func() {}, true},
		// Same size, same modification time: only the change time moves.
		{"rewritten in place, times restored", func() { write(path, "# PRD two\n"); settle(path) }, true},
		{"grown", func() { write(path, "# PRD three, longer\n"); settle(path) }, true},
		{"replaced by a symlink inside the root", func() { relink(inside) }, true},
		{"symlink re-pointed outside the root", func() { relink(away) }, false},
		{"symlink back inside", func() { relink(inside) }, true},
		// An absent file is kept as absent while its folder is unchanged.
		{"removed", func() { os.Remove(path) }, true},
		{"a folder", func() { os.Mkdir(path, 0o755) }, false},
		{"a named pipe", func() { os.Remove(path); syscall.Mkfifo(path, 0o644) }, false},
		{"a file again", func() { os.Remove(path); write(path, "# PRD four\n"); settle(path) }, true},
		{"removed again", func() { os.Remove(path) }, true},
		{"created again", func() { write(path, "# PRD five\n"); settle(path) }, true},
		// A dangling symlink's target may appear anywhere: not kept.
		{"a dangling symlink", func() { relink(filepath.Join(root, "later.md")) }, false},
		{"its target created", func() { write(filepath.Join(root, "later.md"), "# later\n") }, true},
	}
	lim := spec.Limits{Root: root}
	files := &Files{now: func() time.Time { return time.Now().Add(time.Hour) }}
	for _, st := range steps {
		// The file system's clock is coarse: a change in the same tick as
		// the last one could leave every time equal, which RecentWindow
		// guards against and the clock standing ahead does not.
		time.Sleep(30 * time.Millisecond)
		st.change()
		want, wantErr := lim.Read(path)
		for i := range 2 { // the second read comes from what was kept
			got, err := files.Read(path, lim)
			if string(got) != string(want) || errText(err) != errText(wantErr) {
				t.Fatalf("%s, read %d: got %q, %v; Limits.Read gives %q, %v", st.name, i+1, got, err, want, wantErr)
			}
		}
		if n := files.Len(); (n == 1) != st.kept {
			t.Errorf("%s: %d files kept, want kept=%v", st.name, n, st.kept)
		}
	}
	if r := safefile.Refused(mustErr(files.Read(path, spec.Limits{Root: root, MaxSize: 4}))); r == nil || r.Reason != safefile.TooLarge {
		t.Errorf("a smaller size limit: got %v, want a too-large refusal", r)
	}
}

// TestFilesKeepsNoRecentFile: a file written within RecentWindow is read
// again on every check, since a second write in the same clock tick could
// leave every time equal.
func TestFilesKeepsNoRecentFile(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "_prd.md")
	if err := os.WriteFile(path, []byte("# PRD\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var files Files
	if _, err := files.Read(path, spec.Limits{Root: root}); err != nil {
		t.Fatal(err)
	}
	if n := files.Len(); n != 0 {
		t.Fatalf("a file written just now is kept (%d files)", n)
	}
}

// TestFilesForgetsAndEvicts: Forget and Reset drop files; at most Size are
// kept, the least recently used going first.
func TestFilesForgetsAndEvicts(t *testing.T) {
	root := t.TempDir()
	files := &Files{Size: 2, now: func() time.Time { return time.Now().Add(time.Hour) }}
	lim := spec.Limits{Root: root}
	var paths []string
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	read := func(p string) {
		t.Helper()
		if _, err := files.Read(p, lim); err != nil {
			t.Fatal(err)
		}
	}
	read(paths[0])
	read(paths[1])
	read(paths[0]) // b is now the least recently used
	read(paths[2])
	files.mu.Lock()
	_, a := files.lru.Get(paths[0])
	_, b := files.lru.Get(paths[1])
	files.mu.Unlock()
	if !a || b || files.Len() != 2 {
		t.Fatalf("after a, b, a, c with room for 2: a kept %v, b kept %v, %d kept", a, b, files.Len())
	}
	files.Forget(paths[0])
	if files.Len() != 1 {
		t.Fatalf("Forget left %d files", files.Len())
	}
	files.Reset()
	if files.Len() != 0 {
		t.Fatalf("Reset left %d files", files.Len())
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func mustErr(_ []byte, err error) error { return err }
