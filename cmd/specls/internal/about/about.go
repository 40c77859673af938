// Package about holds what specls says about itself, its usage and the
// version stamped at link time, and answers `specls --help` (and `specls
// version` when the version was stamped) from its init, before the heavy
// packages initialise.
//
// Go runs every linked package's init before main, whatever the command:
// protobuf's descriptors, goldmark's regexps, net/http. Since Go 1.21 the
// package initialised next is the ready one (its imports initialised) with
// the lowest import path. This package imports only os, so it is ready as
// soon as os is and runs before all of those. It must not import more:
// strings or runtime/debug sort after them and would make it wait (see
// docs/performance.md, "Start-up"). Package version answers `specls
// version` from the build info, later but still before goldmark and
// net/http; main answers through Answer too, so every path prints the same.
package about

import "os"

// version is set at build time with
// -ldflags "-X github.com/specls/specls/cmd/specls/internal/about.version=v1.2.3"
// (make build VERSION=v1.2.3); when it is not, package version reads the
// module version from the build info.
var version = "dev"

// Stamped returns the version set with -ldflags, or "" when none was.
func Stamped() string {
	if version == "dev" || version == "" {
		return ""
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

// Kind is what a command line asks for.
type Kind int

const (
	Other   Kind = iota // any other command: main's
	Version             // `specls version`, --version, -version (what follows is ignored)
	Help                // the general help: help, -h, -help, --help, alone or before help or version
)

// Asks tells what args (the command line without the program name) ask
// for. `specls help check` is check's flags: Other.
func Asks(args []string) Kind {
	if len(args) == 0 {
		return Other
	}
	switch args[0] {
	case "version", "-version", "--version":
		return Version
	case "help", "-h", "-help", "--help":
		if len(args) == 1 || args[1] == "help" || args[1] == "version" {
			return Help
		}
	}
	return Other
}

// Answer returns what specls prints on stdout, exiting 0, when args ask for
// the version or the general help; ok is false for every other command.
// version is called only for the version.
func Answer(args []string, version func() string) (out string, ok bool) {
	switch Asks(args) {
	case Version:
		return VersionLine(version()), true
	case Help:
		return Usage, true
	}
	return "", false
}

// VersionLine is what `specls version` prints.
func VersionLine(v string) string { return "specls " + v + "\n" }

// Exit writes out to stdout and ends the process, from an init: as on the
// normal path, a failed write to stdout still exits 0.
func Exit(out string) {
	os.Stdout.WriteString(out)
	os.Exit(0)
}

// InTest reports whether this is a test binary (name.test), which keeps its
// own flags, -h among them: the inits answer nothing there.
func InTest() bool {
	a := os.Args[0]
	return len(a) >= 5 && a[len(a)-5:] == ".test"
}

func init() {
	if InTest() {
		return
	}
	switch Asks(os.Args[1:]) {
	case Help:
		Exit(Usage)
	case Version:
		if v := Stamped(); v != "" {
			Exit(VersionLine(v))
		}
	}
}
