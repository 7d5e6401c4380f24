package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrDamaged is a store whose file fails SQLite's integrity check.
var ErrDamaged = errors.New("sqlite: store damaged")

// CheckIntegrity runs SQLite's quick_check over the whole database: the
// structure of every page of every table and index, every record's
// format, NOT NULL and CHECK constraints — all but integrity_check's
// matching of each index entry to its row, which costs far more. It
// returns nil for a sound store, else ErrDamaged naming up to five of the
// problems found ("On tree page 4 cell 16: Extends off end of page").
//
// Its cost is one read of the whole file (BenchmarkCheckIntegrity), from
// a snapshot: polls go on writing meanwhile (WAL readers never block).
func (d *DB) CheckIntegrity(ctx context.Context) error {
	rows, err := d.db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return d.errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return d.errorf("integrity check: %w", err)
		}
		if msg != "ok" {
			for _, line := range strings.Split(msg, "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") {
					problems = append(problems, line)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return d.errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrDamaged, d.path, strings.Join(problems[:min(len(problems), 5)], "; "))
	}
	return nil
}
