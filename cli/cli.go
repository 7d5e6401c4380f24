// Package cli is tributary's command line: one file per command, each
// owning its flags and building only the parts it uses from the config
// (build.go), then running them. It wires; what the parts do is decided in
// the packages below it. main calls Run and exits with its status.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// version is the release, set at build time with
// -ldflags "-X tributary/cli.version=v1.2.3".
var version = "0.1.0-dev"

const projectURL = "https://github.com/tributary-news/tributary"

// Run runs the command line args (without the program name) and returns
// the exit status: 0 success, 1 failure, 2 a mistake on the command line.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	err := run(ctx, e, args)
	if err != nil {
		var reported *reportedError
		if !errors.As(err, &reported) || reported.msg != "" {
			fmt.Fprintln(stderr, "tributary:", err)
		}
	}
	return exitCode(err)
}

// env is what a command takes from the world besides its arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	hooks          hooks
}

// command is one subcommand. It parses its own flags: the dispatcher
// knows its name and nothing else.
type command struct {
	name, usage string
	run         func(ctx context.Context, e *env, config string, args []string) error
}

// commands lists every subcommand, serve (the default) first.
func commands() []command {
	return []command{serveCommand(), fetchCommand(), checkCommand(), statusCommand(),
		backupCommand(), explainCommand(), evalCommand(), topicsCommand(), migrateCommand()}
}

// usageError is a mistake on the command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reportedError is a failure already explained on stdout or stderr; Run
// prints msg, if any, and sets the exit status.
type reportedError struct{ msg string }

func (e *reportedError) Error() string { return e.msg }

func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// run dispatches args to a command. -config may come before the command
// name (tributary -config F check) or among its own flags.
func run(ctx context.Context, e *env, args []string) error {
	global := flag.NewFlagSet("tributary", flag.ContinueOnError)
	global.SetOutput(e.stderr)
	config := global.String("config", "", "config `file` (default config.yaml)")
	showVersion := global.Bool("version", false, "print the version and exit")
	global.Usage = func() {
		fmt.Fprintln(e.stderr, "usage:")
		for _, c := range commands() {
			fmt.Fprintln(e.stderr, "  tributary "+c.usage)
		}
		fmt.Fprintln(e.stderr, "  tributary -version")
	}
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{err.Error()}
	}
	if *showVersion {
		fmt.Fprintln(e.stdout, "tributary", version)
		return nil
	}
	name, rest := "serve", global.Args()
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	var names []string
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, *config, rest)
		}
		names = append(names, c.name)
	}
	return &usageError{fmt.Sprintf("unknown command %q (want %s)", name, strings.Join(names, ", "))}
}

// defaultConfig is the config file a command reads unless told.
const defaultConfig = "config.yaml"

// flags returns a command's flag set, with -config defaulting to what
// preceded the command name ("" when nothing did).
func flags(e *env, name, config string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("tributary "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if config == "" {
		config = defaultConfig
	}
	return fs, fs.String("config", config, "config `file`")
}

// parse parses a command's arguments, flags and positional ones in any
// order (tributary explain URL -config F), and checks how many positional
// ones there are; want says what they are, for the message.
func parse(fs *flag.FlagSet, args []string, n int, want string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &reportedError{}
			}
			return nil, &usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(positional) == n:
		return positional, nil
	case n == 0:
		return nil, &usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), positional[0])}
	}
	return nil, &usageError{fmt.Sprintf("%s: want %s", fs.Name(), want)}
}

func userAgent() string {
	return "tributary/" + version + " (+" + projectURL + ")"
}
