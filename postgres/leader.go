package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// leaderLock is the advisory lock key the leading replica holds ("triblead").
const leaderLock = 0x747269626c656164

// resignWait bounds how long a closing replica waits to hand the lead
// back, when the database has stopped answering.
const resignWait = 5 * time.Second

// leader is the connection holding the leader lock, while this replica
// leads.
type leader struct {
	mu   sync.Mutex
	conn *pgxpool.Conn
}

// Leading reports whether this replica leads the replicas sharing the
// database — runs retention and pings the WebSub hub — taking the lead
// when no one holds it: a session advisory lock on a connection kept for
// it, so a replica that dies, or loses the database, loses the lead to
// the next one that asks.
func (d *DB) Leading(ctx context.Context) bool {
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	if d.lead.conn != nil {
		if err := d.lead.conn.Ping(ctx); err == nil {
			return true
		}
		d.lead.conn.Hijack().Close(context.WithoutCancel(ctx)) // never back to the pool: it held the lock
		d.lead.conn = nil
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return false
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, leaderLock).Scan(&ok); err != nil || !ok {
		conn.Release()
		return false
	}
	d.lead.conn = conn
	return true
}

// resign lets go of the lead, at Close. The lock is released by a
// statement before the connection closes: the server frees a closed
// session's locks only when its backend has exited, a moment after the
// client hangs up, and another replica asking in that moment would not
// lead.
func (d *DB) resign() {
	d.lead.mu.Lock()
	defer d.lead.mu.Unlock()
	if d.lead.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), resignWait)
		defer cancel()
		_, _ = d.lead.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, leaderLock) // on failure, closing frees it
		d.lead.conn.Hijack().Close(ctx)
		d.lead.conn = nil
	}
}
