// Command fleet answers "how many sources can one machine carry?": it
// serves n feeds on loopback, runs the real daemon (tributary serve) on
// them with a one-minute schedule, and reports what it sustains — polls
// per second, CPU-seconds per 1,000 polls, items stored per second, peak
// RSS and the 99th-percentile poll — and what a 15-minute schedule of the
// same sources would cost. Run it with scripts/fleet (README, "Capacity").
//
// The feeds (upstream.go) carry real feeds' item bodies (-corpus) under
// made-up headlines, entries to a document; half the sources never change
// and answer conditional GETs with 304, the others move on by -new of
// their entries at every poll. -items first fills the store to that many
// items with `tributary fetch`, so memory is measured with a full window.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"tributary/internal/feedgen"
)

type options struct {
	n, entries, items, concurrency int
	newShare                       float64
	measure                        time.Duration
	bin, corpus, dir               string
	keep                           bool
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 1000, "number of sources")
	flag.IntVar(&o.entries, "entries", 50, "entries in each source's document")
	flag.Float64Var(&o.newShare, "new", 0.05, "share of a changing source's entries that are new at each poll")
	flag.IntVar(&o.items, "items", 0, "fill the store to at least this many items before measuring")
	flag.IntVar(&o.concurrency, "concurrency", 0, "fetch.concurrency (0: the daemon's default); per_host is the same, all sources being one host")
	flag.DurationVar(&o.measure, "measure", 3*time.Minute, "how long to measure, after every source has been polled once")
	flag.StringVar(&o.bin, "bin", "", "the tributary binary (scripts/fleet builds it)")
	flag.StringVar(&o.corpus, "corpus", feedgen.DefaultCorpus(), "directory of real feeds whose item bodies the fleet's entries carry")
	flag.StringVar(&o.dir, "dir", "", "working directory for the config and store (default: a new temporary one)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory")
	flag.Parse()
	if o.bin == "" || o.n < 1 || o.entries < 1 || o.newShare <= 0 || o.newShare > 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := run(ctx, o)
	if err != nil {
		log.Fatalf("fleet: %v", err)
	}
	r.print(os.Stdout)
}

func run(ctx context.Context, o options) (*report, error) {
	pool, err := feedgen.LoadPool(o.corpus)
	if err != nil {
		return nil, err
	}
	if o.dir == "" {
		if o.dir, err = os.MkdirTemp("", "tributary-fleet-"); err != nil {
			return nil, err
		}
		if !o.keep {
			defer os.RemoveAll(o.dir)
		}
	}
	up := newUpstream(o.n, o.entries, o.newShare, pool, time.Now())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: up, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	cfg, err := writeConfig(o, ln.Addr().String())
	if err != nil {
		return nil, err
	}
	stored := 0
	if o.items > 0 {
		up.fresh.Store(true)
		for stored < o.items {
			log.Printf("filling the store: %d of %d items", stored, o.items)
			if err := fetchOnce(ctx, o.bin, cfg); err != nil {
				return nil, err
			}
			if stored, err = countItems(o.dir); err != nil {
				return nil, err
			}
		}
		up.fresh.Store(false)
	}
	d, err := startDaemon(ctx, o.bin, cfg)
	if err != nil {
		return nil, err
	}
	defer d.stop()

	// Warm up: every source polled once (the start-up round), then the
	// next minute's round begun.
	log.Printf("daemon running (pid %d); waiting for the start-up round of %d polls", d.cmd.Process.Pid, o.n)
	if err := d.waitPolls(ctx, o.n); err != nil {
		return nil, err
	}
	next := time.Now().Truncate(time.Minute).Add(time.Minute)
	if err := sleep(ctx, time.Until(next)); err != nil {
		return nil, err
	}
	log.Printf("measuring for %s", o.measure)
	r := &report{options: o, itemsBefore: stored}
	cpu0, err := cpuSeconds(d.cmd.Process.Pid)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := sleep(ctx, o.measure); err != nil {
		return nil, err
	}
	t1 := time.Now()
	cpu1, err := cpuSeconds(d.cmd.Process.Pid)
	if err != nil {
		return nil, err
	}
	if r.peakRSS, err = peakRSS(d.cmd.Process.Pid); err != nil {
		return nil, err
	}
	r.seconds, r.cpu = t1.Sub(t0).Seconds(), cpu1-cpu0
	r.polls, r.notModified, r.itemsNew, r.durations = d.between(t0, t1)
	if r.itemsAfter, err = countItems(o.dir); err != nil {
		return nil, err
	}
	r.skipped = d.skipped()
	return r, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
