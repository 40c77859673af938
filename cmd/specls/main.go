// Command specls is a language server and command-line checker for spec
// documents: tasks/prd-<slug>/_prd.md and tasks/prd-<slug>/_techspec.md.
//
//	specls [serve]            run the language server on stdio
//	specls check [paths...]   check spec files, as CI does (--fix, --diff)
//	specls new <slug>         create tasks/prd-<slug>/_prd.md from the PRD template
//	specls init               write the tasks/docs templates and a .specls.yaml
//	specls generate <file>    write a section with an LLM (--section, --write)
//	specls version            print the version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries a process exit code up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// parseFlags parses a command's flags. done is true when the command has
// nothing more to do (-h printed the usage); a bad flag, already reported by
// the flag package, ends the command with exit status 2.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	switch err := fs.Parse(args); {
	case err == flag.ErrHelp:
		return true, nil
	case err != nil:
		return true, &exitError{2, fmt.Errorf("")}
	}
	return false, nil
}

func usageError(format string, args ...any) error {
	return &exitError{2, fmt.Errorf(format, args...)}
}

const usage = `specls — language server and checker for PRDs and tech specs

Usage:
  specls [serve] [flags]         run the language server over stdio
  specls check [flags] [paths]   check spec files (default: the current folder);
                                 --fix applies the safe fixes, --diff shows them
  specls new <slug>              create tasks/prd-<slug>/_prd.md from the PRD template
  specls init                    write tasks/docs/ templates and a commented .specls.yaml
  specls generate <file> --section "<heading>" [--write]
                                 write a section with the configured LLM endpoint
  specls version                 print the version

Run "specls <command> -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(args, stdin, stdout, stderr)
	case "check":
		err = runCheck(args, stdout, stderr)
	case "new":
		err = runNew(args, stdout, stderr)
	case "init":
		err = runInit(args, stdout, stderr)
	case "generate":
		err = runGenerate(args, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "specls", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError("unknown command %q\n\n%s", cmd, usage)
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "specls:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "specls:", err)
	return 2
}
