package sqlite

import (
	"context"
	"time"
)

// retentionBatch bounds one delete, so a large clean-up never holds the
// write lock for long and polls go on between batches.
const retentionBatch = 500

// Prune deletes items published before cutoff, in batches, except those
// of stories still in a published feed (the newest limit stories of the
// catch-all and of every topic), then the stories left without items,
// and gives the freed pages back to the file system. It returns how many
// items and stories it deleted.
func (d *DB) Prune(ctx context.Context, cutoff time.Time, limit int) (items, stories int, err error) {
	for {
		res, err := d.db.ExecContext(ctx, `DELETE FROM items WHERE id IN (
			SELECT i.id FROM items i
			WHERE i.published < ? AND i.story NOT IN (
				SELECT key FROM (SELECT key FROM stories ORDER BY published DESC, key LIMIT ?)
				UNION
				SELECT story FROM (SELECT story, row_number() OVER (
					PARTITION BY topic ORDER BY published DESC, story) AS rank FROM story_topics)
				WHERE rank <= ?)
			LIMIT ?)`, nanos(cutoff), limit, limit, retentionBatch)
		if err != nil {
			return items, stories, d.errorf("prune items: %w", err)
		}
		n, _ := res.RowsAffected()
		items += int(n)
		if n < retentionBatch {
			break
		}
	}
	// Deleting items cascades to item_topics after the items are gone, too
	// late for the trigger to find their stories: drop the story_topics
	// rows no item supports any more here.
	if items > 0 {
		if _, err := d.db.ExecContext(ctx, `DELETE FROM story_topics WHERE NOT EXISTS (
			SELECT 1 FROM item_topics t JOIN items i ON i.id = t.item_id
			WHERE t.topic = story_topics.topic AND i.story = story_topics.story)`); err != nil {
			return items, stories, d.errorf("prune story topics: %w", err)
		}
	}
	for {
		res, err := d.db.ExecContext(ctx, `DELETE FROM stories WHERE key IN (
			SELECT s.key FROM stories s WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.story = s.key)
			LIMIT ?)`, retentionBatch)
		if err != nil {
			return items, stories, d.errorf("prune stories: %w", err)
		}
		n, _ := res.RowsAffected()
		stories += int(n)
		if n < retentionBatch {
			break
		}
	}
	if items+stories > 0 {
		if err := d.reclaim(ctx); err != nil {
			return items, stories, err
		}
	}
	return items, stories, nil
}

// reclaim checkpoints the WAL into the database and returns free pages to
// the file system (the database is in incremental auto-vacuum mode).
func (d *DB) reclaim(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return d.errorf("checkpoint: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return d.errorf("incremental vacuum: %w", err)
	}
	return nil
}

// enableIncrementalVacuum switches a database to incremental auto-vacuum,
// which takes a VACUUM once (instant on a new, empty database).
func (d *DB) enableIncrementalVacuum(ctx context.Context) error {
	var mode int
	if err := d.db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return d.errorf("auto_vacuum: %w", err)
	}
	if mode == 2 {
		return nil
	}
	if _, err := d.db.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return d.errorf("auto_vacuum: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `VACUUM`); err != nil {
		return d.errorf("vacuum: %w", err)
	}
	return nil
}
