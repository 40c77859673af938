package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/specls/specls/cmd/specls/internal/version"
	"github.com/specls/specls/server"
)

const serveUsage = `Usage: specls [serve] [flags]

Runs the language server over stdin/stdout (LSP base protocol framing).
Stdout carries only protocol messages; the log goes to stderr or --log-file.
Exit status: 0 after shutdown and exit, 1 when the client exits or goes
away without shutdown, 2 on bad flags.

Flags:
`

func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	logFile := fs.String("log-file", "", "write the log to this file (appended) instead of stderr")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error (editors record each stderr line as an error)")
	debounce := fs.Duration("debounce", 200*time.Millisecond, "wait this long after a change before checking (push diagnostics); .specls.yaml server.debounce overrides it")
	fs.Bool("stdio", true, "use stdin/stdout (the only transport; accepted for editors that pass it)")
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	if done, err := parseFlags(fs, args); done || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("serve takes no arguments, got %q", strings.Join(fs.Args(), " "))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError("bad --log-level %q (want debug, info, warn or error)", *logLevel)
	}
	if *debounce < 0 {
		return usageError("bad --debounce %v (want 0 or more)", *debounce)
	}
	logOut := stderr
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return &exitError{2, fmt.Errorf("open log file: %w", err)}
		}
		defer f.Close()
		logOut = f
	}
	logger := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level}))

	// Stdout carries only protocol frames: anything else printed by
	// mistake goes to stderr instead.
	if f, ok := stdout.(*os.File); ok && f == os.Stdout {
		os.Stdout = os.Stderr
		defer func() { os.Stdout = f }()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	v := version.String() // unstamped, this parses the build info: once
	logger.Info("specls language server starting", "version", v, "pid", os.Getpid())
	code := server.New(server.Options{Logger: logger, Debounce: *debounce, Version: v}).Serve(ctx, stdio{stdin, stdout})
	logger.Info("specls language server stopped", "exit", code)
	if code != 0 {
		return &exitError{code, nil}
	}
	return nil
}

// stdio joins the process's standard streams into one connection.
type stdio struct {
	io.Reader
	io.Writer
}

// Close closes stdin, which ends a read blocked on it.
func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
