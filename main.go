// Command tributary turns many upstream news feeds into a few curated ones:
// it polls sources on cron schedules, collapses copies of one story, files
// stories under topics and serves each topic as RSS, Atom and JSON Feed.
//
// Usage:
//
//	tributary [serve] [-config FILE]   run the daemon
//	tributary fetch   [-config FILE]   poll every source once and exit
//	tributary check   [-config FILE]   validate the config and exit
//	tributary -version
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tributary:", err)
		os.Exit(exitCode(err))
	}
}
