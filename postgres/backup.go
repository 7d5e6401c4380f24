package postgres

import (
	"context"
	"errors"
	"os"
	"os/exec"
)

// Backup writes a consistent copy of the database to path with pg_dump
// (custom format: restore it with pg_restore), refusing to overwrite a
// file, and returns its size. It needs PostgreSQL's client tools, and the
// URL the store was opened with (given by the caller: the store keeps no
// credentials).
func (d *DB) Backup(ctx context.Context, path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, d.errorf("backup: %w", err)
	}
	f.Close()
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+path, "--dbname="+d.dsn)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(path)
		var missing *exec.Error
		if errors.As(err, &missing) {
			return 0, d.errorf("backup: pg_dump not found: install PostgreSQL's client tools (Debian: postgresql-client)")
		}
		return 0, d.errorf("backup: pg_dump: %v: %s", err, trimOutput(out))
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, d.errorf("backup: %w", err)
	}
	return info.Size(), nil
}

// trimOutput keeps a tool's message to its first line.
func trimOutput(b []byte) string {
	for i, c := range b {
		if c == '\n' {
			return string(b[:i])
		}
	}
	return string(b)
}
