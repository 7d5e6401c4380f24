package cli

import (
	"context"
	"fmt"
)

func backupCommand() command {
	return command{name: "backup", usage: "backup  [-config FILE] PATH   a consistent copy of the store", run: runBackup}
}

// runBackup writes a consistent copy of the store to PATH while the
// daemon may be running; it never creates a store.
func runBackup(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "backup", configPath)
	pos, err := parse(fs, args, 1, "one argument: the path of the copy")
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e, *path, false)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Backup(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d bytes, a consistent copy of %s\n", pos[0], n, st.Path())
	return nil
}
