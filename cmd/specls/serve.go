package main

import (
	"io"
)

// runServe is replaced by the language server.
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return usageError("the language server is not built yet")
}
