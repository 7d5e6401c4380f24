// Package postgres is tributary's store on PostgreSQL, for installations
// that outgrow one machine: several `tributary serve` replicas on one
// database. It keeps the SQLite store's schema and contract (the same
// conformance suite, storetest, passes against both): the queries both
// share are package store's, run through pgx's database/sql driver on a
// github.com/jackc/pgx/v5 pool; this package keeps what is PostgreSQL's
// alone — connecting, embedded migrations run under an advisory lock (so
// replicas starting together migrate once), its fast path for a poll's
// writes, leases, the leader, the assignment lock, COPY for
// migrate-store and pg_dump for backups. It never hands the pool upward.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"tributary/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the advisory lock key migrations run under: any
// constant all replicas agree on ("tributa" in ASCII).
const migrationLock = 0x74726962757461

// DB is the store.
type DB struct {
	*store.DB
	pool *pgxpool.Pool
	name string // the database as shown in messages: host and name, never credentials
	dsn  string // the URL it was opened with, for pg_dump; never shown
	lead leader // the leader lock's connection, while this replica leads
}

// Open connects to the database at url (postgres://...) and brings its
// schema up to date, under an advisory lock so that replicas starting
// together migrate it once.
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// OpenExisting connects to the database for reading beside running
// replicas: it changes no schema, and refuses one that differs from this
// binary's.
func OpenExisting(ctx context.Context, dsn string) (*DB, error) {
	d, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.CheckVersion(ctx, schema()); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func connect(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", Redact(dsn), err)
	}
	d := &DB{name: cfg.ConnConfig.Host + ":" + strconv.Itoa(int(cfg.ConnConfig.Port)) + "/" + cfg.ConnConfig.Database, dsn: dsn}
	if d.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("postgres %s: %w", d.name, err)
	}
	d.DB = store.New(stdlib.OpenDBFromPool(d.pool), store.Postgres(), d.name)
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Redact returns a database URL without its password, for messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Path names the database, for logs and status: host, port and name.
func (d *DB) Path() string { return "postgres " + d.name }

// Close hands the lead back and closes the pool.
func (d *DB) Close() error {
	d.resign()
	err := d.SQL().Close()
	d.pool.Close()
	return err
}

func (d *DB) errorf(format string, args ...any) error { return d.Errorf(format, args...) }

// schema is the store's migrations, the versions that ran kept in
// schema_migrations.
func schema() store.Schema {
	return store.Schema{
		Files: migrations,
		Version: func(ctx context.Context, q store.Querier) (v int, err error) {
			err = q.QueryRowContext(ctx, `SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0
				ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END`).Scan(&v)
			return v, err
		},
		Record: func(ctx context.Context, tx *sql.Tx, v int) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
			return err
		},
	}
}

// migrate brings the schema up to date, holding the migration lock on a
// connection of its own throughout, so replicas starting together
// migrate once.
func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.SQL().Conn(ctx)
	if err != nil {
		return d.errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return d.errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return d.errorf("migrate: %w", err)
	}
	return d.Migrate(ctx, conn, schema())
}

// isAbsent reports whether err says no row was found.
func isAbsent(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
