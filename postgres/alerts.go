package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"tributary/news"
)

// queueAlerts writes the poll's alerts into the outbox, in its
// transaction, as the SQLite store does (see there).
func queueAlerts(ctx context.Context, tx pgx.Tx, p *news.Poll) error {
	var keys []string
	seen := map[string]bool{}
	for _, it := range p.New {
		if !seen[it.Story] {
			seen[it.Story] = true
			keys = append(keys, it.Story)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	at := nanos(p.At)
	for _, r := range p.Alerts {
		for _, target := range r.Targets {
			if _, err := tx.Exec(ctx, `INSERT INTO alerts (topic, story, kind, target, created, next_at)
				SELECT $1, i.story, 'new', $2, $3, $3 FROM item_topics t JOIN items i ON i.id = t.item_id
				WHERE t.topic = $1 AND i.story = ANY($5)
				GROUP BY i.story HAVING count(DISTINCT i.source) >= $4
				ON CONFLICT DO NOTHING`, r.Topic, target, at, max(r.MinSources, 1), keys); err != nil {
				return err
			}
			if !r.Updates {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO alerts (topic, story, kind, target, created, next_at)
				SELECT a.topic, a.story, 'update', a.target, $3, $3 FROM alerts a
				WHERE a.topic = $1 AND a.target = $2 AND a.kind = 'new' AND a.created < $3 AND a.story = ANY($5)
				  AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story = a.story AND i.source = $4 AND i.fetched < $3)
				ON CONFLICT DO NOTHING`, r.Topic, target, at, p.Source, keys); err != nil {
				return err
			}
		}
	}
	return nil
}

// DueAlerts returns up to limit alerts not delivered yet and due by now,
// oldest first.
func (d *DB) DueAlerts(ctx context.Context, now time.Time, limit int) ([]news.Alert, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, topic, story, kind, target, created, attempts, last_error FROM alerts
		WHERE delivered = 0 AND next_at <= $1 ORDER BY id LIMIT $2`, nanos(now), limit)
	if err != nil {
		return nil, d.errorf("due alerts: %w", err)
	}
	defer rows.Close()
	var out []news.Alert
	for rows.Next() {
		var a news.Alert
		var created int64
		if err := rows.Scan(&a.ID, &a.Topic, &a.Story, &a.Kind, &a.Target, &created, &a.Attempts, &a.LastError); err != nil {
			return nil, d.errorf("due alerts: %w", err)
		}
		a.Created = fromNanos(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AlertDelivered records an alert sent at at.
func (d *DB) AlertDelivered(ctx context.Context, id int64, at time.Time) error {
	if _, err := d.pool.Exec(ctx, `UPDATE alerts SET delivered = $1, last_error = '' WHERE id = $2`, nanos(at), id); err != nil {
		return d.errorf("alert %d: %w", id, err)
	}
	return nil
}

// AlertFailed records a failed attempt and when to try again.
func (d *DB) AlertFailed(ctx context.Context, id int64, msg string, next time.Time) error {
	if _, err := d.pool.Exec(ctx, `UPDATE alerts SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3`,
		msg, nanos(next), id); err != nil {
		return d.errorf("alert %d: %w", id, err)
	}
	return nil
}

// Outbox counts the alerts waiting, failing and delivered.
func (d *DB) Outbox(ctx context.Context) (news.Outbox, error) {
	var o news.Outbox
	err := d.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE delivered = 0), count(*) FILTER (WHERE delivered = 0 AND attempts > 0),
			count(*) FILTER (WHERE delivered > 0) FROM alerts`).Scan(&o.Pending, &o.Failing, &o.Delivered)
	if err != nil {
		return o, d.errorf("outbox: %w", err)
	}
	return o, nil
}
