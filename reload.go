package main

import (
	"context"
	"errors"
	"log/slog"

	"tributary/config"
)

// reload re-reads the config file and applies what can change without a
// restart: sources (cron jobs added, removed, changed), topics (refiled
// and every feed rendered again), and retention. On any problem the
// running config stays in force and every problem is logged. A poll in
// flight finishes as it began.
func (a *app) reload(ctx context.Context, path string) error {
	cfg, err := config.Load(path)
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				a.log.Error("reload rejected: config problem", "problem", e.Error())
			}
		} else {
			a.log.Error("reload rejected", slog.Any("err", err))
		}
		return err
	}
	old := a.config()
	for _, f := range []struct {
		key     string
		changed bool
	}{
		{"listen", cfg.Listen != old.Listen},
		{"metrics_listen", cfg.MetricsListen != old.MetricsListen},
		{"base_url", cfg.BaseURL != old.BaseURL},
		{"state_dir", cfg.StateDir != old.StateDir},
		{"log", cfg.Log != old.Log},
		{"fetch", cfg.Fetch != old.Fetch},
		{"dedupe", !sameDedupe(cfg.Dedupe, old.Dedupe)},
		{"publish", cfg.Publish != old.Publish},
	} {
		if f.changed {
			a.log.Warn("reload: this change takes a restart", "key", f.key)
		}
	}
	topics, pubTopics, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	sources := buildSources(cfg)
	if err := a.sched.Update(sources); err != nil {
		a.log.Error("reload rejected", slog.Any("err", err))
		return err
	}
	if err := a.db.SyncSources(ctx, sources); err != nil {
		return err
	}
	a.agg.SetTopics(topics)
	if err := a.refile(ctx, cfg.Topics, topics); err != nil {
		return err
	}
	if err := a.pub.SetTopics(ctx, pubTopics); err != nil {
		return err
	}
	a.setConfig(cfg)
	a.log.Info("reloaded", "sources", len(sources), "topics", len(topics))
	return nil
}

func sameDedupe(a, b config.Dedupe) bool {
	if a.Window != b.Window || a.Threshold != b.Threshold || a.StoryThreshold != b.StoryThreshold || len(a.Strip) != len(b.Strip) {
		return false
	}
	for i := range a.Strip {
		if a.Strip[i] != b.Strip[i] {
			return false
		}
	}
	return true
}
