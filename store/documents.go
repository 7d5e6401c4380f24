package store

import (
	"context"
	"database/sql"

	"tributary/news"
)

// DocumentStates returns what the publisher kept of every document it
// published: its ETag and when its content last changed.
func (d *DB) DocumentStates(ctx context.Context) (map[string]news.DocumentState, error) {
	out := map[string]news.DocumentState{}
	err := d.each(ctx, d.sql, `SELECT name, etag, modified FROM feeds`, nil, func(rows *sql.Rows) error {
		var f news.DocumentState
		var modified int64
		if err := rows.Scan(&f.Name, &f.ETag, &modified); err != nil {
			return err
		}
		f.Modified = FromNanos(modified)
		out[f.Name] = f
		return nil
	})
	if err != nil {
		return nil, d.Errorf("document states: %w", err)
	}
	return out, nil
}

// SaveDocumentStates records documents' states, replacing those of the
// same names, in one transaction.
func (d *DB) SaveDocumentStates(ctx context.Context, states []news.DocumentState) error {
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		for _, f := range states {
			if _, err := d.exec(ctx, tx, `INSERT INTO feeds (name, etag, modified) VALUES ($1, $2, $3)
				ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, modified = excluded.modified`,
				f.Name, f.ETag, Nanos(f.Modified)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return d.Errorf("save document states: %w", err)
	}
	return nil
}
