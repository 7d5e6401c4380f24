package postgres

import (
	"context"
	"time"
)

// retentionBatch bounds one delete, so a large clean-up never holds its
// locks for long and polls go on between batches.
const retentionBatch = 500

// Prune deletes items published before cutoff, in batches, except those
// of each topic's newest limit stories (and the catch-all's), then the
// stories left without items. It returns how many items and stories it
// deleted. (PostgreSQL reuses freed space itself; autovacuum reclaims it.)
func (d *DB) Prune(ctx context.Context, cutoff time.Time, limit int) (items, stories int, err error) {
	for {
		tag, err := d.pool.Exec(ctx, `DELETE FROM items WHERE id IN (
			SELECT i.id FROM items i
			WHERE i.published < $1 AND i.story NOT IN (
				SELECT key FROM (SELECT key FROM stories ORDER BY published DESC, key LIMIT $2) newest
				UNION
				SELECT story FROM (SELECT story, row_number() OVER (
					PARTITION BY topic ORDER BY published DESC, story) AS rank FROM story_topics) ranked
				WHERE rank <= $2)
			LIMIT $3)`, nanos(cutoff), limit, retentionBatch)
		if err != nil {
			return items, stories, d.errorf("prune items: %w", err)
		}
		n := int(tag.RowsAffected())
		items += n
		if n < retentionBatch {
			break
		}
	}
	// Deleting items cascades to item_topics after the items are gone, too
	// late for the trigger to find their stories: drop the story_topics
	// rows no item supports any more here.
	if items > 0 {
		if _, err := d.pool.Exec(ctx, `DELETE FROM story_topics st WHERE NOT EXISTS (
			SELECT 1 FROM item_topics t JOIN items i ON i.id = t.item_id
			WHERE t.topic = st.topic AND i.story = st.story)`); err != nil {
			return items, stories, d.errorf("prune story topics: %w", err)
		}
	}
	for {
		tag, err := d.pool.Exec(ctx, `DELETE FROM stories WHERE key IN (
			SELECT s.key FROM stories s WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.story = s.key)
			LIMIT $1)`, retentionBatch)
		if err != nil {
			return items, stories, d.errorf("prune stories: %w", err)
		}
		n := int(tag.RowsAffected())
		stories += n
		if n < retentionBatch {
			break
		}
	}
	return items, stories, nil
}
