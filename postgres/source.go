package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tributary/news"
)

// SyncSources records the configured sources' URL and priority. Sources no
// longer configured keep their rows, so their items stay.
func (d *DB) SyncSources(ctx context.Context, srcs []news.Source) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, s := range srcs {
			if _, err := tx.Exec(ctx, `INSERT INTO sources (name, url, priority) VALUES ($1, $2, $3)
				ON CONFLICT (name) DO UPDATE SET url = excluded.url, priority = excluded.priority`,
				s.Name, s.URL, s.Priority); err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return d.errorf("sync sources: %w", err)
	}
	return nil
}

// FetchState returns what is remembered about the source, the zero value
// for a source never polled.
func (d *DB) FetchState(ctx context.Context, source string) (news.FetchState, error) {
	var st news.FetchState
	var lastPoll, lastSuccess, notBefore int64
	err := d.pool.QueryRow(ctx, `SELECT etag, last_modified, last_poll, last_success, last_error, failures,
			not_before, moved_from, moved_to, retired
		FROM sources WHERE name = $1`, source).
		Scan(&st.ETag, &st.LastModified, &lastPoll, &lastSuccess, &st.LastError, &st.Failures,
			&notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired)
	if isAbsent(err) {
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
func saveState(ctx context.Context, tx pgx.Tx, p *news.Poll) error {
	st := p.State
	_, err := tx.Exec(ctx, `INSERT INTO sources (name, url, etag, last_modified, last_poll, last_success, last_error,
			failures, not_before, moved_from, moved_to, retired)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			last_poll = excluded.last_poll, last_success = excluded.last_success,
			last_error = excluded.last_error, failures = excluded.failures, not_before = excluded.not_before,
			moved_from = excluded.moved_from, moved_to = excluded.moved_to, retired = excluded.retired`,
		p.Source, p.URL, st.ETag, st.LastModified, nanos(st.LastPoll), nanos(st.LastSuccess), st.LastError, st.Failures,
		nanos(st.NotBefore), st.MovedFrom, st.MovedTo, st.Retired)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if p.Feed != nil {
		if _, err := tx.Exec(ctx, `UPDATE sources SET title = $1, site = $2 WHERE name = $3`,
			p.Feed.Title, p.Feed.Site, p.Source); err != nil {
			return fmt.Errorf("save feed info: %w", err)
		}
	}
	return nil
}

// Sources returns every source the store knows, by name.
func (d *DB) Sources(ctx context.Context) ([]news.SourceRecord, error) {
	rows, err := d.pool.Query(ctx, `SELECT s.name, s.url, s.priority, s.title, s.site, s.etag, s.last_modified, s.last_poll,
			s.last_success, s.last_error, s.failures, s.not_before, s.moved_from, s.moved_to, s.retired,
			(SELECT count(*) FROM items i WHERE i.source = s.name)
		FROM sources s ORDER BY s.name`)
	if err != nil {
		return nil, d.errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []news.SourceRecord
	for rows.Next() {
		var r news.SourceRecord
		var lastPoll, lastSuccess, notBefore int64
		st := &r.State
		if err := rows.Scan(&r.Name, &r.URL, &r.Priority, &r.Title, &r.Site, &st.ETag, &st.LastModified, &lastPoll,
			&lastSuccess, &st.LastError, &st.Failures, &notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired, &r.Items); err != nil {
			return nil, d.errorf("sources: %w", err)
		}
		st.LastPoll, st.LastSuccess, st.NotBefore = fromNanos(lastPoll), fromNanos(lastSuccess), fromNanos(notBefore)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, d.errorf("sources: %w", err)
	}
	return out, nil
}

// Priorities returns every known source's priority.
func (d *DB) Priorities(ctx context.Context) (map[string]int, error) {
	rows, err := d.pool.Query(ctx, `SELECT name, priority FROM sources`)
	if err != nil {
		return nil, d.errorf("priorities: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var p int
		if err := rows.Scan(&name, &p); err != nil {
			return nil, d.errorf("priorities: %w", err)
		}
		out[name] = p
	}
	return out, rows.Err()
}

// nanos and fromNanos are the stores' one way to keep a time (news.Nanos).
func nanos(t time.Time) int64     { return news.Nanos(t) }
func fromNanos(n int64) time.Time { return news.FromNanos(n) }
