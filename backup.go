package main

import (
	"context"
	"fmt"
	"io"
)

// runBackup writes a consistent copy of the store to path while the
// daemon may be running.
func runBackup(ctx context.Context, configPath, path string, stdout, stderr io.Writer) error {
	if path == "" {
		return &usageError{"backup: want the path of the copy to write"}
	}
	_, db, err := openStore(ctx, configPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Backup(ctx, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d bytes, a consistent copy of %s\n", path, n, db.Path())
	return nil
}
