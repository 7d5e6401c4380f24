package aggregator

import (
	"context"
	"sync/atomic"
	"time"

	"tributary/news"
	"tributary/store"
)

// leaseSlack is what a lease adds to three times the source's timeout: a
// poll waits for a fetch slot and a parse slot, fetches, parses and
// stores within it.
const leaseSlack = 10 * time.Second

// claim claims src's poll for this replica when the store is shared. It
// returns whether the poll may go on and, when it claimed, the release to
// run after the poll. The fetch state it returns replaces what this
// replica remembered, and entries another replica stored are forgotten:
// another replica may have polled the source since.
func (a *Aggregator) claim(ctx context.Context, src news.Source, due, now time.Time) (bool, func(), error) {
	l, ok := a.store.(store.Leaser)
	if !ok || a.holder == "" {
		return true, nil, nil
	}
	period := 3*src.Timeout + leaseSlack
	c, err := l.Claim(ctx, src.Name, a.holder, due, now, period)
	if err != nil || !c.Claimed {
		return false, nil, err
	}
	a.replica.held.Add(1)
	if c.TookOver {
		a.replica.takeovers.Add(1)
		a.log.Info("lease taken over from a replica that let it expire", "source", src.Name)
	}
	a.states.set(src.Name, c.State)
	if c.LastBy != a.holder {
		a.known.forget(src.Name)
	}
	return true, func() {
		a.replica.held.Add(-1)
		if err := l.Release(context.WithoutCancel(ctx), src.Name, a.holder); err != nil {
			a.log.Warn("lease not released: it expires on its own", "source", src.Name, "err", err)
		}
	}, nil
}

// replicaStats are what a replica on a shared store reports.
type replicaStats struct {
	held      atomic.Int64 // leases held now: polls in flight
	takeovers atomic.Int64 // leases taken from replicas that let them expire
	lag       atomic.Int64 // nanoseconds between the newest item another replica stored and this one's reading it, at the last catch-up; 0 when it found nothing new
}

// ReplicaStats is what a replica on a shared store reports: the leases it
// holds now, the leases it took over from replicas that let them expire,
// and how far behind the others' items it read at its last catch-up (0
// when that catch-up found nothing new).
type ReplicaStats struct {
	Shared    bool // the store is shared (PostgreSQL): the rest means something
	Leases    int64
	Takeovers int64
	Lag       time.Duration
}

// Replica returns this replica's figures.
func (a *Aggregator) Replica() ReplicaStats {
	_, shared := a.store.(store.Leaser)
	return ReplicaStats{Shared: shared && a.holder != "", Leases: a.replica.held.Load(),
		Takeovers: a.replica.takeovers.Load(), Lag: time.Duration(a.replica.lag.Load())}
}
