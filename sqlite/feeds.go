package sqlite

import (
	"context"

	"tributary/news"
)

// FeedStates returns what the publisher kept of every document it
// published: its ETag and when its content last changed.
func (d *DB) FeedStates(ctx context.Context) (map[string]news.FeedState, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name, etag, modified FROM feeds`)
	if err != nil {
		return nil, d.errorf("feed states: %w", err)
	}
	defer rows.Close()
	out := map[string]news.FeedState{}
	for rows.Next() {
		var f news.FeedState
		var modified int64
		if err := rows.Scan(&f.Name, &f.ETag, &modified); err != nil {
			return nil, d.errorf("feed states: %w", err)
		}
		f.Modified = fromNanos(modified)
		out[f.Name] = f
	}
	if err := rows.Err(); err != nil {
		return nil, d.errorf("feed states: %w", err)
	}
	return out, nil
}

// SaveFeedStates records documents' states, replacing those of the same
// names, in one transaction.
func (d *DB) SaveFeedStates(ctx context.Context, states []news.FeedState) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.errorf("save feed states: %w", err)
	}
	defer tx.Rollback()
	for _, f := range states {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (name, etag, modified) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, modified = excluded.modified`,
			f.Name, f.ETag, nanos(f.Modified)); err != nil {
			return d.errorf("save feed state %s: %w", f.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return d.errorf("save feed states: %w", err)
	}
	return nil
}
