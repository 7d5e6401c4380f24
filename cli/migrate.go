package cli

import (
	"context"
	"fmt"
	"strings"

	"tributary/postgres"
	"tributary/sqlite"
	"tributary/store"
)

func migrateCommand() command {
	return command{name: "migrate-store",
		usage: "migrate-store [-config FILE] -to postgres://...   copy the SQLite store into an empty PostgreSQL database",
		run:   runMigrateStore}
}

// runMigrateStore copies the config's SQLite store — sources and their
// fetch state, items, stories, topic filing, the published documents'
// states — into an empty PostgreSQL database in one transaction, and
// checks that every table holds as many rows as the source. Story keys
// and item ids are kept, so published entry ids stay the same. It reads
// the SQLite store beside a running daemon (stop it first to copy a
// final state).
func runMigrateStore(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "migrate-store", configPath)
	to := fs.String("to", "", "the PostgreSQL database `URL` to fill, postgres://user@host:5432/db")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	if !strings.HasPrefix(*to, "postgres://") && !strings.HasPrefix(*to, "postgresql://") {
		return &usageError{"migrate-store: -to must be a PostgreSQL URL, postgres://user@host:5432/db"}
	}
	cfg, err := loadConfig(e, *path, false)
	if err != nil {
		return err
	}
	lite, err := sqlite.OpenExisting(ctx, cfg.StatePath(e.getenv))
	if err != nil {
		return err
	}
	defer lite.Close()
	pg, err := postgres.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer pg.Close()
	var read map[string]int64
	copied, err := pg.Import(ctx, func(put postgres.Put) error {
		var err error
		read, err = lite.Export(ctx, put)
		return err
	})
	if err != nil {
		return err
	}
	for _, t := range store.Tables() {
		if read[t.Name] != copied[t.Name] {
			return fmt.Errorf("migrate-store: %s: %d rows read, %d in PostgreSQL", t.Name, read[t.Name], copied[t.Name])
		}
		fmt.Fprintf(e.stdout, "%-12s %d\n", t.Name, copied[t.Name])
	}
	fmt.Fprintf(e.stdout, "copied %s into %s; set store: (or $DATABASE_URL) to use it\n", lite.Path(), pg.Path())
	return nil
}
