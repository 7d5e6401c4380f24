package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the database to path with VACUUM
// INTO, which reads one snapshot while writers carry on. It refuses to
// overwrite an existing file, and returns the copy's size.
func (d *DB) Backup(ctx context.Context, path string) (int64, error) {
	if _, err := os.Stat(path); err == nil {
		return 0, d.errorf("backup: %s exists; remove it or choose another path", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, d.errorf("backup: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return 0, d.errorf("backup to %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, d.errorf("backup: %w", err)
	}
	return info.Size(), nil
}
