package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"tributary/aggregator"
)

// shutdownGrace bounds draining HTTP connections at stop.
const shutdownGrace = 10 * time.Second

// runServe runs the daemon until ctx is cancelled: the scheduler polls, the
// HTTP server serves. On stop, polls are cancelled, HTTP is drained and the
// store is closed.
func runServe(ctx context.Context, configPath string, stdout, stderr io.Writer, now func() time.Time) error {
	a, err := openApp(ctx, configPath, stderr, now, false)
	if err != nil {
		return err
	}
	defer a.Close()

	sched, err := aggregator.NewScheduler(a.agg, a.sources, a.cfg.Fetch.Jitter, a.log)
	if err != nil {
		return err
	}
	a.sched = sched
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	servers := []*http.Server{}
	var metricsLn net.Listener
	if a.cfg.MetricsListen != "" {
		if metricsLn, err = net.Listen("tcp", a.cfg.MetricsListen); err != nil {
			ln.Close()
			return fmt.Errorf("metrics listen: %w", err)
		}
		a.log.Info("metrics listening", "addr", "http://"+metricsLn.Addr().String()+"/metrics")
	}
	srv := &http.Server{
		Handler:           a.pub.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	a.log.Info("listening", "addr", "http://"+ln.Addr().String(), "version", version)
	servers = append(servers, srv)
	if metricsLn != nil {
		servers = append(servers, &http.Server{Handler: a.pub.OpsHandler(), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second})
	}
	lns := []net.Listener{ln, metricsLn}

	sd := notifier{log: a.log}
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range servers {
		g.Go(func() error {
			if err := s.Serve(lns[i]); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http: %w", err)
			}
			return nil
		})
	}
	g.Go(func() error { return sched.Run(gctx) })
	g.Go(func() error { return a.pub.Run(gctx) })
	g.Go(func() error {
		a.retain(gctx)
		return nil
	})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP) // before READY: a reload never kills us
	defer signal.Stop(hup)
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return nil
			case <-hup:
				sd.send("RELOADING=1")
				a.log.Info("reloading", "config", configPath)
				a.reload(gctx, configPath) // problems are logged; the old config stays
				sd.send("READY=1")
				sd.send("STATUS=" + a.statusLine(gctx))
			}
		}
	})
	// The store is open and every listener bound: ready.
	sd.send("READY=1")
	g.Go(func() error {
		sd.watchdog(gctx, a.alive, a.statusLine)
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		a.log.Info("stopping")
		sd.send("STOPPING=1")
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
		defer cancel()
		var errs []error
		for _, s := range servers {
			errs = append(errs, s.Shutdown(sctx))
		}
		return errors.Join(errs...)
	})
	err = g.Wait()
	a.log.Info("stopped")
	return err
}
