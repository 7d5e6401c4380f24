package main

import (
	"context"
	"log/slog"
	"time"
)

// retentionEvery is how often old items are deleted.
const retentionEvery = time.Hour

// retain deletes old items every hour (the first time a minute after
// start) until ctx is done.
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
		if err := a.retainOnce(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("retention failed", slog.Any("err", err))
		}
	}
}

// retainOnce deletes items older than retention.items, but never those of
// a story the publisher shows: it asks the publisher, whose limit is the
// one in force until a restart, not a reloaded config's.
func (a *app) retainOnce(ctx context.Context) error {
	cutoff := a.now().Add(-time.Duration(a.config().Retention.Items))
	start := time.Now()
	items, stories, err := a.db.Prune(ctx, cutoff, a.pub.Keep())
	if err != nil {
		return err
	}
	if items+stories > 0 {
		a.log.Info("retention", "items_deleted", items, "stories_deleted", stories,
			"duration", time.Since(start).Round(time.Millisecond))
		a.pub.Changed(ctx, nil) // counts on the front page
	}
	return nil
}
