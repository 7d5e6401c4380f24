package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tributary/news"
)

// KnownItems returns, for those of guids already stored for source, what is
// needed to tell whether they changed.
func (d *DB) KnownItems(ctx context.Context, source string, guids []string) (map[string]news.Known, error) {
	known := make(map[string]news.Known, len(guids))
	if len(guids) == 0 {
		return known, nil
	}
	rows, err := d.pool.Query(ctx, `SELECT guid, id, hash, story, published, fetched,
			coalesce((SELECT string_agg(topic, chr(31) ORDER BY topic) FROM item_topics t WHERE t.item_id = items.id), '')
		FROM items WHERE source = $1 AND guid = ANY($2)`, source, guids)
	if err != nil {
		return nil, d.errorf("known items %s: %w", source, err)
	}
	defer rows.Close()
	for rows.Next() {
		var guid, topics string
		var k news.Known
		var published, fetched int64
		if err := rows.Scan(&guid, &k.ID, &k.Hash, &k.Story, &published, &fetched, &topics); err != nil {
			return nil, d.errorf("known items %s: %w", source, err)
		}
		k.Published, k.Fetched = fromNanos(published), fromNanos(fetched)
		if topics != "" {
			k.Topics = strings.Split(topics, "\x1f")
		}
		known[guid] = k
	}
	if err := rows.Err(); err != nil {
		return nil, d.errorf("known items %s: %w", source, err)
	}
	return known, nil
}

// SavePoll writes everything one poll changed in a single transaction: the
// source's fetch state, new items with their stories and topics, and edits
// to known items. A new item already stored (same source and GUID) is left
// as it is, so replaying a poll adds nothing. Each item is one statement,
// and the poll's statements go to the server together (a pgx batch): a
// poll costs a few round trips, not a few per item.
func (d *DB) SavePoll(ctx context.Context, p *news.Poll) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if err := saveState(ctx, tx, p); err != nil {
			return err
		}
		if len(p.New)+len(p.Updated) == 0 {
			return nil
		}
		at := nanos(p.State.LastPoll)
		var b pgx.Batch
		var guids, topics []string // the new items' filings
		for i := range p.New {
			it := &p.New[i]
			cats, encs, err := lists(it)
			if err != nil {
				return fmt.Errorf("item %q: %w", it.GUID, err)
			}
			for _, t := range it.Topics {
				guids, topics = append(guids, it.GUID), append(topics, t)
			}
			b.Queue(insertSQL, it.Story, nanos(it.Published), nanos(it.Updated), it.Source, it.GUID, it.Link, it.URL,
				it.Title, it.Summary, it.Content, it.Author, cats, it.Image, encs, nanos(it.Fetched), it.Hash, at).
				QueryRow(func(row pgx.Row) error {
					err := row.Scan(&it.ID)
					if isAbsent(err) {
						return nil // already stored by an earlier, interrupted run
					}
					if err != nil {
						return fmt.Errorf("item %q: %w", it.GUID, err)
					}
					return nil
				})
		}
		if len(topics) > 0 {
			b.Queue(fileSQL, p.Source, guids, topics)
		}
		for i := range p.Updated {
			it := &p.Updated[i]
			cats, encs, err := lists(it)
			if err != nil {
				return fmt.Errorf("item %q: %w", it.GUID, err)
			}
			b.Queue(updateSQL, it.ID, it.Link, it.URL, it.Title, it.Summary, it.Content, it.Author, cats, it.Image, encs,
				nanos(it.Published), nanos(it.Updated), it.Hash, it.Story, at, nonNil(it.Topics))
		}
		if err := tx.SendBatch(ctx, &b).Close(); err != nil {
			return err
		}
		return queueAlerts(ctx, tx, p)
	})
	if err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	return nil
}

// insertSQL stores a new item in one statement: its story when it is the
// first (a story's published time is its first item's, for good), the
// item unless stored already, the story marked updated when a copy joins
// it (at the poll's time, or the item's if later), and its topics. It
// returns the item's id, no row when it was stored already.
const insertSQL = `WITH
	s AS (INSERT INTO stories (key, published, updated) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO NOTHING RETURNING key),
	i AS (INSERT INTO items (source, guid, story, link, url, title, summary, content,
			author, categories, image, enclosures, published, updated, fetched, hash)
		VALUES ($4, $5, $1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $2, $3, $15, $16)
		ON CONFLICT (source, guid) DO NOTHING RETURNING id),
	joined AS (UPDATE stories SET updated = GREATEST(updated, $3, $17)
		WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM s) AND EXISTS (SELECT 1 FROM i))
	SELECT id FROM i`

// fileSQL files a poll's new items under their topics in one statement
// (so story_topics' trigger runs once): pairs of GUID and topic, the
// items found by source and GUID.
const fileSQL = `INSERT INTO item_topics (topic, item_id)
	SELECT f.topic, i.id FROM unnest($2::text[], $3::text[]) AS f(guid, topic)
	JOIN items i ON i.source = $1 AND i.guid = f.guid
	ON CONFLICT DO NOTHING`

// updateSQL stores an edit of a known item in one statement: the item, its
// story marked updated, its topics replaced.
const updateSQL = `WITH
	u AS (UPDATE items SET link = $2, url = $3, title = $4, summary = $5, content = $6,
			author = $7, categories = $8, image = $9, enclosures = $10, published = $11, updated = $12, hash = $13
		WHERE id = $1 RETURNING id),
	touched AS (UPDATE stories SET updated = GREATEST(updated, $12, $15) WHERE key = $14),
	cleared AS (DELETE FROM item_topics WHERE item_id = $1 AND topic <> ALL($16::text[])),
	filed AS (INSERT INTO item_topics (topic, item_id) SELECT t, $1 FROM unnest($16::text[]) t
		WHERE EXISTS (SELECT 1 FROM u) ON CONFLICT DO NOTHING)
	SELECT 1`

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// lists returns an item's categories and enclosures as JSON arrays.
func lists(it *news.Item) (cats, encs string, err error) {
	c := it.Categories
	if c == nil {
		c = []string{}
	}
	cb, err := json.Marshal(c)
	if err != nil {
		return "", "", err
	}
	e := it.Enclosures
	if e == nil {
		e = []news.Enclosure{}
	}
	eb, err := json.Marshal(e)
	return string(cb), string(eb), err
}
