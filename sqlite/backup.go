package sqlite

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"tributary/store"

	"golang.org/x/sys/unix"
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

// Usage returns the store's size and the free space on its file system,
// which `tributary status` shows: a full disk cannot be recorded in the
// store it fills.
func (d *DB) Usage() (store.Usage, error) {
	u := store.Usage{Path: d.path}
	for _, p := range []string{d.path, d.path + "-wal"} {
		if info, err := os.Stat(p); err == nil {
			u.Size += info.Size()
		}
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(d.path), &fs); err != nil {
		return u, d.errorf("statfs: %w", err)
	}
	u.Free = fs.Bavail * uint64(fs.Bsize)
	return u, nil
}
