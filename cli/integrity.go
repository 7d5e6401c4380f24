package cli

import (
	"context"
	"log/slog"
	"time"
	"tributary/store"
)

// integrityEvery is how often the daemon checks its store again after
// the check at start. A check reads the whole file once (about a second
// per few hundred MB, see sqlite.BenchmarkCheckIntegrity) while polls go
// on writing.
const integrityEvery = 6 * time.Hour

// checkIntegrity checks st when it can check itself, else says nothing.
func checkIntegrity(ctx context.Context, st store.Store) error {
	if c, ok := st.(store.Checker); ok {
		return c.CheckIntegrity(ctx)
	}
	return nil
}

const damagedMsg = "store damaged: polls halted, feeds still served; see the README, \"A damaged store\""

// damaged halts polls (writing into a damaged store can only spread the
// damage) and says why, once; /readyz and status then report it.
func (d *daemon) damaged(err error) {
	if d.agg.Halted() == nil {
		d.log.Error(damagedMsg, slog.Any("err", err))
	}
	d.agg.Halt(err)
}

// watchIntegrity checks the store every integrityEvery until ctx ends.
func (d *daemon) watchIntegrity(ctx context.Context) {
	if _, ok := d.store.(store.Checker); !ok {
		return
	}
	t := time.NewTicker(integrityEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := checkIntegrity(ctx, d.store); err != nil && ctx.Err() == nil {
				d.damaged(err)
			}
		}
	}
}
