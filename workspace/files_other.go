//go:build !linux && !darwin

package workspace

import "os"

// idOf gives no identity here: without an inode and a change time a
// file's content is not kept (Files reads it on every check).
func idOf(os.FileInfo) (fileID, bool) { return fileID{}, false }
