// Package sqlite is tributary's embedded store: SQLite through the pure-Go
// modernc.org/sqlite driver, in WAL mode with foreign keys on, its schema
// kept as embedded, numbered migrations. The queries it shares with the
// PostgreSQL store are package store's (embedded in DB); this package
// keeps what is SQLite's alone: opening, pragmas, the state directory's
// lock, migrations, its fast path for a poll's writes, backups, the
// integrity check and giving freed pages back.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"tributary/store"
)

// FileName is the database file's name inside the state directory.
const FileName = "tributary.db"

// maxConns bounds the store's connections: polls, renders and the
// operator's commands share them.
const maxConns = 8

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("sqlite: not found")

// ErrNoStore is returned by OpenExisting when there is no database.
var ErrNoStore = errors.New("no store")

// DB is the store.
type DB struct {
	*store.DB
	db   *sql.DB
	path string
	file os.FileInfo // the database file as opened, to notice it deleted or replaced
	lock *os.File    // the state directory's lock, held by a writer

	writes []*sql.Stmt // writeSQL, prepared when opened for writing
}

// Open opens the store in dir for writing: it creates the directory and
// the database when missing, takes the directory's lock so that no other
// process writes the same store (ErrLocked names the one that does), and
// brings the schema up to date.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: state dir: %w", err)
	}
	lk, err := lock(dir)
	if err != nil {
		return nil, err
	}
	d, err := open(dir)
	if err != nil {
		lk.Close()
		return nil, err
	}
	d.lock = lk
	if err := d.enableIncrementalVacuum(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if d.writes, err = d.prepareWrites(ctx); err != nil {
		d.Close()
		return nil, d.errorf("prepare: %w", err)
	}
	if d.file, err = os.Stat(d.path); err != nil {
		d.Close()
		return nil, d.errorf("%w", err)
	}
	return d, nil
}

// OpenExisting opens the store in dir for reading beside a process that
// may be writing it: it never creates a store (ErrNoStore), takes no lock
// and changes no schema, so it refuses a store whose schema differs from
// this binary's.
func OpenExisting(ctx context.Context, dir string) (*DB, error) {
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s (is state_dir or $STATE_DIRECTORY set?)", ErrNoStore, dir)
		}
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	d, err := open(dir)
	if err != nil {
		return nil, err
	}
	d.file = info
	if err := d.CheckVersion(ctx, schema()); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// open opens the database file in dir without touching it.
func open(dir string) (*DB, error) {
	path := filepath.Join(dir, FileName)
	q := url.Values{}
	// Each connection's page cache is 1 MiB, not SQLite's 2: the file
	// system caches the rest, and eight connections' caches are resident
	// memory a daemon of a thousand sources counts (README, "Capacity").
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "cache_size(-1024)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers queue up front instead of failing to upgrade
	// A file: URI, its path escaped: SQLite decodes %XX in it, and the
	// driver takes everything after the first '?' as its parameters.
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite", "file:"+escaped+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// A few connections, kept: each holds a page cache and its prepared
	// statements, and opening one reads the schema again. More would only
	// queue for the one writer, or the cores.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	d := &DB{DB: store.New(db, store.SQLite(), path), db: db, path: path}
	d.AfterPrune(d.reclaim)
	return d, nil
}

// Path returns the database file's path.
func (d *DB) Path() string { return d.path }

// Close closes the database and gives the directory's lock back.
func (d *DB) Close() error {
	for _, s := range d.writes {
		s.Close()
	}
	err := d.db.Close()
	if d.lock != nil {
		d.lock.Close()
	}
	return err
}

// Ping reports whether the database answers and its file is still the one
// opened: a database deleted or replaced under a running process would
// have it write into an unlinked file, losing everything.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.DB.Ping(ctx); err != nil {
		return err
	}
	if d.file == nil {
		return nil
	}
	now, err := os.Stat(d.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return d.errorf("the database file was deleted while in use; restore a backup, or restart to begin an empty store")
	case err != nil:
		return d.errorf("%w", err)
	case !os.SameFile(d.file, now):
		return d.errorf("the database file was replaced while in use; restart to use the new one")
	}
	return nil
}

// errorf returns an error naming the database file:
// "sqlite /var/lib/tributary/tributary.db: save poll bbc: database or disk is full".
func (d *DB) errorf(format string, args ...any) error { return d.Errorf(format, args...) }

// schema is the store's migrations, their version kept in SQLite's
// user_version.
func schema() store.Schema {
	return store.Schema{
		Files: migrations,
		Version: func(ctx context.Context, q store.Querier) (v int, err error) {
			err = q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
			return v, err
		},
		Record: func(ctx context.Context, tx *sql.Tx, v int) error {
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
			return err
		},
	}
}

// migrate brings the schema up to date (the directory's lock is held).
func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.errorf("migrate: %w", err)
	}
	defer conn.Close()
	return d.Migrate(ctx, conn, schema())
}
