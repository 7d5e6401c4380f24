package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"tributary/news"
)

// RecentItems calls fn for every item published or first fetched at or
// after since, oldest first by published time, so the dedupe index can be
// rebuilt at start. Only what the index reads is filled in: source, GUID,
// story, canonical URL, title, the summary's first news.SummaryPrefix
// bytes, published and fetched. The item passed is reused: fn must not
// keep it.
func (d *DB) RecentItems(ctx context.Context, since time.Time, fn func(*news.Item)) error {
	rows, err := d.db.QueryContext(ctx, `SELECT source, guid, story, url, title, substr(summary, 1, ?2), published, fetched
		FROM items WHERE published >= ?1 OR fetched >= ?1 ORDER BY published, id`, nanos(since), news.SummaryPrefix)
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
	err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, rulesKey).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
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
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+` FROM items i ORDER BY i.id`)
	if err != nil {
		return d.errorf("items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
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
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.errorf("refile: %w", err)
	}
	defer tx.Rollback()
	clearTopics, err := tx.PrepareContext(ctx, `DELETE FROM item_topics
		WHERE item_id = ?1 AND EXISTS (SELECT 1 FROM items WHERE id = ?1 AND hash = ?2)`)
	if err != nil {
		return d.errorf("refile: %w", err)
	}
	defer clearTopics.Close()
	add, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO item_topics (topic, item_id)
		SELECT ?1, id FROM items WHERE id = ?2 AND hash = ?3`)
	if err != nil {
		return d.errorf("refile: %w", err)
	}
	defer add.Close()
	for _, f := range filings {
		if _, err := clearTopics.ExecContext(ctx, f.ID, f.Hash); err != nil {
			return d.errorf("refile item %d: %w", f.ID, err)
		}
		for _, t := range f.Topics {
			if _, err := add.ExecContext(ctx, t, f.ID, f.Hash); err != nil {
				return d.errorf("refile item %d: %w", f.ID, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, rulesKey, fingerprint); err != nil {
		return d.errorf("refile: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return d.errorf("refile: %w", err)
	}
	return nil
}

// Sources returns every source the store knows, by name.
func (d *DB) Sources(ctx context.Context) ([]news.SourceRecord, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT s.name, s.url, s.priority, s.title, s.site, s.etag, s.last_modified, s.last_poll,
			s.last_success, s.last_error, s.failures, s.not_before, s.moved_from, s.moved_to, s.retired,
			(SELECT count(*) FROM items i WHERE i.source = s.name)
		FROM sources s ORDER BY s.name`)
	if err != nil {
		return nil, d.errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []news.SourceRecord
	for rows.Next() {
		var s news.SourceRecord
		var lastPoll, lastSuccess, notBefore int64
		if err := rows.Scan(&s.Name, &s.URL, &s.Priority, &s.Title, &s.Site, &s.State.ETag, &s.State.LastModified, &lastPoll,
			&lastSuccess, &s.State.LastError, &s.State.Failures, &notBefore, &s.State.MovedFrom, &s.State.MovedTo,
			&s.State.Retired, &s.Items); err != nil {
			return nil, d.errorf("sources: %w", err)
		}
		s.State.LastPoll, s.State.LastSuccess = fromNanos(lastPoll), fromNanos(lastSuccess)
		s.State.NotBefore = fromNanos(notBefore)
		out = append(out, s)
	}
	return out, rows.Err()
}

// ItemTopics returns every stored item's topics, by item id, sorted: what
// `tributary topics try` compares new rules with.
func (d *DB) ItemTopics(ctx context.Context) (map[int64][]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT item_id, topic FROM item_topics ORDER BY item_id, topic`)
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

// SetContent replaces a stored item's content (its article, extracted),
// unless the item has changed since (its hash differs) or is gone.
func (d *DB) SetContent(ctx context.Context, id int64, hash, content string) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE items SET content = ? WHERE id = ? AND hash = ?`, content, id, hash); err != nil {
		return d.errorf("set content of item %d: %w", id, err)
	}
	return nil
}
