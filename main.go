// Command tributary turns many upstream news feeds into a few curated ones:
// it polls sources on cron schedules, collapses copies of one story, files
// stories under topics and serves each topic as RSS, Atom and JSON Feed.
// The commands are in package cli; `tributary -h` lists them.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"tributary/cli"
)

// gcPercent is the garbage collector's target unless GOGC says otherwise.
// Most of the daemon's heap is long-lived (the dedupe index, caches): the
// default 100 would let the heap grow to twice that before collecting;
// half as much headroom costs some 10% more GC CPU, for a third less
// memory (README, "Capacity").
const gcPercent = 50

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
