package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Table is a table both stores hold under one name and columns: what
// `tributary migrate-store` copies.
type Table struct {
	Name    string
	Columns []string
}

// Tables are the tables a store's content lives in, in the order they can
// be filled (a table after those it refers to). story_topics is derived:
// the triggers fill it from item_topics.
func Tables() []Table {
	return []Table{
		{"sources", []string{"name", "url", "priority", "etag", "last_modified", "last_poll", "last_success", "last_error",
			"failures", "not_before", "moved_from", "moved_to", "retired", "title", "site"}},
		{"stories", []string{"key", "published", "updated"}},
		{"items", []string{"id", "source", "guid", "story", "link", "url", "title", "summary", "content", "author",
			"categories", "image", "enclosures", "published", "updated", "fetched", "hash"}},
		{"item_topics", []string{"topic", "item_id"}},
		{"meta", []string{"key", "value"}},
		{"feeds", []string{"name", "etag", "modified"}},
	}
}

// Put copies rows into a table of the import in progress.
type Put func(table Table, rows [][]any) error

// Import fills an empty store in one transaction: fill calls put with
// each table's rows, in Tables order, as many times as it likes; then the
// item ids go on from the largest copied, and each table's rows are
// counted. Nothing is kept unless fill and every copy succeed. It returns
// the rows each table holds.
func (d *DB) Import(ctx context.Context, fill func(put Put) error) (map[string]int64, error) {
	counts := map[string]int64{}
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM sources)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the database already holds %d sources and items: import into an empty one", n)
		}
		put := func(t Table, rows [][]any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromRows(rows))
			if err != nil {
				return fmt.Errorf("%s: %w", t.Name, err)
			}
			return nil
		}
		if err := fill(put); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('items', 'id'), coalesce(max(id), 0) + 1, false) FROM items`); err != nil {
			return err
		}
		for _, t := range append(Tables(), Table{Name: "story_topics"}) {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t.Name}.Sanitize()).Scan(&n); err != nil {
				return err
			}
			counts[t.Name] = n
		}
		return nil
	})
	if err != nil {
		return nil, d.errorf("import: %w", err)
	}
	return counts, nil
}
