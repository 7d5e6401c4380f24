package postgres

import (
	"context"
	"time"

	"tributary/news"
)

// Claim takes source's lease for holder until now+period, unless another
// holder's lease still runs or the source was polled at or after due
// (aggregator.Leaser). One UPDATE decides, under the row's lock, so two
// replicas claiming at once cannot both win. It returns the source's
// fetch state as stored and the replica that polled it last.
func (d *DB) Claim(ctx context.Context, source, holder string, due, now time.Time, period time.Duration) (news.FetchState, string, bool, error) {
	var st news.FetchState
	if _, err := d.pool.Exec(ctx, `INSERT INTO sources (name) VALUES ($1) ON CONFLICT DO NOTHING`, source); err != nil {
		return st, "", false, d.errorf("claim %s: %w", source, err)
	}
	var lastPoll, lastSuccess, notBefore int64
	var by string
	err := d.pool.QueryRow(ctx, `UPDATE sources SET lease_holder = $2, lease_expires = $4
		WHERE name = $1 AND (lease_holder IN ('', $2) OR lease_expires < $3) AND last_poll < $5
		RETURNING etag, last_modified, last_poll, last_success, last_error, failures,
			not_before, moved_from, moved_to, retired, polled_by`,
		source, holder, nanos(now), nanos(now.Add(period)), nanos(due)).
		Scan(&st.ETag, &st.LastModified, &lastPoll, &lastSuccess, &st.LastError, &st.Failures,
			&notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired, &by)
	if isAbsent(err) {
		return st, "", false, nil
	}
	if err != nil {
		return st, "", false, d.errorf("claim %s: %w", source, err)
	}
	st.LastPoll, st.LastSuccess, st.NotBefore = fromNanos(lastPoll), fromNanos(lastSuccess), fromNanos(notBefore)
	return st, by, true, nil
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
