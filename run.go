package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
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
	return runAt(ctx, args, stdout, stderr, time.Now)
}

// runAt is run with the clock every part reads: tests set it.
func runAt(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	global := flag.NewFlagSet("tributary", flag.ContinueOnError)
	global.SetOutput(stderr)
	configPath := global.String("config", "config.yaml", "config `file`")
	showVersion := global.Bool("version", false, "print the version and exit")
	global.Usage = func() {
		fmt.Fprint(stderr, "usage: tributary [serve|fetch|check] [-config FILE]\n"+
			"       tributary status [-config FILE] [-json]\n"+
			"       tributary backup [-config FILE] PATH\n"+
			"       tributary explain [-config FILE] URL|GUID|HEADLINE\n"+
			"       tributary eval [-config FILE] -pairs FILE|-stories FILE [-json] [-sweep] [-threshold X] [-story-threshold X]\n"+
			"       tributary -version\n\n")
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
	var ef evalFlags
	asJSON := false
	if cmd == "status" {
		sub.BoolVar(&asJSON, "json", false, "print JSON")
	}
	if cmd == "eval" {
		sub.StringVar(&ef.pairs, "pairs", "", "TSV `file` of scored headline pairs")
		sub.StringVar(&ef.stories, "stories", "", "CSV `file` of headlines labelled with their story")
		sub.BoolVar(&ef.json, "json", false, "print JSON")
		sub.BoolVar(&ef.sweep, "sweep", false, "print the precision/recall curve over thresholds")
		sub.Float64Var(&ef.threshold, "threshold", 0, "override dedupe.threshold")
		sub.Float64Var(&ef.storyThreshold, "story-threshold", 0, "override dedupe.story_threshold")
	}
	// Flags may follow explain's argument: tributary explain URL -config F.
	var positional []string
	for {
		if err := sub.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return &usageError{err.Error()}
		}
		if sub.NArg() == 0 {
			break
		}
		positional = append(positional, sub.Arg(0))
		rest = sub.Args()[1:]
	}
	configSet := false
	global.Visit(func(f *flag.Flag) { configSet = configSet || f.Name == "config" })
	sub.Visit(func(f *flag.Flag) { configSet = configSet || f.Name == "config" })
	if cmd == "explain" {
		if len(positional) != 1 {
			return &usageError{"explain: want one argument: a URL, a GUID or a quoted headline"}
		}
		return runExplain(ctx, *configPath, positional[0], stdout, stderr, now)
	}
	if cmd == "backup" {
		if len(positional) != 1 {
			return &usageError{"backup: want one argument: the path of the copy"}
		}
		return runBackup(ctx, *configPath, positional[0], stdout, stderr)
	}
	if len(positional) > 0 {
		return &usageError{fmt.Sprintf("%s: unexpected argument %q", cmd, positional[0])}
	}
	switch cmd {
	case "serve":
		return runServe(ctx, *configPath, stdout, stderr, now)
	case "fetch":
		return runFetch(ctx, *configPath, stdout, stderr, now)
	case "check":
		return runCheck(*configPath, stdout)
	case "eval":
		return runEval(*configPath, configSet, ef, stdout)
	case "status":
		return runStatus(ctx, *configPath, asJSON, stdout, stderr, now)
	default:
		return &usageError{fmt.Sprintf("unknown command %q (want serve, fetch, check, status, explain, eval or backup)", cmd)}
	}
}

func userAgent() string {
	return "tributary/" + version + " (+" + projectURL + ")"
}
