package cli

import (
	"context"
	"errors"
	"log/slog"
	"tributary/topic"

	"tributary/config"
)

// reload re-reads the config file and applies what can change without a
// restart: sources (the scheduler adds, removes and changes their jobs),
// topics (items refiled, feeds rendered again) and retention. On any
// problem the running config stays and every problem is logged. A poll in
// flight finishes as it began.
func (d *daemon) reload(ctx context.Context, path string) error {
	cfg, err := config.LoadResolved(path, d.e.getenv)
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				d.log.Error("reload rejected: config problem", "problem", e.Error())
			}
		} else {
			d.log.Error("reload rejected", slog.Any("err", err))
		}
		return err
	}
	// Against the config the daemon started with: what takes a restart
	// still runs as it was then, so a change reverted is no change.
	for _, key := range cfg.RestartKeys(d.started) {
		d.log.Warn("reload: this change takes a restart", "key", key)
	}
	topics, pubTopics, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	sources := buildSources(cfg)
	d.agg.SetFullTextSources(sources)
	if err := d.sched.Update(sources); err != nil {
		d.log.Error("reload rejected", slog.Any("err", err))
		return err
	}
	if err := learnSections(ctx, d.store, topics, d.e.now(), d.log); err != nil {
		return err
	}
	// Polls from now on file under the new rules; then the stored items.
	d.agg.SetTopics(topics)
	if err := applySources(ctx, d.store, cfg, topics, d.log); err != nil {
		return err
	}
	rules, targets, batch := buildAlerts(cfg)
	d.agg.SetAlerts(rules)
	d.deliver.Set(targets, batch)
	mute, err := topic.NewMute(cfg.Mute) // Validate already rejected bad terms
	if err != nil {
		return err
	}
	d.setMute(mute)
	if err := d.pub.SetTopics(ctx, pubTopics); err != nil {
		return err
	}
	d.cfg.Store(cfg)
	d.log.Info("reloaded", "sources", len(sources), "topics", len(topics))
	return nil
}
