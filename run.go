package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = "0.1.0-dev"

const projectURL = "https://github.com/tributary-news/tributary"

// usageError is a mistake on the command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reportedError is a failure already explained on stdout or stderr; main
// only sets the exit status.
type reportedError struct{ msg string }

func (e *reportedError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// run is the whole program: main only adds signals and the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	global := flag.NewFlagSet("tributary", flag.ContinueOnError)
	global.SetOutput(stderr)
	configPath := global.String("config", "config.yaml", "config `file`")
	showVersion := global.Bool("version", false, "print the version and exit")
	global.Usage = func() {
		fmt.Fprint(stderr, "usage: tributary [serve|fetch|check] [-config FILE]\n       tributary -version\n\n")
		global.PrintDefaults()
	}
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{err.Error()}
	}
	if *showVersion {
		fmt.Fprintln(stdout, "tributary", version)
		return nil
	}
	cmd, rest := "serve", global.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	sub := flag.NewFlagSet("tributary "+cmd, flag.ContinueOnError)
	sub.SetOutput(stderr)
	sub.StringVar(configPath, "config", *configPath, "config `file`")
	if err := sub.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{err.Error()}
	}
	if sub.NArg() > 0 {
		return &usageError{fmt.Sprintf("%s: unexpected argument %q", cmd, sub.Arg(0))}
	}
	switch cmd {
	case "serve":
		return runServe(ctx, *configPath, stdout, stderr)
	case "fetch":
		return runFetch(ctx, *configPath, stdout, stderr)
	case "check":
		return runCheck(*configPath, stdout)
	default:
		return &usageError{fmt.Sprintf("unknown command %q (want serve, fetch or check)", cmd)}
	}
}

func userAgent() string {
	return "tributary/" + version + " (+" + projectURL + ")"
}
