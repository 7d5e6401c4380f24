package store

import (
	"context"
	"database/sql"
	"time"
)

// QueueAlerts writes the poll's alerts into the outbox, in its
// transaction: for every rule and target, a "new" alert for each story of
// the poll's new items that the rule's topic now holds from at least
// MinSources outlets, once; with Updates, an "update" for an announced
// story an outlet not in it before has joined, once.
func (d *DB) QueueAlerts(ctx context.Context, tx *sql.Tx, p *Poll) error {
	var keys []any
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
	in := list(5, len(keys))
	at := Nanos(p.At)
	for _, r := range p.Alerts {
		for _, target := range r.Targets {
			args := append([]any{r.Topic, target, at, max(r.MinSources, 1)}, keys...)
			if _, err := d.exec(ctx, tx, `INSERT INTO alerts (topic, story, kind, target, created, next_at)
				SELECT $1, i.story, 'new', $2, $3, $3 FROM item_topics t JOIN items i ON i.id = t.item_id
				WHERE t.topic = $1 AND i.story IN (`+in+`)
				GROUP BY i.story HAVING count(DISTINCT i.source) >= $4
				ON CONFLICT DO NOTHING`, args...); err != nil {
				return err
			}
			if !r.Updates {
				continue
			}
			args = append([]any{r.Topic, target, at, p.Source}, keys...)
			if _, err := d.exec(ctx, tx, `INSERT INTO alerts (topic, story, kind, target, created, next_at)
				SELECT a.topic, a.story, 'update', a.target, $3, $3 FROM alerts a
				WHERE a.topic = $1 AND a.target = $2 AND a.kind = 'new' AND a.created < $3
				  AND a.story IN (`+in+`)
				  AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story = a.story AND i.source = $4 AND i.fetched < $3)
				ON CONFLICT DO NOTHING`, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// DueAlerts returns up to limit alerts not delivered yet and due by now,
// oldest first.
func (d *DB) DueAlerts(ctx context.Context, now time.Time, limit int) ([]Alert, error) {
	var out []Alert
	err := d.each(ctx, d.sql, `SELECT id, topic, story, kind, target, created, attempts, last_error FROM alerts
		WHERE delivered = 0 AND next_at <= $1 ORDER BY id LIMIT $2`, []any{Nanos(now), limit}, func(rows *sql.Rows) error {
		var a Alert
		var created int64
		if err := rows.Scan(&a.ID, &a.Topic, &a.Story, &a.Kind, &a.Target, &created, &a.Attempts, &a.LastError); err != nil {
			return err
		}
		a.Created = FromNanos(created)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, d.Errorf("due alerts: %w", err)
	}
	return out, nil
}

// AlertDelivered records an alert sent at at.
func (d *DB) AlertDelivered(ctx context.Context, id int64, at time.Time) error {
	if _, err := d.exec(ctx, d.sql, `UPDATE alerts SET delivered = $1, last_error = '' WHERE id = $2`, Nanos(at), id); err != nil {
		return d.Errorf("alert %d: %w", id, err)
	}
	return nil
}

// AlertFailed records a failed attempt and when to try again.
func (d *DB) AlertFailed(ctx context.Context, id int64, msg string, next time.Time) error {
	if _, err := d.exec(ctx, d.sql, `UPDATE alerts SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3`,
		msg, Nanos(next), id); err != nil {
		return d.Errorf("alert %d: %w", id, err)
	}
	return nil
}

// Outbox counts the alerts waiting, failing and delivered.
func (d *DB) Outbox(ctx context.Context) (Outbox, error) {
	var o Outbox
	err := d.sql.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN delivered = 0 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN delivered = 0 AND attempts > 0 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN delivered > 0 THEN 1 ELSE 0 END), 0)
		FROM alerts`).Scan(&o.Pending, &o.Failing, &o.Delivered)
	if err != nil {
		return o, d.Errorf("outbox: %w", err)
	}
	return o, nil
}
