package sqlite

import "context"

// reclaim checkpoints the WAL into the database and returns free pages to
// the file system (the database is in incremental auto-vacuum mode).
func (d *DB) reclaim(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return d.errorf("checkpoint: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return d.errorf("incremental vacuum: %w", err)
	}
	return nil
}

// enableIncrementalVacuum switches a database to incremental auto-vacuum,
// which takes a VACUUM once (instant on a new, empty database).
func (d *DB) enableIncrementalVacuum(ctx context.Context) error {
	var mode int
	if err := d.db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return d.errorf("auto_vacuum: %w", err)
	}
	if mode == 2 {
		return nil
	}
	if _, err := d.db.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return d.errorf("auto_vacuum: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `VACUUM`); err != nil {
		return d.errorf("vacuum: %w", err)
	}
	return nil
}
