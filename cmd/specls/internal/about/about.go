// Package about holds what specls says about itself, its version and its
// usage, and answers `specls version` and `specls --help` from its init.
//
// Go runs every linked package's init before main, whatever the command:
// goldmark's regexps, protobuf's descriptors, net/http. A package is
// initialised as soon as its own imports are (Go 1.21+: the ready package
// with the lowest import path goes first), and this one imports only os and
// runtime/debug, so its init runs before those heavy ones and can answer the
// two commands that need nothing else, then exit. main answers them through
// Answer too, so the early and the normal path print the same text.
package about

import (
	"os"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X
// github.com/specls/specls/cmd/specls/internal/about.version=..."; when it is
// not, the module version from the build info is used.
var version = "dev"

// Version is the version specls reports: the -ldflags one, else the module
// version `go install ...@v0.3.0` stamped into the binary, else the version
// go build derived from the repository, else "dev".
func Version() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// Usage is the text of `specls help`.
const Usage = `specls — language server and checker for PRDs and tech specs

Usage:
  specls [serve] [flags]         run the language server over stdio
  specls check [paths] [flags]   check spec files (default: the current folder);
                                 --fix applies the safe fixes, --diff shows them,
                                 --fail-on warning|gate makes CI stricter
  specls new <slug> [--techspec] create tasks/prd-<slug>/_prd.md (and _techspec.md)
                                 from the templates
  specls init                    write tasks/docs/ templates and a commented .specls.yaml
  specls generate <file> --section "<heading>" [--write]
                                 write a section with the configured LLM endpoint
  specls version                 print the version (also --version)
  specls help [command]          this help, or a command's flags (also -h, --help)

Run "specls <command> -h" for a command's flags.
`

// Answer returns what specls prints on stdout for args (the command line
// without the program name) when the command is `version` or the general
// help, which exit 0 and need no other package; ok is false for every other
// command line. `version` ignores what follows it; `help help` and
// `help version` are the general help, `help check` is check's flags (not
// answered here).
func Answer(args []string) (out string, ok bool) {
	if len(args) == 0 {
		return "", false
	}
	switch args[0] {
	case "version", "-version", "--version":
		return "specls " + Version() + "\n", true
	case "help", "-h", "-help", "--help":
		if len(args) == 1 || args[1] == "help" || args[1] == "version" {
			return Usage, true
		}
	}
	return "", false
}

func init() {
	// A test binary (name.test) keeps its own flags, -h among them.
	if strings.HasSuffix(os.Args[0], ".test") {
		return
	}
	if out, ok := Answer(os.Args[1:]); ok {
		// As the normal path: a failed write to stdout still exits 0.
		os.Stdout.WriteString(out)
		os.Exit(0)
	}
}
