package store

import (
	"context"
	"database/sql"
	"fmt"

	"tributary/news"
)

// QueueFullText queues a poll's new and edited items for their article
// (Poll.FullText), in the poll's transaction tx, after they were written.
func (d *DB) QueueFullText(ctx context.Context, tx *sql.Tx, p *Poll) error {
	if !p.FullText {
		return nil
	}
	var guids []string
	for _, list := range [][]news.Item{p.New, p.Updated} {
		for i := range list {
			guids = append(guids, list[i].GUID)
		}
	}
	if len(guids) == 0 {
		return nil
	}
	_, err := d.exec(ctx, tx, `INSERT INTO fulltext_queue (item_id, queued)
		SELECT id, $1 FROM items WHERE source = $2 AND guid IN (`+list(3, len(guids))+`)
		ON CONFLICT (item_id) DO NOTHING`, append([]any{Nanos(p.At), p.Source}, strs(guids)...)...)
	if err != nil {
		return fmt.Errorf("queue full text: %w", err)
	}
	return nil
}

// FullTextQueue returns up to limit items waiting for their article,
// the longest waiting first: ID, source, GUID, link, hash and topics,
// and what the story index reads of them (title, the summary's first
// 1,200 characters, published and fetched times).
func (d *DB) FullTextQueue(ctx context.Context, limit int) ([]news.Item, error) {
	var out []news.Item
	err := d.each(ctx, d.sql, `SELECT i.id, i.source, i.guid, i.link, i.hash, i.title, substr(i.summary, 1, 1200), i.url,
			i.published, i.fetched, `+fmt.Sprintf(topicsOf, 2)+`
		FROM fulltext_queue q JOIN items i ON i.id = q.item_id ORDER BY q.queued, q.item_id LIMIT $1`,
		[]any{limit, topicSep}, func(rows *sql.Rows) error {
			var it news.Item
			var topics string
			var published, fetched int64
			if err := rows.Scan(&it.ID, &it.Source, &it.GUID, &it.Link, &it.Hash, &it.Title, &it.Summary, &it.URL,
				&published, &fetched, &topics); err != nil {
				return err
			}
			it.Published, it.Fetched = FromNanos(published), FromNanos(fetched)
			it.Topics = splitTopics(topics)
			out = append(out, it)
			return nil
		})
	if err != nil {
		return nil, d.Errorf("full text queue: %w", err)
	}
	return out, nil
}

// FullTextDone takes an item off the full-text queue: its article was
// stored, or will not be.
func (d *DB) FullTextDone(ctx context.Context, id int64) error {
	if _, err := d.exec(ctx, d.sql, `DELETE FROM fulltext_queue WHERE item_id = $1`, id); err != nil {
		return d.Errorf("full text done %d: %w", id, err)
	}
	return nil
}
