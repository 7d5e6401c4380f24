package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tributary/news"
)

// SyncSources records the configured sources' URL and priority. Sources no
// longer configured keep their rows, so their items stay.
func (d *DB) SyncSources(ctx context.Context, srcs []news.Source) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.errorf("sync sources: %w", err)
	}
	defer tx.Rollback()
	for _, s := range srcs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (name, url, priority) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET url = excluded.url, priority = excluded.priority`,
			s.Name, s.URL, s.Priority); err != nil {
			return d.errorf("sync source %s: %w", s.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return d.errorf("sync sources: %w", err)
	}
	return nil
}

// FetchState returns what is remembered about the source, the zero value
// for a source never polled.
func (d *DB) FetchState(ctx context.Context, source string) (news.FetchState, error) {
	var st news.FetchState
	var lastPoll, lastSuccess, notBefore int64
	err := d.db.QueryRowContext(ctx, `SELECT etag, last_modified, last_poll, last_success, last_error, failures,
			not_before, moved_from, moved_to, retired
		FROM sources WHERE name = ?`, source).
		Scan(&st.ETag, &st.LastModified, &lastPoll, &lastSuccess, &st.LastError, &st.Failures,
			&notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, d.errorf("fetch state %s: %w", source, err)
	}
	st.LastPoll, st.LastSuccess, st.NotBefore = fromNanos(lastPoll), fromNanos(lastSuccess), fromNanos(notBefore)
	return st, nil
}

// saveState records a poll's fetch state, and what its document said of
// the source.
func saveState(ctx context.Context, tx *sql.Tx, p *news.Poll) error {
	source, url, st := p.Source, p.URL, p.State
	_, err := tx.ExecContext(ctx, `INSERT INTO sources (name, url, etag, last_modified, last_poll, last_success, last_error,
			failures, not_before, moved_from, moved_to, retired)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			last_poll = excluded.last_poll, last_success = excluded.last_success,
			last_error = excluded.last_error, failures = excluded.failures, not_before = excluded.not_before,
			moved_from = excluded.moved_from, moved_to = excluded.moved_to, retired = excluded.retired`,
		source, url, st.ETag, st.LastModified, nanos(st.LastPoll), nanos(st.LastSuccess), st.LastError, st.Failures,
		nanos(st.NotBefore), st.MovedFrom, st.MovedTo, st.Retired)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if p.Feed != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE sources SET title = ?, site = ? WHERE name = ?`,
			p.Feed.Title, p.Feed.Site, source); err != nil {
			return fmt.Errorf("save feed info: %w", err)
		}
	}
	return nil
}

// nanos and fromNanos are the stores' one way to keep a time (news.Nanos).
func nanos(t time.Time) int64     { return news.Nanos(t) }
func fromNanos(n int64) time.Time { return news.FromNanos(n) }
