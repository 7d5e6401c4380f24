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
// as it is, so replaying a poll adds nothing.
func (d *DB) SavePoll(ctx context.Context, p *news.Poll) error {
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		if err := saveState(ctx, tx, p); err != nil {
			return err
		}
		for i := range p.New {
			if err := insertItem(ctx, tx, &p.New[i], p); err != nil {
				return fmt.Errorf("item %q: %w", p.New[i].GUID, err)
			}
		}
		for i := range p.Updated {
			if err := updateItem(ctx, tx, &p.Updated[i], p); err != nil {
				return fmt.Errorf("item %q: %w", p.Updated[i].GUID, err)
			}
		}
		return nil
	})
	if err != nil {
		return d.errorf("save poll %s: %w", p.Source, err)
	}
	return nil
}

func insertItem(ctx context.Context, tx pgx.Tx, it *news.Item, p *news.Poll) error {
	// A story's published time is its first item's, for good: an entry's
	// published date never moves.
	tag, err := tx.Exec(ctx, `INSERT INTO stories (key, published, updated) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO NOTHING`, it.Story, nanos(it.Published), nanos(it.Updated))
	if err != nil {
		return err
	}
	started := tag.RowsAffected() > 0
	cats, encs, err := lists(it)
	if err != nil {
		return err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO items (source, guid, story, link, url, title, summary, content,
			author, categories, image, enclosures, published, updated, fetched, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (source, guid) DO NOTHING RETURNING id`,
		it.Source, it.GUID, it.Story, it.Link, it.URL, it.Title, it.Summary, it.Content, it.Author, cats, it.Image, encs,
		nanos(it.Published), nanos(it.Updated), nanos(it.Fetched), it.Hash).Scan(&id)
	if isAbsent(err) {
		return nil // already stored by an earlier, interrupted run
	}
	if err != nil {
		return err
	}
	if !started { // a copy joined the story: its entry changed now
		if err := touchStory(ctx, tx, it, p); err != nil {
			return err
		}
	}
	it.ID = id
	return setTopics(ctx, tx, id, it.Topics)
}

func updateItem(ctx context.Context, tx pgx.Tx, it *news.Item, p *news.Poll) error {
	cats, encs, err := lists(it)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE items SET link = $1, url = $2, title = $3, summary = $4, content = $5,
			author = $6, categories = $7, image = $8, enclosures = $9, published = $10, updated = $11, hash = $12
		WHERE id = $13`, it.Link, it.URL, it.Title, it.Summary, it.Content, it.Author,
		cats, it.Image, encs, nanos(it.Published), nanos(it.Updated), it.Hash, it.ID); err != nil {
		return err
	}
	if err := touchStory(ctx, tx, it, p); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM item_topics WHERE item_id = $1`, it.ID); err != nil {
		return err
	}
	return setTopics(ctx, tx, it.ID, it.Topics)
}

// touchStory marks the story updated when the poll ran (or when the item
// says, if later): a story a copy joins, or whose member is edited,
// changed then, whatever the upstream's own dates say.
func touchStory(ctx context.Context, tx pgx.Tx, it *news.Item, p *news.Poll) error {
	_, err := tx.Exec(ctx, `UPDATE stories SET updated = GREATEST(updated, $1, $2) WHERE key = $3`,
		nanos(it.Updated), nanos(p.State.LastPoll), it.Story)
	return err
}

func setTopics(ctx context.Context, tx pgx.Tx, id int64, topics []string) error {
	for _, t := range topics {
		if _, err := tx.Exec(ctx, `INSERT INTO item_topics (topic, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, t, id); err != nil {
			return err
		}
	}
	return nil
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
