package postgres

import (
	"context"
	"time"
	"tributary/store"
)

// Claim takes source's lease for holder until now+period, unless another
// holder's lease still runs or the source was polled at or after due
// (store.Leaser). One UPDATE decides, under the row's lock, so two
// replicas claiming at once cannot both win. It returns the source's
// fetch state as stored and the replica that polled it last.
func (d *DB) Claim(ctx context.Context, source, holder string, due, now time.Time, period time.Duration) (store.Claim, error) {
	var c store.Claim
	if _, err := d.pool.Exec(ctx, `INSERT INTO sources (name) VALUES ($1) ON CONFLICT DO NOTHING`, source); err != nil {
		return c, d.errorf("claim %s: %w", source, err)
	}
	var before string
	row := d.pool.QueryRow(ctx, `UPDATE sources s SET lease_holder = $2, lease_expires = $4
		FROM (SELECT lease_holder FROM sources WHERE name = $1 FOR UPDATE) old
		WHERE s.name = $1 AND (s.lease_holder IN ('', $2) OR s.lease_expires < $3) AND s.last_poll < $5
		RETURNING `+store.StateColumns()+`, s.polled_by, old.lease_holder`,
		source, holder, store.Nanos(now), store.Nanos(now.Add(period)), store.Nanos(due))
	err := store.ScanState(row, &c.State, &c.LastBy, &before)
	if isAbsent(err) {
		return c, nil
	}
	if err != nil {
		return c, d.errorf("claim %s: %w", source, err)
	}
	c.Claimed, c.TookOver = true, before != "" && before != holder
	return c, nil
}

// Release gives holder's lease on source back, recording holder as the
// replica that polled it last.
func (d *DB) Release(ctx context.Context, source, holder string) error {
	if _, err := d.pool.Exec(ctx, `UPDATE sources SET lease_holder = '', lease_expires = 0, polled_by = $2
		WHERE name = $1 AND lease_holder = $2`, source, holder); err != nil {
		return d.errorf("release %s: %w", source, err)
	}
	return nil
}
