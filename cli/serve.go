package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
)

// shutdownGrace bounds draining HTTP connections at stop.
const shutdownGrace = 10 * time.Second

// followEvery is how often a replica on a shared store picks up what the
// others stored: their changes reach its feeds within about this.
const followEvery = 2 * time.Second

func serveCommand() command {
	return command{name: "serve", usage: "[serve] [-config FILE]   run the daemon", run: runServe}
}

// runServe runs the daemon until ctx is cancelled: the scheduler polls,
// the HTTP servers serve, SIGHUP reloads the config. On stop, polls are
// cancelled, HTTP is drained and the store is closed.
func runServe(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "serve", configPath)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *path, true)
	if err != nil {
		return err
	}
	d, err := newDaemon(ctx, e, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	servers, listeners, err := d.listen()
	if err != nil {
		return err
	}
	if e.hooks.serving != nil {
		e.hooks.serving(d)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP) // before READY: a reload never kills us
	defer signal.Stop(hup)

	sd := systemd{log: d.log}
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range servers {
		g.Go(func() error {
			if err := s.Serve(listeners[i]); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http: %w", err)
			}
			return nil
		})
	}
	if e.getenv("GOGC") == "" {
		g.Go(func() error { tuneGC(gctx); return nil })
	}
	g.Go(func() error { return d.sched.Run(gctx) })
	g.Go(func() error { d.agg.Follow(gctx, followEvery); return nil })
	g.Go(func() error { d.agg.RunSettle(gctx); return nil })
	g.Go(func() error { d.deliver.Run(gctx); return nil })
	// Articles a poll queued before a restart, or that `fetch` left.
	if n, err := d.agg.RequeueFullText(ctx, buildSources(cfg)); err != nil {
		d.log.Warn("full text queue not read", slog.Any("err", err))
	} else if n > 0 {
		d.log.Info("full text: items queued before the restart", "items", n)
	}
	g.Go(func() error { d.agg.ExtractFullText(gctx); return nil })
	g.Go(func() error { return d.pub.Run(gctx) })
	g.Go(func() error { d.pub.RunRerank(gctx); return nil })
	g.Go(func() error { d.retention.Run(gctx); return nil })
	g.Go(func() error { d.watchIntegrity(gctx); return nil })
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return nil
			case <-hup:
				sd.send("RELOADING=1")
				d.log.Info("reloading", "config", *path)
				err := d.reload(gctx, *path) // problems are logged; the old config stays
				sd.send("READY=1")
				sd.send("STATUS=" + d.statusLine(gctx))
				if e.hooks.reloaded != nil {
					e.hooks.reloaded(err)
				}
			}
		}
	})
	sd.send("READY=1") // the store is open and every listener bound
	g.Go(func() error { sd.watchdog(gctx, d.alive, d.statusLine); return nil })
	g.Go(func() error {
		<-gctx.Done()
		d.log.Info("stopping")
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
	d.log.Info("stopped")
	return err
}

// listen binds the public listener and, unless metrics_listen is "", the
// operators' one, and returns a server for each.
func (d *daemon) listen() ([]*http.Server, []net.Listener, error) {
	cfg := d.cfg.Load()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("listen: %w", err)
	}
	d.addr = ln.Addr().String()
	d.log.Info("listening", "addr", "http://"+d.addr, "version", version)
	servers := []*http.Server{{
		Handler:           d.pub.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}}
	listeners := []net.Listener{ln}
	if cfg.MetricsListen == "" {
		return servers, listeners, nil
	}
	ops, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		ln.Close()
		return nil, nil, fmt.Errorf("metrics listen: %w", err)
	}
	d.opsAddr = ops.Addr().String()
	d.log.Info("metrics listening", "addr", "http://"+d.opsAddr+"/metrics")
	servers = append(servers, &http.Server{Handler: d.pub.OpsHandler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second})
	return servers, append(listeners, ops), nil
}
