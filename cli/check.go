package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tributary/config"
)

func checkCommand() command {
	return command{name: "check", usage: "check   [-config FILE]   validate the config and exit", run: runCheck}
}

// runCheck validates the config: every problem on its own line and exit 1,
// or a one-line summary and exit 0. Secrets are read from this shell's
// environment and their values validated; one it cannot read (the
// daemon's environment may hold what this shell does not) is a warning.
func runCheck(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "check", configPath)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	cfg, err := config.LoadResolved(*path, e.getenv)
	var warnings config.Errors
	if err != nil {
		var errs, problems config.Errors
		if !errors.As(err, &errs) {
			return err
		}
		for _, p := range errs {
			if p.Secret {
				warnings = append(warnings, p)
			} else {
				problems = append(problems, p)
			}
		}
		if len(problems) > 0 {
			fmt.Fprintln(e.stdout, problems.Error())
			printSecretWarnings(e, warnings)
			return &reportedError{fmt.Sprintf("%s: %d problem(s)", *path, len(problems))}
		}
	}
	fmt.Fprintf(e.stdout, "%s: ok: %d sources, %d topics, listening on %s\n",
		*path, len(cfg.Sources), len(cfg.Topics), cfg.Listen)
	printSecretWarnings(e, warnings)
	warnIdleTopics(ctx, e, cfg)
	return nil
}

// printSecretWarnings says which secrets this shell could not read.
func printSecretWarnings(e *env, warnings config.Errors) {
	for _, w := range warnings {
		fmt.Fprintf(e.stdout, "warning: %s; the daemon's environment must provide it\n", w)
	}
}

// warnIdleTopics warns of each topic whose rules match no item stored,
// when there is a store to read (beside a running daemon, changing
// nothing); without one it says nothing.
func warnIdleTopics(ctx context.Context, e *env, cfg *config.Config) {
	set, _, err := buildTopics(cfg)
	if err != nil || len(set) == 0 {
		return
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return // no store yet: nothing to say
	}
	defer st.Close()
	trials, err := tryTopics(ctx, st, set, time.Time{})
	if err != nil {
		fmt.Fprintf(e.stdout, "warning: topics not tried on the store: %v\n", err)
		return
	}
	for _, t := range set {
		if len(trials[t.Name].then) == 0 {
			fmt.Fprintf(e.stdout, "warning: topic %q matches nothing in the store\n", t.Name)
		}
	}
}
