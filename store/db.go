package store

import (
	"context"
	"database/sql"
	"fmt"
)

// DB runs the queries every engine shares, over a database/sql handle
// the engine opened (SQLite's driver, or pgx's stdlib driver on its
// pool). Engines embed it: its methods are theirs.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	label   string // the database as messages name it: a path, or host, port and name
	// afterPrune, when set, runs after Prune deleted anything: SQLite
	// gives the freed pages back to the file system.
	afterPrune func(ctx context.Context) error
}

// New returns the shared queries over db, written in dialect d; label
// names the database in errors ("sqlite /var/lib/tributary/tributary.db:
// save poll bbc: database or disk is full"), never with credentials.
func New(db *sql.DB, d Dialect, label string) *DB {
	return &DB{sql: db, dialect: d, label: label}
}

// AfterPrune sets what runs after Prune deleted anything.
func (d *DB) AfterPrune(fn func(ctx context.Context) error) { d.afterPrune = fn }

// SQL returns the database handle, for the engine's own queries.
func (d *DB) SQL() *sql.DB { return d.sql }

// Q returns query as the engine writes it (Dialect).
func (d *DB) Q(query string) string { return d.dialect.rewrite(query) }

// Errorf returns an error naming the engine and the database.
func (d *DB) Errorf(format string, args ...any) error {
	return fmt.Errorf(d.dialect.Name+" %s: "+format, append([]any{d.label}, args...)...)
}

// Label names the database as errors do.
func (d *DB) Label() string { return d.label }

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.sql.PingContext(ctx); err != nil {
		return d.Errorf("%w", err)
	}
	return nil
}

// snapshot begins a read-only transaction that sees one state of the
// store, whatever polls commit meanwhile.
func (d *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	opts := d.dialect.Snapshot
	return d.sql.BeginTx(ctx, &opts)
}

// query runs a shared query.
func (d *DB) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, d.Q(query), args...)
}

// exec runs a shared statement.
func (d *DB) exec(ctx context.Context, q Execer, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, d.Q(query), args...)
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Execer is a *sql.DB, *sql.Conn or *sql.Tx.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// scanAll calls scan for every row of rows, then closes them.
func scanAll(rows *sql.Rows, scan func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// each runs query on q and calls scan for every row of its answer.
func (d *DB) each(ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := d.query(ctx, q, query, args...)
	if err != nil {
		return err
	}
	return scanAll(rows, scan)
}
