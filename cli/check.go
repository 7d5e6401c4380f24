package cli

import (
	"context"
	"errors"
	"fmt"

	"tributary/config"
)

func checkCommand() command {
	return command{name: "check", usage: "check   [-config FILE]   validate the config and exit", run: runCheck}
}

// runCheck validates the config: every problem on its own line and exit 1,
// or a one-line summary and exit 0.
func runCheck(_ context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "check", configPath)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	cfg, err := config.Load(*path)
	if err != nil {
		var errs config.Errors
		if !errors.As(err, &errs) {
			return err
		}
		fmt.Fprintln(e.stdout, errs.Error())
		return &reportedError{fmt.Sprintf("%s: %d problem(s)", *path, len(errs))}
	}
	fmt.Fprintf(e.stdout, "%s: ok: %d sources, %d topics, listening on %s\n",
		*path, len(cfg.Sources), len(cfg.Topics), cfg.Listen)
	return nil
}
