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

// Followed is how far a replica has followed the others: the newest
// item and story move it has read.
type Followed struct {
	Item, Move int64
}

// FollowFrom sets where following other replicas starts: the newest item
// and move ids (store.Follower.LastItemID, LastMoveID) read before the
// index was rebuilt.
func (a *Aggregator) FollowFrom(f Followed) {
	a.write.Lock()
	a.followed = f
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
	last, err := s.ItemsAfter(ctx, a.followed.Item, dedupe.TextChars, func(it *news.Item) {
		newest = it.Fetched
		a.index.Add(it)
		for _, t := range it.Topics {
			touched[t] = true
		}
	})
	if err != nil {
		return nil, err
	}
	// Then the stored items the others decided again, and the stories
	// they merged, in the order they did (a move of an item just added
	// with its story as it is now changes nothing).
	lastMove, err := s.MovesAfter(ctx, a.followed.Move, func(m store.Move) {
		if m.Source == "" {
			a.index.MergeStory(m.From, m.To)
		} else {
			a.index.Restory(m.Source, m.GUID, m.To)
		}
	})
	if err != nil {
		return nil, err
	}
	moved := lastMove > a.followed.Move
	a.followed.Move = lastMove
	if last <= a.followed.Item && !moved {
		a.replica.lag.Store(0) // nothing new: up to date
		return nil, nil
	}
	if last > a.followed.Item {
		a.replica.lag.Store(int64(max(0, a.now().Sub(newest))))
	}
	a.followed.Item = max(a.followed.Item, last)
	if moved { // stored stories changed: their topics are not at hand
		for _, t := range *a.topics.Load() {
			touched[t.Name] = true
		}
	}
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
