package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"tributary/news"
)

// RecentItems calls fn for every item published or first fetched at or
// after since, oldest first by published time, so the dedupe index can be
// rebuilt at start.
func (d *DB) RecentItems(ctx context.Context, since time.Time, fn func(*news.Item)) error {
	rows, err := d.db.QueryContext(ctx, `SELECT `+itemColumns+` FROM items i
		WHERE i.published >= ?1 OR i.fetched >= ?1 ORDER BY i.published, i.id`, nanos(since))
	if err != nil {
		return d.errorf("recent items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return d.errorf("recent items: %w", err)
		}
		fn(&it)
	}
	if err := rows.Err(); err != nil {
		return d.errorf("recent items: %w", err)
	}
	return nil
}

const rulesKey = "topic_rules"

// Refile recomputes every item's topics with match when the topic rules'
// fingerprint differs from the one the stored topics were computed with,
// and returns how many items it refiled (0 when nothing changed). It runs
// in one transaction: the store never holds a half-refiled state.
func (d *DB) Refile(ctx context.Context, fingerprint string, match func(*news.Item) []string) (int, error) {
	var old string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, rulesKey).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, d.errorf("refile: %w", err)
	}
	if old == fingerprint {
		return 0, nil
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+` FROM items i ORDER BY i.id`)
	if err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	type filing struct {
		id     int64
		topics []string
	}
	var all []filing
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return 0, d.errorf("refile: %w", err)
		}
		all = append(all, filing{it.ID, slices.Clone(match(&it))})
	}
	if err := rows.Close(); err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	// story_topics first: then the item_topics trigger finds nothing to do.
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_topics`); err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM item_topics`); err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	defer w.close()
	for _, f := range all {
		if err := w.setTopics(ctx, f.id, f.topics); err != nil {
			return 0, d.errorf("refile item %d: %w", f.id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, rulesKey, fingerprint); err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, d.errorf("refile: %w", err)
	}
	return len(all), nil
}

// Source is a source's row as the store has it.
type Source struct {
	Name, URL string
	Priority  int
	State     news.FetchState
	Items     int
}

// Sources returns every source the store knows, by name.
func (d *DB) Sources(ctx context.Context) ([]Source, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT s.name, s.url, s.priority, s.etag, s.last_modified, s.last_poll,
			s.last_success, s.last_error, s.failures, s.not_before, s.moved_from, s.moved_to, s.retired,
			(SELECT count(*) FROM items i WHERE i.source = s.name)
		FROM sources s ORDER BY s.name`)
	if err != nil {
		return nil, d.errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var s Source
		var lastPoll, lastSuccess, notBefore int64
		if err := rows.Scan(&s.Name, &s.URL, &s.Priority, &s.State.ETag, &s.State.LastModified, &lastPoll,
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
