package safefile_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/specls/specls/internal/safefile"
)

func TestRead(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(root, "ok.md"), []byte("# ok\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "big.md"), []byte(strings.Repeat("x", 101)), 0o644))
	must(os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644))
	must(os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "out.md")))
	must(os.Symlink("ok.md", filepath.Join(root, "in.md")))
	must(os.Mkdir(filepath.Join(root, "dir.md"), 0o755))
	must(syscall.Mkfifo(filepath.Join(root, "fifo.md"), 0o644))
	// Folder links, in and out of the root: a run that remembers folders
	// must resolve the files in them as one that does not.
	must(os.Mkdir(filepath.Join(root, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(root, "sub", "x.md"), []byte("# x\n"), 0o644))
	must(os.Symlink("sub", filepath.Join(root, "linkin")))
	must(os.Symlink(outside, filepath.Join(root, "linkout")))
	must(os.Symlink("nowhere.md", filepath.Join(root, "dangling.md")))
	cases := []struct {
		path   string
		root   string
		want   string
		reason safefile.Reason
		absent bool
		// noEntry: nothing at all is at the path, not even a link (then
		// a read through folders says so: safefile.Absent).
		noEntry bool
		msg     string
	}{
		{path: "ok.md", root: root, want: "# ok\n"},
		{path: "in.md", root: root, want: "# ok\n"},
		{path: "out.md", root: root, reason: safefile.OutsideRoot, msg: "outside the workspace root"},
		{path: "../" + filepath.Base(outside) + "/secret", root: root, reason: safefile.OutsideRoot},
		{path: "big.md", root: root, reason: safefile.TooLarge, msg: "larger than 100 bytes"},
		{path: "dir.md", root: root, reason: safefile.NotRegular, msg: "a folder"},
		{path: "fifo.md", root: root, reason: safefile.NotRegular, msg: "a named pipe (FIFO)"},
		{path: "/dev/zero", reason: safefile.NotRegular, msg: "a character device"},
		{path: "/dev/null", reason: safefile.NotRegular, msg: "a character device"},
		{path: "missing.md", root: root, absent: true, noEntry: true},
		{path: "dangling.md", root: root, absent: true},
		{path: "sub/x.md", root: root, want: "# x\n"},
		{path: "linkin/x.md", root: root, want: "# x\n"},
		{path: "linkout/secret", root: root, reason: safefile.OutsideRoot, msg: "outside the workspace root"},
		{path: "linkout/missing.md", root: root, reason: safefile.OutsideRoot},
		{path: "nodir/missing.md", root: root, absent: true, noEntry: true},
	}
	// Each case reads alone, then through folders shared by every case (a
	// `specls check` run), which must change no answer.
	shared := &safefile.Folders{}
	for _, folders := range []*safefile.Folders{nil, shared, shared} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s,folders=%t", c.path, folders != nil), func(t *testing.T) {
				p := c.path
				if !filepath.IsAbs(p) {
					p = filepath.Join(root, p)
				}
				got, err := safefile.Read(p, safefile.Options{Root: c.root, MaxSize: 100, Folders: folders})
				r := safefile.Refused(err)
				switch {
				case c.absent:
					if !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("err = %v, want not-exist", err)
					}
					if want := c.noEntry && folders != nil; safefile.Absent(err) != want {
						t.Errorf("Absent(%v) = %t, want %t", err, !want, want)
					}
				case c.reason != "":
					if r == nil || r.Reason != c.reason || !strings.Contains(r.Msg, c.msg) {
						t.Errorf("err = %v, want %s saying %q", err, c.reason, c.msg)
					}
					if got != nil {
						t.Errorf("read %q from a refused file", got)
					}
				default:
					if err != nil || string(got) != c.want {
						t.Errorf("got %q, %v; want %q", got, err, c.want)
					}
				}
			})
		}
	}
}
