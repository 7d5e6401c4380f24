package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"tributary/news"
	"tributary/store"
)

// SavePoll writes everything one poll changed in a single transaction: the
// source's fetch state, new items with their stories and topics, and edits
// to known items. A new item already stored (same source and GUID) is left
// as it is, so replaying a poll adds nothing. PostgreSQL's fast path: the
// poll's new items are one statement (arrays unnested), their filings
// another, each edit one: a poll costs a few round trips, not a few per
// item.
func (d *DB) SavePoll(ctx context.Context, p *store.Poll) error {
	if len(p.New)+len(p.Updated)+len(p.Moves)+len(p.Refiled) == 0 && p.Outlet == nil {
		// A fetch state alone is one statement, atomic by itself: no
		// transaction's two more round trips.
		if err := d.SaveState(ctx, d.SQL(), p); err != nil {
			return d.Errorf("save poll %s: %w", p.Source, err)
		}
		return nil
	}
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		if err := d.SaveState(ctx, tx, p); err != nil {
			return err
		}
		at := store.Nanos(p.State.LastPoll)
		if len(p.New)+len(p.Updated) == 0 { // settling may move stored items though the poll brought none
			return d.FinishPoll(ctx, tx, p)
		}
		if err := d.insertNew(ctx, tx, p, at); err != nil {
			return err
		}
		for i := range p.Updated {
			it := &p.Updated[i]
			cats, encs, err := store.EncodeLists(it)
			if err != nil {
				return fmt.Errorf("item %q: %w", it.GUID, err)
			}
			if _, err := tx.ExecContext(ctx, updateSQL, it.ID, it.Link, it.URL, it.Title, it.Summary, it.Content, it.Author,
				cats, it.Image, encs, store.Nanos(it.Published), store.Nanos(it.Updated), it.Hash, it.Story, at,
				nonNil(it.Topics)); err != nil {
				return fmt.Errorf("item %q: %w", it.GUID, err)
			}
		}
		return d.FinishPoll(ctx, tx, p)
	})
	if err != nil {
		return d.Errorf("save poll %s: %w", p.Source, err)
	}
	return nil
}

// insertNew stores a poll's new items and files them, setting the ID of
// each stored now.
func (d *DB) insertNew(ctx context.Context, tx *sql.Tx, p *store.Poll, at int64) error {
	if len(p.New) == 0 {
		return nil
	}
	var n newItems
	byGUID := make(map[string]*news.Item, len(p.New))
	for i := range p.New {
		it := &p.New[i]
		if err := n.add(it); err != nil {
			return fmt.Errorf("item %q: %w", it.GUID, err)
		}
		byGUID[it.Source+"\x00"+it.GUID] = it
	}
	rows, err := tx.QueryContext(ctx, insertAllSQL, n.story, n.published, n.updated, n.source, n.guid, n.link, n.url,
		n.title, n.summary, n.content, n.author, n.categories, n.image, n.enclosures, n.fetched, n.hash, at,
		n.filedOrd, n.filedTopic)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() { // the items stored now: one stored by an interrupted run is left as it is
		var id int64
		var source, guid string
		if err := rows.Scan(&id, &source, &guid); err != nil {
			return err
		}
		if it := byGUID[source+"\x00"+guid]; it != nil {
			it.ID = id
		}
	}
	return rows.Err()
}

// newItems are a poll's new items, column by column, for insertAllSQL.
type newItems struct {
	story, source, guid, link, url, title, summary, content, author, categories, image, enclosures, hash []string
	published, updated, fetched                                                                          []int64
	filedOrd                                                                                             []int32  // filings: the item's place in the poll (1-based)
	filedTopic                                                                                           []string // and the topic
}

func (n *newItems) add(it *news.Item) error {
	cats, encs, err := store.EncodeLists(it)
	if err != nil {
		return err
	}
	n.story, n.source, n.guid = append(n.story, it.Story), append(n.source, it.Source), append(n.guid, it.GUID)
	n.link, n.url, n.title = append(n.link, it.Link), append(n.url, it.URL), append(n.title, it.Title)
	n.summary, n.content, n.author = append(n.summary, it.Summary), append(n.content, it.Content), append(n.author, it.Author)
	n.categories, n.image, n.enclosures = append(n.categories, cats), append(n.image, it.Image), append(n.enclosures, encs)
	n.hash = append(n.hash, it.Hash)
	n.published, n.updated, n.fetched = append(n.published, store.Nanos(it.Published)), append(n.updated, store.Nanos(it.Updated)), append(n.fetched, store.Nanos(it.Fetched))
	for _, t := range it.Topics {
		n.filedOrd, n.filedTopic = append(n.filedOrd, int32(len(n.guid))), append(n.filedTopic, t)
	}
	return nil
}

// insertAllSQL stores a poll's new items in one statement, as storing
// them one after another in the poll's order would: a story begins with
// its first item's published and updated times (a story's published time
// never moves), a copy joining a story marks it updated when the poll ran
// (or when the copy says, if later) — a story begun by this poll with
// several of its items included — and an item stored already (an
// interrupted run, replayed) is left as it is; the items stored now are
// filed under their topics ($18, $19: each filing's item by its place in
// the poll, and its topic), so story_topics' trigger runs once. It
// returns the items stored now.
const insertAllSQL = `WITH
	new AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[], $16::text[])
		WITH ORDINALITY AS n(story, published, updated, source, guid, link, url, title, summary, content, author,
			categories, image, enclosures, fetched, hash, ord)),
	firsts AS (SELECT DISTINCT ON (story) story, published, updated FROM new ORDER BY story, ord),
	copies AS (SELECT story, count(*) AS n, max(updated) AS latest FROM new GROUP BY story),
	s AS (INSERT INTO stories (key, published, updated)
		SELECT f.story, f.published, CASE WHEN c.n > 1 THEN GREATEST(c.latest, $17) ELSE f.updated END
		FROM firsts f JOIN copies c USING (story)
		ON CONFLICT (key) DO NOTHING RETURNING key),
	i AS (INSERT INTO items (source, guid, story, link, url, title, summary, content,
			author, categories, image, enclosures, published, updated, fetched, hash)
		SELECT source, guid, story, link, url, title, summary, content, author, categories, image, enclosures,
			published, updated, fetched, hash FROM new ORDER BY ord
		ON CONFLICT (source, guid) DO NOTHING RETURNING id, source, guid, story, updated),
	joined AS (UPDATE stories st SET updated = GREATEST(st.updated, j.latest, $17)
		FROM (SELECT story, max(updated) AS latest FROM i WHERE story NOT IN (SELECT key FROM s) GROUP BY story) j
		WHERE st.key = j.story),
	filed AS (INSERT INTO item_topics (item_id, topic)
		SELECT i.id, f.topic FROM unnest($18::int[], $19::text[]) AS f(ord, topic)
		JOIN new n ON n.ord = f.ord JOIN i ON i.source = n.source AND i.guid = n.guid
		ON CONFLICT DO NOTHING)
	SELECT id, source, guid FROM i`

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
