package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"tributary/aggregator"
)

// shutdownGrace bounds draining HTTP connections at stop.
const shutdownGrace = 10 * time.Second

// runServe runs the daemon until ctx is cancelled: the scheduler polls, the
// HTTP server serves. On stop, polls are cancelled, HTTP is drained and the
// store is closed.
func runServe(ctx context.Context, configPath string, stdout, stderr io.Writer) error {
	a, err := openApp(ctx, configPath, stderr)
	if err != nil {
		return err
	}
	defer a.Close()

	sched, err := aggregator.NewScheduler(a.agg, a.sources, a.cfg.Fetch.Jitter, a.log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           a.pub.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	a.log.Info("listening", "addr", "http://"+ln.Addr().String(), "version", version)

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http: %w", err)
		}
		return nil
	})
	g.Go(func() error { return sched.Run(gctx) })
	g.Go(func() error { return a.pub.Run(gctx) })
	g.Go(func() error {
		<-gctx.Done()
		a.log.Info("stopping")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	err = g.Wait()
	a.log.Info("stopped")
	return err
}
