package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tributary/news"
)

// SyncSources records the configured sources' URL and priority. Sources no
// longer configured keep their rows, so their items stay.
func (d *DB) SyncSources(ctx context.Context, srcs []news.Source) error {
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		for _, s := range srcs {
			// A configured title names the outlet at once, before any poll.
			if _, err := d.exec(ctx, tx, `INSERT INTO sources (name, url, priority, title) VALUES ($1, $2, $3, $4)
				ON CONFLICT (name) DO UPDATE SET url = excluded.url, priority = excluded.priority,
					title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE sources.title END`,
				s.Name, s.URL, s.Priority, s.Title); err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return d.Errorf("sync sources: %w", err)
	}
	return nil
}

// InTx runs fn in a transaction, committed when fn returns nil.
func (d *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// stateColumns are a source's fetch state, of sources as s.
const stateColumns = `s.etag, s.last_modified, s.last_poll, s.last_success, s.last_error, s.failures,
	s.not_before, s.moved_from, s.moved_to, s.retired`

// ScanState reads stateColumns, and what follows them, into st.
func ScanState(row interface{ Scan(...any) error }, st *news.FetchState, more ...any) error {
	var lastPoll, lastSuccess, notBefore int64
	dst := append([]any{&st.ETag, &st.LastModified, &lastPoll, &lastSuccess, &st.LastError, &st.Failures,
		&notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired}, more...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	st.LastPoll, st.LastSuccess, st.NotBefore = FromNanos(lastPoll), FromNanos(lastSuccess), FromNanos(notBefore)
	return nil
}

// StateColumns returns stateColumns for an engine's own query.
func StateColumns() string { return stateColumns }

// FetchState returns what is remembered about the source, the zero value
// for a source never polled.
func (d *DB) FetchState(ctx context.Context, source string) (news.FetchState, error) {
	var st news.FetchState
	err := ScanState(d.sql.QueryRowContext(ctx, d.Q(`SELECT `+stateColumns+` FROM sources s WHERE s.name = $1`), source), &st)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, d.Errorf("fetch state %s: %w", source, err)
	}
	return st, nil
}

// SaveState records a poll's fetch state, and what its document said of
// its outlet, in the poll's transaction (or alone, when that is all the
// poll changed).
func (d *DB) SaveState(ctx context.Context, tx Execer, p *Poll) error {
	st := p.State
	_, err := d.exec(ctx, tx, `INSERT INTO sources (name, url, etag, last_modified, last_poll, last_success, last_error,
			failures, not_before, moved_from, moved_to, retired)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
			last_poll = excluded.last_poll, last_success = excluded.last_success,
			last_error = excluded.last_error, failures = excluded.failures, not_before = excluded.not_before,
			moved_from = excluded.moved_from, moved_to = excluded.moved_to, retired = excluded.retired`,
		p.Source, p.URL, st.ETag, st.LastModified, Nanos(st.LastPoll), Nanos(st.LastSuccess), st.LastError, st.Failures,
		Nanos(st.NotBefore), st.MovedFrom, st.MovedTo, st.Retired)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if p.Outlet != nil {
		res, err := d.exec(ctx, tx, `UPDATE sources SET title = $1, site = $2 WHERE name = $3 AND (title <> $1 OR site <> $2)`,
			p.Outlet.Title, p.Outlet.Site, p.Source)
		if err != nil {
			return fmt.Errorf("save outlet: %w", err)
		}
		n, _ := res.RowsAffected()
		p.OutletChanged = n > 0
	}
	return nil
}

// Sources returns every source the store knows, by name.
func (d *DB) Sources(ctx context.Context) ([]news.SourceRecord, error) {
	var out []news.SourceRecord
	err := d.each(ctx, d.sql, `SELECT s.name, s.url, s.priority, s.title, s.site, `+stateColumns+`,
			(SELECT count(*) FROM items i WHERE i.source = s.name)
		FROM sources s ORDER BY s.name`, nil, func(rows *sql.Rows) error {
		var r news.SourceRecord
		st := &r.State
		var lastPoll, lastSuccess, notBefore int64
		if err := rows.Scan(&r.Name, &r.URL, &r.Priority, &r.Title, &r.Site, &st.ETag, &st.LastModified, &lastPoll,
			&lastSuccess, &st.LastError, &st.Failures, &notBefore, &st.MovedFrom, &st.MovedTo, &st.Retired, &r.Items); err != nil {
			return err
		}
		st.LastPoll, st.LastSuccess, st.NotBefore = FromNanos(lastPoll), FromNanos(lastSuccess), FromNanos(notBefore)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, d.Errorf("sources: %w", err)
	}
	return out, nil
}

// Priorities returns every known source's priority.
func (d *DB) Priorities(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := d.each(ctx, d.sql, `SELECT name, priority FROM sources`, nil, func(rows *sql.Rows) error {
		var name string
		var p int
		err := rows.Scan(&name, &p)
		out[name] = p
		return err
	})
	if err != nil {
		return nil, d.Errorf("priorities: %w", err)
	}
	return out, nil
}
