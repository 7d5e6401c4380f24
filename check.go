package main

import (
	"errors"
	"fmt"
	"io"

	"tributary/config"
)

// runCheck validates the config: every problem on its own line and exit 1,
// or a one-line summary and exit 0.
func runCheck(path string, stdout io.Writer) error {
	cfg, err := config.Load(path)
	if err != nil {
		var errs config.Errors
		if !errors.As(err, &errs) {
			return err
		}
		fmt.Fprintln(stdout, errs.Error())
		return &reportedError{fmt.Sprintf("%s: %d problem(s)", path, len(errs))}
	}
	fmt.Fprintf(stdout, "%s: ok: %d sources, %d topics, listening on %s\n",
		path, len(cfg.Sources), len(cfg.Topics), cfg.Listen)
	return nil
}
