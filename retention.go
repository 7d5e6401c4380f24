package main

import (
	"context"
	"log/slog"
	"time"
)

// retentionEvery is how often old items are deleted.
const retentionEvery = time.Hour

// retain deletes items older than retention.items every hour (the first
// time a minute after start) until ctx is done; stories still in a
// published feed are kept whatever their age.
func (a *app) retain(ctx context.Context) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		t.Reset(retentionEvery)
		cfg := a.config()
		cutoff := a.now().Add(-time.Duration(cfg.Retention.Items))
		start := time.Now()
		items, stories, err := a.db.Prune(ctx, cutoff, cfg.Publish.Limit)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("retention failed", slog.Any("err", err))
		case items+stories > 0:
			a.log.Info("retention", "items_deleted", items, "stories_deleted", stories,
				"duration", time.Since(start).Round(time.Millisecond))
			a.pub.Changed(ctx, nil) // counts on the front page
		}
	}
}
