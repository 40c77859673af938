package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// Writing the author's files. A fix must never lose text or damage the
// file system: the file is written through its symlink to the target,
// with its mode, owner and group; a file that changed on disk since the
// fix was computed is not written; a read-only file is not written; a
// hard-linked file is rewritten in place so that every link sees the new
// text; and the temporary file is removed on any error and on SIGINT and
// SIGTERM.

// errChanged reports a file whose text on disk is no longer the text the
// fix was computed from.
var errChanged = errors.New("it changed on disk since its fixes were computed; nothing was written to it (run again to fix the current text)")

// beforeRename, when set (tests), runs after the temporary file is
// written and before the file is replaced.
var beforeRename func(tmp string)

// writeFile writes content to path. With create, path must not exist.
// Its errors name the path, but for errChanged and a read-only file, which
// the caller words with the path.
// Otherwise expect, when not nil, is the text the content was computed
// from: if the file holds anything else, nothing is written (errChanged).
func writeFile(path string, content, expect []byte, create bool) error {
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real // write through the link; the link stays a link
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	info, err := os.Stat(target)
	switch {
	case err == nil && create:
		return fmt.Errorf("create %s: the file exists", path)
	case err == nil:
		if !info.Mode().IsRegular() {
			return fmt.Errorf("write %s: not a regular file", path)
		}
		if info.Mode().Perm()&0o222 == 0 || !writable(target) {
			return errors.New("the file is read-only; specls does not write files you may not write")
		}
	case errors.Is(err, fs.ErrNotExist) && create:
		info = nil
	case errors.Is(err, fs.ErrNotExist):
		return errChanged
	default:
		return fmt.Errorf("write %s: %w", path, err)
	}
	if info != nil {
		if _, _, links, ok := owner(info); ok && links > 1 {
			return writeInPlace(target, content, expect)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".specls-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	temps.add(name)
	defer func() {
		os.Remove(name) // gone after the rename; cleans up after an error
		temps.remove(name)
	}()
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	if info != nil {
		mode = info.Mode().Perm()
		if uid, gid, _, ok := owner(info); ok {
			if err := os.Chown(name, uid, gid); err != nil {
				// Not ours to give away: rewrite the file itself, which
				// keeps its owner.
				return writeInPlace(target, content, expect)
			}
		}
	}
	if err := os.Chmod(name, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if beforeRename != nil {
		beforeRename(name)
	}
	if create {
		// Link fails if the target exists, where rename would replace it.
		if err := os.Link(name, target); err == nil {
			return nil
		} else if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: the file exists", path)
		}
	}
	// The last look before the rename: a save in the editor during the
	// run must not be overwritten.
	if err := unchanged(target, expect); err != nil {
		return err
	}
	if err := os.Rename(name, target); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeInPlace rewrites target's content through the file itself, for
// hard links and files owned by someone else: not atomic, but it keeps
// every link, the owner and the mode.
func writeInPlace(target string, content, expect []byte) error {
	f, err := os.OpenFile(target, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	defer f.Close()
	if expect != nil {
		now, err := io.ReadAll(f)
		if err != nil {
			return fmt.Errorf("write %s: %w", target, err)
		}
		if !bytes.Equal(now, expect) {
			return errChanged
		}
	}
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	if _, err := f.WriteAt(content, 0); err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	return nil
}

// unchanged returns errChanged when the file no longer holds expect.
func unchanged(path string, expect []byte) error {
	if expect == nil {
		return nil
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, expect) {
		return errChanged
	}
	return nil
}

// temps are the temporary files being written, removed on a signal.
var temps = tempSet{m: map[string]bool{}}

type tempSet struct {
	sync.Mutex
	m map[string]bool
}

func (t *tempSet) add(name string)    { t.Lock(); t.m[name] = true; t.Unlock() }
func (t *tempSet) remove(name string) { t.Lock(); delete(t.m, name); t.Unlock() }

// removeAll deletes every temporary file and keeps the set locked, so that
// none is created or renamed afterwards: the process is about to exit.
func (t *tempSet) removeAll() {
	t.Lock()
	for name := range t.m {
		os.Remove(name)
	}
}

// cleanupOnSignal removes the temporary files and exits (130 for SIGINT,
// 143 for SIGTERM, as shells do) when a signal arrives while files are
// written; stop ends that.
func cleanupOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.removeAll()
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			fmt.Fprintf(os.Stderr, "specls: %v: stopped; files not yet written are unchanged\n", sig)
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
