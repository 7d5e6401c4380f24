package store

import (
	"context"
	"database/sql"
	"strings"
)

// Table is a table every engine keeps alike, with the columns that move
// between engines (migrate-store); story_topics is derived, so absent.
type Table struct {
	Name    string
	Columns []string
}

// Tables returns the tables migrate-store copies, in an order that keeps
// foreign keys satisfied.
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

// exportBatch is how many rows Export hands over at once.
const exportBatch = 1000

// Export reads every table of Tables in one snapshot, calling put with
// batches of its rows, table after table: for `tributary migrate-store`.
// It returns each table's row count.
func (d *DB) Export(ctx context.Context, put func(t Table, rows [][]any) error) (map[string]int64, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	counts := map[string]int64{}
	for _, t := range Tables() {
		rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(t.Columns, ", ")+` FROM `+t.Name)
		if err != nil {
			return nil, d.Errorf("export %s: %w", t.Name, err)
		}
		var batch [][]any
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := put(t, batch)
			batch = nil
			return err
		}
		err = scanAll(rows, func(rows *sql.Rows) error {
			vals := make([]any, len(t.Columns))
			ptrs := make([]any, len(vals))
			for j := range vals {
				ptrs[j] = &vals[j]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			batch = append(batch, vals)
			counts[t.Name]++
			if len(batch) == exportBatch {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return nil, d.Errorf("export %s: %w", t.Name, err)
		}
	}
	return counts, nil
}
