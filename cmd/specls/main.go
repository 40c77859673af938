// Command specls is a language server and command-line checker for spec
// documents: tasks/prd-<slug>/_prd.md and tasks/prd-<slug>/_techspec.md.
//
//	specls [serve]            run the language server on stdio
//	specls check [paths...]   check spec files, as CI does (--fix, --diff, --fail-on)
//	specls new <slug>         create tasks/prd-<slug>/_prd.md (--techspec: and _techspec.md)
//	specls init               write the tasks/docs templates and a .specls.yaml
//	specls generate <file>    write a section with an LLM (--section, --write)
//	specls version            print the version
//	specls help [command]     list the commands, or a command's flags
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	// Their inits answer `specls --help` and `specls version` before the
	// heavy packages initialise.
	"github.com/specls/specls/cmd/specls/internal/about"
	"github.com/specls/specls/cmd/specls/internal/version"
)

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

// parseArgs parses fs's flags wherever they stand among the arguments, as
// users of other linters expect (`specls check tasks --format json`), and
// returns the other arguments in order. After "--" everything is an
// argument.
func parseArgs(fs *flag.FlagSet, args []string) (pos []string, done bool, err error) {
	for {
		if done, err := parseFlags(fs, args); done || err != nil {
			return nil, done, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, false, nil
		}
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(pos, rest...), false, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func usageError(format string, args ...any) error {
	return &exitError{2, fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// `version` and the general help: the answer the inits of about and
	// version give when specls starts with these arguments.
	if out, ok := about.Answer(args, version.String); ok {
		fmt.Fprint(stdout, out)
		return 0
	}
	cmd := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			args = append([]string{"help"}, args[1:]...)
		}
	}
	// Other leading flags are the server's: editors start `specls --stdio`.
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
	case "help":
		// about.Answer gave the general help: what is left is a command's
		// flags (`specls help check`).
		return run([]string{args[0], "-h"}, stdin, stdout, stdout)
	default:
		err = usageError("unknown command %q (run \"specls --help\" for the commands)", cmd)
	}
	if err == nil {
		return 0
	}
	code := 2
	var ee *exitError
	if errors.As(err, &ee) {
		code, err = ee.code, ee.err
	}
	if err != nil && err.Error() != "" {
		// One problem a line (a configuration may have several), each
		// marked as specls's.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(stderr, "specls:", line)
		}
	}
	return code
}
