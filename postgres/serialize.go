package postgres

import (
	"context"
	"strings"

	"tributary/news"
)

// assignLock is the advisory lock key stories are assigned under ("tribstor").
const assignLock = 0x7472696273746f72

// Serialize runs fn holding the assignment lock (aggregator.Serializer):
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

// ItemsAfter calls fn, in id order, for every item with an id after
// after — with what the dedupe index reads, its story and its topics —
// and returns the last id (after, when there is none).
func (d *DB) ItemsAfter(ctx context.Context, after int64, fn func(*news.Item)) (int64, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, source, guid, story, url, title, left(summary, $2), published, fetched,
			coalesce((SELECT string_agg(topic, chr(31) ORDER BY topic) FROM item_topics t WHERE t.item_id = items.id), '')
		FROM items WHERE id > $1 ORDER BY id`, after, news.SummaryPrefix)
	if err != nil {
		return after, d.errorf("items after %d: %w", after, err)
	}
	defer rows.Close()
	last := after
	for rows.Next() {
		var it news.Item
		var published, fetched int64
		var topics string
		if err := rows.Scan(&it.ID, &it.Source, &it.GUID, &it.Story, &it.URL, &it.Title, &it.Summary, &published, &fetched, &topics); err != nil {
			return after, d.errorf("items after %d: %w", after, err)
		}
		it.Published, it.Fetched = fromNanos(published), fromNanos(fetched)
		if topics != "" {
			it.Topics = strings.Split(topics, "\x1f")
		}
		fn(&it)
		last = it.ID
	}
	if err := rows.Err(); err != nil {
		return after, d.errorf("items after %d: %w", after, err)
	}
	return last, nil
}

// LastItemID returns the newest item's id, 0 for none.
func (d *DB) LastItemID(ctx context.Context) (int64, error) {
	var id int64
	if err := d.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM items`).Scan(&id); err != nil {
		return 0, d.errorf("last item: %w", err)
	}
	return id, nil
}
