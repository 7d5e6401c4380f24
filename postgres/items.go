package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"tributary/news"
)

// RecentItems calls fn for every item published or first fetched at or
// after since, oldest first by published time, so the dedupe index can be
// rebuilt at start. Only what the index reads is filled in: source, GUID,
// story, canonical URL, title, the summary's first news.SummaryPrefix
// bytes, published and fetched. The item passed is reused: fn must not
// keep it.
func (d *DB) RecentItems(ctx context.Context, since time.Time, fn func(*news.Item)) error {
	rows, err := d.pool.Query(ctx, `SELECT source, guid, story, url, title, left(summary, $2), published, fetched
		FROM items WHERE published >= $1 OR fetched >= $1 ORDER BY published, id`, nanos(since), news.SummaryPrefix)
	if err != nil {
		return d.errorf("recent items: %w", err)
	}
	defer rows.Close()
	var it news.Item
	var published, fetched int64
	for rows.Next() {
		if err := rows.Scan(&it.Source, &it.GUID, &it.Story, &it.URL, &it.Title, &it.Summary, &published, &fetched); err != nil {
			return d.errorf("recent items: %w", err)
		}
		it.Published, it.Fetched = fromNanos(published), fromNanos(fetched)
		fn(&it)
	}
	if err := rows.Err(); err != nil {
		return d.errorf("recent items: %w", err)
	}
	return nil
}

const rulesKey = "topic_rules"

// RulesFingerprint returns the fingerprint of the topic rules the stored
// filings were made with, "" before any.
func (d *DB) RulesFingerprint(ctx context.Context) (string, error) {
	var fp string
	err := d.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, rulesKey).Scan(&fp)
	if err != nil && !isAbsent(err) {
		return "", d.errorf("rules fingerprint: %w", err)
	}
	return fp, nil
}

// EachItem calls fn for every stored item, oldest first, in one snapshot.
func (d *DB) EachItem(ctx context.Context, fn func(*news.Item) error) error {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return d.errorf("items: %w", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT `+itemColumns+` FROM items i ORDER BY i.id`)
	if err != nil {
		return d.errorf("items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows, false)
		if err != nil {
			return d.errorf("items: %w", err)
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return d.errorf("items: %w", err)
	}
	return nil
}

// Refile replaces the topics of the items named in filings and records
// the rules' fingerprint, in one transaction: the store never holds a
// half-refiled state. An item whose hash no longer matches (edited by a
// poll since it was read, and filed by that poll) or which is gone is
// left as it is.
func (d *DB) Refile(ctx context.Context, fingerprint string, filings []news.Filing) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, f := range filings {
			if _, err := tx.Exec(ctx, `DELETE FROM item_topics
				WHERE item_id = $1 AND EXISTS (SELECT 1 FROM items WHERE id = $1 AND hash = $2)`, f.ID, f.Hash); err != nil {
				return err
			}
			for _, t := range f.Topics {
				if _, err := tx.Exec(ctx, `INSERT INTO item_topics (topic, item_id)
					SELECT $1, id FROM items WHERE id = $2 AND hash = $3 ON CONFLICT DO NOTHING`, t, f.ID, f.Hash); err != nil {
					return err
				}
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, rulesKey, fingerprint)
		return err
	})
	if err != nil {
		return d.errorf("refile: %w", err)
	}
	return nil
}

// ItemTopics returns every stored item's topics, by item id, sorted.
func (d *DB) ItemTopics(ctx context.Context) (map[int64][]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT item_id, topic FROM item_topics ORDER BY item_id, topic`)
	if err != nil {
		return nil, d.errorf("item topics: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var topic string
		if err := rows.Scan(&id, &topic); err != nil {
			return nil, d.errorf("item topics: %w", err)
		}
		out[id] = append(out[id], topic)
	}
	if err := rows.Err(); err != nil {
		return nil, d.errorf("item topics: %w", err)
	}
	return out, nil
}

// FeedStates returns what the publisher kept of every document it
// published: its ETag and when its content last changed.
func (d *DB) FeedStates(ctx context.Context) (map[string]news.FeedState, error) {
	rows, err := d.pool.Query(ctx, `SELECT name, etag, modified FROM feeds`)
	if err != nil {
		return nil, d.errorf("feed states: %w", err)
	}
	defer rows.Close()
	out := map[string]news.FeedState{}
	for rows.Next() {
		var f news.FeedState
		var modified int64
		if err := rows.Scan(&f.Name, &f.ETag, &modified); err != nil {
			return nil, d.errorf("feed states: %w", err)
		}
		f.Modified = fromNanos(modified)
		out[f.Name] = f
	}
	if err := rows.Err(); err != nil {
		return nil, d.errorf("feed states: %w", err)
	}
	return out, nil
}

// SaveFeedStates records documents' states, replacing those of the same
// names, in one transaction.
func (d *DB) SaveFeedStates(ctx context.Context, states []news.FeedState) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, f := range states {
			if _, err := tx.Exec(ctx, `INSERT INTO feeds (name, etag, modified) VALUES ($1, $2, $3)
				ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, modified = excluded.modified`,
				f.Name, f.ETag, nanos(f.Modified)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return d.errorf("save feed states: %w", err)
	}
	return nil
}

// SetContent replaces a stored item's content (its article, extracted),
// unless the item has changed since (its hash differs) or is gone.
func (d *DB) SetContent(ctx context.Context, id int64, hash, content string) error {
	if _, err := d.pool.Exec(ctx, `UPDATE items SET content = $1 WHERE id = $2 AND hash = $3`, content, id, hash); err != nil {
		return d.errorf("set content of item %d: %w", id, err)
	}
	return nil
}
