package aggregator

import (
	"context"
	"log/slog"
	"time"
	"tributary/store"
)

// RetentionOptions tune a Retention.
type RetentionOptions struct {
	// MaxAge is how long items are kept after their published time; it is
	// read at every run, so a reload applies. Required.
	MaxAge func() time.Duration
	// Keep is how many of each topic's newest stories are published: they
	// are never deleted, whatever their age. Ask the publisher: its limit
	// is the one in force until a restart. Required.
	Keep func() int
	// Listener, when set, hears that stories were deleted.
	Listener Listener
	// Leader, when set, says whether this replica runs retention now:
	// replicas sharing a store run it one at a time.
	Leader func(ctx context.Context) bool
	// Halted, when set, says why nothing may be deleted now (the store
	// found damaged), or nil.
	Halted func() error
	// First and Every space the runs; defaults a minute and an hour.
	First, Every time.Duration
	Now          func() time.Time
}

// Retention deletes old items on a schedule.
type Retention struct {
	store store.Store
	log   *slog.Logger
	opts  RetentionOptions
}

// NewRetention returns a retention job over store.
func NewRetention(st store.Store, logger *slog.Logger, opts RetentionOptions) *Retention {
	if opts.First <= 0 {
		opts.First = time.Minute
	}
	if opts.Every <= 0 {
		opts.Every = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Retention{store: st, log: logger.With("component", "retention"), opts: opts}
}

// Run deletes old items every Every (the first time after First) until
// ctx is done. A failed run is logged and tried again at the next.
func (r *Retention) Run(ctx context.Context) {
	t := time.NewTimer(r.opts.First)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		t.Reset(r.opts.Every)
		if err := r.Once(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("retention failed", slog.Any("err", err))
		}
	}
}

// Once deletes the items older than MaxAge now, but those of published
// stories.
func (r *Retention) Once(ctx context.Context) error {
	if r.opts.Leader != nil && !r.opts.Leader(ctx) {
		return nil // another replica runs it
	}
	if r.opts.Halted != nil && r.opts.Halted() != nil {
		return nil // the store is not to be written
	}
	cutoff := r.opts.Now().Add(-r.opts.MaxAge())
	start := time.Now()
	items, stories, err := r.store.Prune(ctx, cutoff, r.opts.Keep())
	if err != nil {
		return err
	}
	if items+stories > 0 {
		r.log.Info("old items deleted", "items_deleted", items, "stories_deleted", stories,
			"duration", time.Since(start).Round(time.Millisecond))
		if r.opts.Listener != nil {
			r.opts.Listener.Changed(ctx, nil) // counts on the front page
		}
	}
	return nil
}
