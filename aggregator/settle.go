package aggregator

import (
	"context"
	"log/slog"
	"time"

	"tributary/store"
)

// settleEvery is how often the daemon settles items with no poll to do
// it (Settle).
const settleEvery = time.Minute

// Settle decides for good, at at, the stories of the items whose settle
// period is over (dedupe.Options.Settle), as the next poll would before
// its own items, and writes the stored items and stories that moves.
// The daemon runs it every minute (RunSettle), so a story settles on
// time when no poll comes; `tributary fetch` runs it once at the end, a
// settle period ahead, so a one-off fetch leaves its stories final.
func (a *Aggregator) Settle(ctx context.Context, at time.Time) error {
	a.write.Lock()
	defer a.write.Unlock()
	moved := false
	err := a.serialized(ctx, func(ctx context.Context) error {
		b := a.index.Begin(at)
		res := b.AssignAll(nil)
		if len(res.Moves) == 0 {
			b.Commit()
			return nil
		}
		p := &store.Poll{Moves: make([]store.Move, len(res.Moves))}
		for i, m := range res.Moves {
			p.Moves[i] = store.Move(m)
		}
		// The stories moved are filed again from all they now hold.
		err := a.fileStories(ctx, *a.topics.Load(), p, nil, map[string]bool{})
		if err == nil {
			err = a.store.SaveMoves(ctx, p.Moves, p.Refiled, at)
		}
		if err != nil {
			b.Rollback()
			return err
		}
		b.Commit()
		moved = true
		return nil
	})
	if err != nil {
		return err
	}
	if moved && a.listener != nil { // stored stories changed: their topics are not at hand
		var all []string
		for _, t := range *a.topics.Load() {
			all = append(all, t.Name)
		}
		a.listener.Changed(ctx, all)
	}
	return nil
}

// RunSettle settles items every minute until ctx ends (Settle).
func (a *Aggregator) RunSettle(ctx context.Context) {
	t := time.NewTicker(settleEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := a.Settle(ctx, a.now()); err != nil && ctx.Err() == nil {
			a.log.Warn("settling stories", slog.Any("err", err))
		}
	}
}
