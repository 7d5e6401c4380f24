package postgres

import (
	"context"
	"fmt"
	"tributary/store"

	"github.com/jackc/pgx/v5"
)

// Put copies rows into a table of the import in progress.
type Put func(table store.Table, rows [][]any) error

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
		put := func(t store.Table, rows [][]any) error {
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
		for _, t := range append(store.Tables(), store.Table{Name: "story_topics"}) {
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
