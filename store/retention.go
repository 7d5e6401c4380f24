package store

import (
	"context"
	"time"
)

// pruneBatch bounds one delete, so a large clean-up never holds the
// write lock for long and polls go on between batches.
const pruneBatch = 500

// Prune deletes items published before cutoff, in batches, except those
// of stories still in a published feed (the newest limit stories of the
// catch-all and of every topic), then the stories left without items.
// It returns how many items and stories it deleted. An engine's
// AfterPrune then runs (SQLite gives the freed pages back).
func (d *DB) Prune(ctx context.Context, cutoff time.Time, limit int) (items, stories int, err error) {
	for {
		res, err := d.exec(ctx, d.sql, `DELETE FROM items WHERE id IN (
			SELECT i.id FROM items i
			WHERE i.published < $1 AND i.story NOT IN (
				SELECT key FROM (SELECT key FROM stories ORDER BY published DESC, key LIMIT $2) newest
				UNION
				SELECT story FROM (SELECT story, row_number() OVER (
					PARTITION BY topic ORDER BY published DESC, story) AS rank FROM story_topics) ranked
				WHERE rank <= $2)
			LIMIT $3)`, Nanos(cutoff), limit, pruneBatch)
		if err != nil {
			return items, stories, d.Errorf("prune items: %w", err)
		}
		n, _ := res.RowsAffected()
		items += int(n)
		if n < pruneBatch {
			break
		}
	}
	// Deleting items cascades to item_topics after the items are gone, too
	// late for the triggers to find their stories: drop the story_topics
	// rows no item supports any more here.
	if items > 0 {
		if _, err := d.sql.ExecContext(ctx, `DELETE FROM story_topics WHERE NOT EXISTS (
			SELECT 1 FROM item_topics t JOIN items i ON i.id = t.item_id
			WHERE t.topic = story_topics.topic AND i.story = story_topics.story)`); err != nil {
			return items, stories, d.Errorf("prune story topics: %w", err)
		}
	}
	// Moves are followed within seconds; a month's record is plenty.
	if _, err := d.exec(ctx, d.sql, `DELETE FROM story_moves WHERE at < $1`, Nanos(cutoff)); err != nil {
		return items, stories, d.Errorf("prune story moves: %w", err)
	}
	for {
		res, err := d.exec(ctx, d.sql, `DELETE FROM stories WHERE key IN (
			SELECT s.key FROM stories s WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.story = s.key)
			LIMIT $1)`, pruneBatch)
		if err != nil {
			return items, stories, d.Errorf("prune stories: %w", err)
		}
		n, _ := res.RowsAffected()
		stories += int(n)
		if n < pruneBatch {
			break
		}
	}
	if items+stories > 0 && d.afterPrune != nil {
		if err := d.afterPrune(ctx); err != nil {
			return items, stories, err
		}
	}
	return items, stories, nil
}
