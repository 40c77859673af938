package diagnostics

// Every test of this package runs with released evidence buffers poisoned
// (see poisonReleased).
func init() { poisonReleased = true }
