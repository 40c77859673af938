// Package abuse holds protocol abuse tests: they run the real specls binary
// over stdio, write raw bytes at it (broken headers, wrong lengths, invalid
// JSON, binary, floods, cancellation storms, huge documents) and check that
// each gets the error or the silence the LSP and JSON-RPC specifications
// call for, that the process keeps running, and that it still answers a
// normal request correctly afterwards. `go test -race ./test/abuse` builds
// the binary with the race detector too; SPECLS_BIN runs a given binary.
package abuse
