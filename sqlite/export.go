package sqlite

import (
	"context"
	"strings"
)

// exportBatch is how many rows Export hands over at once.
const exportBatch = 1000

// Export reads the named tables' columns in one snapshot, calling put
// with batches of rows, table after table in the order given: for
// `tributary migrate-store`. It returns each table's row count.
func (d *DB) Export(ctx context.Context, tables []string, columns [][]string, put func(table int, rows [][]any) error) (map[string]int64, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.errorf("export: %w", err)
	}
	defer tx.Rollback()
	counts := map[string]int64{}
	for i, table := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(columns[i], ", ")+` FROM `+table)
		if err != nil {
			return nil, d.errorf("export %s: %w", table, err)
		}
		var batch [][]any
		for rows.Next() {
			vals := make([]any, len(columns[i]))
			ptrs := make([]any, len(vals))
			for j := range vals {
				ptrs[j] = &vals[j]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, d.errorf("export %s: %w", table, err)
			}
			batch = append(batch, vals)
			counts[table]++
			if len(batch) == exportBatch {
				if err := put(i, batch); err != nil {
					rows.Close()
					return nil, err
				}
				batch = nil
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, d.errorf("export %s: %w", table, err)
		}
		if len(batch) > 0 {
			if err := put(i, batch); err != nil {
				return nil, err
			}
		}
	}
	return counts, nil
}
