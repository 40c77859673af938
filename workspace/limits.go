package workspace

import "github.com/specls/specls/spec"

// Limits are the bounds within which the workspace's spec files are read:
// inside the root, regular files, the configured size and nesting caps.
func (w *Workspace) Limits() spec.Limits {
	return spec.Limits{Root: w.Root, Granted: w.Granted, MaxSize: int64(w.Config.Limits.MaxFileSize), MaxDepth: w.Config.Limits.MaxNesting}
}
