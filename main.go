// Command tributary turns many upstream news feeds into a few curated ones:
// it polls sources on cron schedules, collapses copies of one story, files
// stories under topics and serves each topic as RSS, Atom and JSON Feed.
// The commands are in package cli; `tributary -h` lists them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"tributary/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
