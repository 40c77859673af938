package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/specls/specls/ai"
	"github.com/specls/specls/config"
	"github.com/specls/specls/diagnostics"
	"github.com/specls/specls/spec"
	"github.com/specls/specls/workspace"
)

const generateUsage = `Usage: specls generate <file> --section "<heading>" [--write]
       specls generate <dir>/_techspec.md [--write]

Writes one section of a PRD or tech spec with the LLM endpoint configured
in .specls.yaml (ai.base-url, ai.model; see docs/ai.md), from the section's
requirements, the template, the PRD and the rest of the spec. The answer is
validated and checked before it is used. Without --section, drafts a whole
tech spec that does not exist yet (or is empty) from its PRD.

The endpoint and the key variable are the user's to grant: a workspace's
.specls.yaml may name them only when your own configuration
($XDG_CONFIG_HOME/specls/config.yaml) or these flags name the same
endpoint, and its api-key-env only a variable named *_API_KEY or one the
user configuration lists (see docs/security.md).

The section is printed on stdout; --write puts it into the file instead.
Findings the checks report in the generated text go to stderr. Exit status:
0 on success, 1 when generation fails, 2 on usage or configuration errors
(including no endpoint configured).

Flags:
`

func runGenerate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	section := fs.String("section", "", "heading of the section to generate (a template section, or one in the file)")
	write := fs.Bool("write", false, "write the section into the file instead of printing it")
	verbose := fs.Bool("verbose", false, "log requests and progress to stderr")
	var flagAI config.AI
	fs.StringVar(&flagAI.BaseURL, "base-url", "", "the AI endpoint (trusted: overrides and approves .specls.yaml's ai.base-url)")
	fs.StringVar(&flagAI.Model, "model", "", "the model (overrides ai.model)")
	fs.StringVar(&flagAI.APIKeyEnv, "api-key-env", "", "the NAME of the environment variable holding the key (trusted)")
	fs.Usage = func() { fmt.Fprint(stderr, generateUsage); fs.PrintDefaults() }
	// Flags may come before or after the file.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil
			}
			return &exitError{2, fmt.Errorf("")}
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		return usageError("generate takes one file (a _techspec.md or _prd.md)\n\n%s", strings.SplitN(generateUsage, "\n\n", 2)[0])
	}
	path, err := filepath.Abs(files[0])
	if err != nil {
		return &exitError{2, err}
	}
	kind := spec.KindOf(path)
	if kind != spec.KindTechSpec && kind != spec.KindPRD {
		return usageError("%s is not a _techspec.md or _prd.md", files[0])
	}
	ws, err := workspace.Open(spec.WorkspaceRoot(path))
	if err != nil {
		return &exitError{2, err}
	}
	user, err := config.LoadUser(config.UserPath(nil))
	if err != nil {
		return &exitError{2, err}
	}
	var grant config.AIGrant
	ws.Config.AI, grant = config.ResolveAI(user, ws.Config.AI, flagAI)
	if !ws.Config.AI.Enabled() {
		return usageError("%s", ai.NotConfiguredHint)
	}
	if grant.KeyRefused != "" {
		return usageError("%s", grant.KeyRefused)
	}
	if !grant.Approved {
		where := "trust.endpoints in your user configuration"
		if p := config.UserPath(nil); p != "" {
			where = "trust.endpoints in " + p
		}
		return usageError("the workspace's %s names the AI endpoint %s (host %s), which your own configuration does not name; nothing was sent. To use it, pass --base-url %s or add it to %s (see docs/security.md)",
			config.FileName, grant.Endpoint, grant.Host, grant.Endpoint, where)
	}
	in, err := loadInput(ws, path)
	if err != nil {
		return &exitError{2, err}
	}
	if *section == "" {
		d := in.Feature.Doc(kind)
		if kind != spec.KindTechSpec || (d != nil && len(bytes.TrimSpace(d.Text)) > 0) {
			return usageError("name the section to generate with --section \"<heading>\" (only a missing or empty _techspec.md is drafted whole)")
		}
		if in.Feature.PRD == nil {
			return usageError("%s has no _prd.md to draft the tech spec from", filepath.Dir(path))
		}
	} else if in.Feature.Doc(kind) == nil {
		return usageError("%s does not exist", files[0])
	} else if d := in.Feature.Doc(kind); d.Refused != nil {
		return usageError("%s", d.Refused.Message)
	} else if _, err := ai.PromptFor(in, path, *section); err != nil {
		return usageError("%v", err) // no such section: a usage error, before any request
	}
	// Failures are printed once, as the error below; the log is for
	// --verbose.
	level := slog.LevelError + 1
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	client, err := ai.NewClient(ws.Config.AI, ai.WithLogger(logger))
	if err != nil {
		return &exitError{2, err}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	req := ai.Request{Input: in, Path: path, Section: *section}
	if *verbose {
		req.Progress = func(p ai.Progress) {
			if p.Retry > 0 || p.Chunks%50 == 1 {
				fmt.Fprintln(stderr, "specls:", p.Message())
			}
		}
	}
	res, err := ai.Generate(ctx, client, req)
	if err != nil {
		return &exitError{1, err}
	}
	if *write {
		if res, err = writeGenerated(ws, path, res); err != nil {
			return &exitError{1, err}
		}
		verb := "wrote"
		if res.Create {
			verb = "created"
		}
		fmt.Fprintf(stderr, "specls: %s %q in %s\n", verb, res.Title(), displayPath(path))
	} else {
		fmt.Fprintln(stdout, res.Markdown)
	}
	reportFindings(stderr, res)
	return nil
}

// loadInput reads the feature holding path.
func loadInput(ws *workspace.Workspace, path string) (diagnostics.Input, error) {
	f, err := spec.LoadFeatureLimited(filepath.Dir(path), nil, ws.Limits())
	if err != nil {
		return diagnostics.Input{}, err
	}
	return ws.Input(f), nil
}

// writeGenerated writes the result into the file as it is now: when the
// file changed during generation the section is placed again, and refused
// if the section itself changed.
func writeGenerated(ws *workspace.Workspace, path string, res ai.Result) (ai.Result, error) {
	in, err := loadInput(ws, path)
	if err != nil {
		return res, err
	}
	if res, err = ai.Reanchor(in, res); err != nil {
		return res, err
	}
	var expect []byte
	if d := in.Feature.Doc(spec.KindOf(path)); d != nil && !res.Create {
		expect = d.Text
	}
	stop := cleanupOnSignal()
	defer stop()
	if err := writeFile(path, res.Text, expect, res.Create); err != nil {
		return res, fmt.Errorf("%s not written: %w", displayPath(path), err)
	}
	return res, nil
}

// reportFindings lists on w what the checks found in the generated text.
func reportFindings(w io.Writer, res ai.Result) {
	if len(res.Findings) == 0 {
		return
	}
	doc := spec.Parse(res.Target.Path, res.Text)
	for _, f := range res.Findings {
		loc := locate(doc, f.Span, spec.UTF8)
		fmt.Fprintf(w, "%s:%d:%d: %s %s: %s\n", displayPath(f.Path), loc.Line, loc.Col, f.Severity, f.Code, f.Message)
	}
	fmt.Fprintf(w, "specls: review the generated text: the checks find %d problem(s) in it\n", len(res.Findings))
}
