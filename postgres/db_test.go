package postgres

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"tributary/internal/pgtest"
	"tributary/store"
)

// TestMigrateOnce: replicas opening a new database together migrate it
// once; a database migrated further than this binary knows is refused,
// clearly, by Open and OpenExisting alike.
func TestMigrateOnce(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Database(t, "migrate")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	var rows, max int
	if err := db.pool.QueryRow(ctx, `SELECT count(*), max(version) FROM schema_migrations`).Scan(&rows, &max); err != nil {
		t.Fatal(err)
	}
	if rows != len(names) || max != len(names) {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d", rows, max, len(names))
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, len(names)+1); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, dsn)
	if !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "newer than this binary's") {
		t.Errorf("a newer schema: %v", err)
	}
	if _, err := OpenExisting(ctx, dsn); !errors.Is(err, store.ErrSchema) {
		t.Errorf("OpenExisting of a newer schema: %v", err)
	}
}

func TestRedact(t *testing.T) {
	got := Redact("postgres://tributary:s3cret@db.example:5432/news?sslmode=require")
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "tributary:xxxxx@db.example:5432/news") {
		t.Errorf("Redact = %q", got)
	}
	if _, err := Open(context.Background(), "postgres://u:s3cret@127.0.0.1:1/x?connect_timeout=1"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a failed open names the password: %v", err)
	}
}
