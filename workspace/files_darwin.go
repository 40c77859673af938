package workspace

import (
	"os"
	"syscall"
)

func idOf(fi os.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino), size: st.Size,
		mtime: st.Mtimespec.Nano(), ctime: st.Ctimespec.Nano()}, true
}
