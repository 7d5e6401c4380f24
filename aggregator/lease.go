package aggregator

import (
	"context"
	"time"

	"tributary/news"
)

// Leaser is a store several replicas share (PostgreSQL): each poll of a
// source is claimed, so no source is polled twice at once, and a round
// one replica polled is not polled again by another. A replica that dies
// holding a lease loses it when the lease expires.
type Leaser interface {
	// Claim takes source's lease for holder until now+period, unless
	// another holder's lease still runs or the source was polled at or
	// after due. It returns whether it did, the source's fetch state as
	// stored, and who polled it last.
	Claim(ctx context.Context, source, holder string, due, now time.Time, period time.Duration) (st news.FetchState, lastBy string, ok bool, err error)
	// Release gives holder's lease on source back, recording holder as
	// the one that polled it last.
	Release(ctx context.Context, source, holder string) error
}

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
	l, ok := a.store.(Leaser)
	if !ok || a.holder == "" {
		return true, nil, nil
	}
	period := 3*src.Timeout + leaseSlack
	st, by, claimed, err := l.Claim(ctx, src.Name, a.holder, due, now, period)
	if err != nil || !claimed {
		return false, nil, err
	}
	a.states.set(src.Name, st)
	if by != a.holder {
		a.known.forget(src.Name)
	}
	return true, func() {
		if err := l.Release(context.WithoutCancel(ctx), src.Name, a.holder); err != nil {
			a.log.Warn("lease not released: it expires on its own", "source", src.Name, "err", err)
		}
	}, nil
}
