package postgres

import (
	"context"
)

// assignLock is the advisory lock key stories are assigned under ("tribstor").
const assignLock = 0x7472696273746f72

// Serialize runs fn holding the assignment lock (store.Follower):
// a session advisory lock on a connection of its own, held while fn
// assigns a poll's stories and commits it, so replicas assign one at a
// time. A replica that dies holding it closes its connection, and the
// lock with it.
func (d *DB) Serialize(ctx context.Context, fn func(ctx context.Context) error) error {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return d.errorf("assignment lock: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, assignLock); err != nil {
		return d.errorf("assignment lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, assignLock)
	return fn(ctx)
}
