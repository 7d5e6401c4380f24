package aggregator

import (
	"context"
	"log/slog"
	"sort"
	"time"

	"tributary/dedupe"
	"tributary/news"
	"tributary/store"
)

// FollowFrom sets where following other replicas starts: the newest item
// id (store.Follower.LastItemID) read before the index was rebuilt.
func (a *Aggregator) FollowFrom(id int64) {
	a.write.Lock()
	a.followed = id
	a.write.Unlock()
}

// serialized runs fn under the shared store's assignment lock, once the
// index has caught up with the other replicas; on a store of one
// process, it just runs fn.
func (a *Aggregator) serialized(ctx context.Context, fn func(ctx context.Context) error) error {
	s, ok := a.store.(store.Follower)
	if !ok || a.holder == "" {
		return fn(ctx)
	}
	return s.Serialize(ctx, func(ctx context.Context) error {
		if _, err := a.catchUp(ctx, s); err != nil {
			return err
		}
		return fn(ctx)
	})
}

// catchUp adds to the index the items other replicas stored since it last
// looked, and returns the topics they touched (nil for none; the
// catch-all, always touched by a new item, is not listed); a.write is
// held.
func (a *Aggregator) catchUp(ctx context.Context, s store.Follower) ([]string, error) {
	touched := map[string]bool{}
	var newest time.Time
	last, err := s.ItemsAfter(ctx, a.followed, dedupe.SummaryPrefix, func(it *news.Item) {
		newest = it.Fetched
		a.index.Add(it)
		for _, t := range it.Topics {
			touched[t] = true
		}
	})
	if err != nil {
		return nil, err
	}
	if last <= a.followed {
		a.replica.lag.Store(0) // nothing new: up to date
		return nil, nil
	}
	a.replica.lag.Store(int64(max(0, a.now().Sub(newest))))
	a.followed = max(a.followed, last)
	topics := make([]string, 0, len(touched))
	for t := range touched {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	return topics, nil
}

// Follow keeps this replica up with the others on a shared store until
// ctx ends: every interval it adds the items they stored to its dedupe
// index and tells the publisher which topics changed, so every replica's
// feeds follow every replica's polls within about interval. On a store of
// one process it returns at once.
func (a *Aggregator) Follow(ctx context.Context, interval time.Duration) {
	s, ok := a.store.(store.Follower)
	if !ok || a.holder == "" {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		a.write.Lock()
		topics, err := a.catchUp(ctx, s)
		a.write.Unlock()
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("following other replicas", slog.Any("err", err))
		case topics != nil && a.listener != nil:
			a.listener.Changed(ctx, topics)
		}
	}
}
