//go:build unix

package main

import (
	"io/fs"
	"syscall"
)

// writable reports whether this process may write path (access(2) with
// W_OK): a mode bit alone does not say, for root or with ACLs.
func writable(path string) bool { return syscall.Access(path, 2 /* W_OK */) == nil }

// owner returns a file's owner, group and number of hard links.
func owner(info fs.FileInfo) (uid, gid int, links uint64, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	return int(st.Uid), int(st.Gid), uint64(st.Nlink), true
}
