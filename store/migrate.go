package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"path"
	"sort"
)

// ErrSchema is a database whose schema is newer than this binary's, or,
// for a store opened beside a running daemon, not this binary's.
var ErrSchema = errors.New("store: schema version")

// Schema is an engine's numbered migrations (NNNN_what.sql, applied in
// name order) and how the engine records which have run.
type Schema struct {
	Files fs.FS // holding migrations/*.sql
	// Version returns the database's version: how many migrations ran.
	Version func(ctx context.Context, q Querier) (int, error)
	// Record records version in a migration's transaction.
	Record func(ctx context.Context, tx *sql.Tx, version int) error
}

// Querier is what Schema.Version reads through: a *sql.DB, *sql.Conn or
// *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// names returns the schema's migrations in order.
func (s Schema) names() ([]string, error) {
	names, err := fs.Glob(s.Files, "migrations/*.sql")
	sort.Strings(names)
	return names, err
}

// Versions returns the database's schema version and this binary's.
func (d *DB) Versions(ctx context.Context, q Querier, s Schema) (have, want int, err error) {
	names, err := s.names()
	if err != nil {
		return 0, 0, err
	}
	if have, err = s.Version(ctx, q); err != nil {
		return 0, 0, d.Errorf("schema version: %w", err)
	}
	return have, len(names), nil
}

// CheckVersion refuses, for reading beside a running daemon, a database
// whose schema is not this binary's.
func (d *DB) CheckVersion(ctx context.Context, s Schema) error {
	have, want, err := d.Versions(ctx, d.sql, s)
	if err == nil && have != want {
		err = d.Errorf("%w %d, this binary's is %d: run this version's tributary serve (or fetch) once to migrate it", ErrSchema, have, want)
	}
	return err
}

// Migrate applies, in order and each in its own transaction with its
// record, every migration newer than the database's version, on conn
// (which holds whatever lock the engine takes so that one process
// migrates at a time).
func (d *DB) Migrate(ctx context.Context, conn *sql.Conn, s Schema) error {
	have, want, err := d.Versions(ctx, conn, s)
	if err != nil {
		return err
	}
	if have > want {
		return d.Errorf("%w %d is newer than this binary's %d: run the newer tributary, or restore a backup", ErrSchema, have, want)
	}
	names, err := s.names()
	if err != nil {
		return err
	}
	for i := have; i < want; i++ {
		body, err := fs.ReadFile(s.Files, names[i])
		if err != nil {
			return err
		}
		err = func() error {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if err := s.Record(ctx, tx, i+1); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return d.Errorf("migration %s: %w", path.Base(names[i]), err)
		}
	}
	return nil
}
