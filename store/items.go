package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tributary/news"
)

// itemColumns are an item's stored columns, of items as i.
const itemColumns = `i.id, i.source, i.guid, i.story, i.link, i.url, i.title, i.summary, i.content,
	i.author, i.categories, i.image, i.enclosures, i.published, i.updated, i.fetched, i.hash`

// outletColumns name an item's outlet, from a join of its source as s.
const outletColumns = `coalesce(s.title, ''), coalesce(s.url, ''), coalesce(s.site, '')`

// topicsOf is an item's topics (of items as i) in one column, joined by
// $n, the separator argument topicSep.
const topicsOf = `coalesce((SELECT string_agg(t.topic, $%d ORDER BY t.topic) FROM item_topics t WHERE t.item_id = i.id), '')`

// topicSep joins an item's topics in one column; no topic holds it.
const topicSep = "\x1f"

// splitTopics reads the column topicsOf makes.
func splitTopics(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, topicSep)
}

// scanItem reads itemColumns, and the outletColumns after them when
// withOutlet is set.
func scanItem(rows *sql.Rows, withOutlet bool) (news.Item, error) {
	var it news.Item
	var cats, encs string
	var published, updated, fetched int64
	dst := []any{&it.ID, &it.Source, &it.GUID, &it.Story, &it.Link, &it.URL, &it.Title, &it.Summary,
		&it.Content, &it.Author, &cats, &it.Image, &encs, &published, &updated, &fetched, &it.Hash}
	if withOutlet {
		dst = append(dst, &it.Outlet.Title, &it.Outlet.FeedURL, &it.Outlet.Site)
	}
	if err := rows.Scan(dst...); err != nil {
		return it, err
	}
	it.Outlet.Name = it.Source
	if err := DecodeLists(&it, cats, encs); err != nil {
		return it, err
	}
	it.Published, it.Updated, it.Fetched = FromNanos(published), FromNanos(updated), FromNanos(fetched)
	return it, nil
}

// knownChunk bounds the GUIDs asked for at once, well under SQLite's
// limit on a statement's variables.
const knownChunk = 500

// KnownItems returns, for those of guids already stored for source, what is
// needed to tell whether they changed.
func (d *DB) KnownItems(ctx context.Context, source string, guids []string) (map[string]Known, error) {
	known := make(map[string]Known, len(guids))
	for start := 0; start < len(guids); start += knownChunk {
		part := guids[start:min(start+knownChunk, len(guids))]
		args := append([]any{source, topicSep}, strs(part)...)
		err := d.each(ctx, d.sql, `SELECT i.guid, i.id, i.hash, i.story, i.published, i.fetched, `+
			fmt.Sprintf(topicsOf, 2)+` FROM items i WHERE i.source = $1 AND i.guid IN (`+list(3, len(part))+`)`, args, func(rows *sql.Rows) error {
			var guid, topics string
			var k Known
			var published, fetched int64
			if err := rows.Scan(&guid, &k.ID, &k.Hash, &k.Story, &published, &fetched, &topics); err != nil {
				return err
			}
			k.Published, k.Fetched, k.Topics = FromNanos(published), FromNanos(fetched), splitTopics(topics)
			known[guid] = k
			return nil
		})
		if err != nil {
			return nil, d.Errorf("known items %s: %w", source, err)
		}
	}
	return known, nil
}

// indexColumns are what the dedupe index, and the sections learning from
// the outlets (topic.Outlets), read of an item (RecentItems), the summary
// and content cut at $2.
const indexColumns = `i.id, i.source, i.guid, i.story, i.link, i.url, i.title, substr(i.summary, 1, $2), substr(i.content, 1, $2),
	i.categories, i.published, i.fetched`

// scanIndexed reads indexColumns and what follows them into it.
func scanIndexed(rows *sql.Rows, it *news.Item, more ...any) error {
	var published, fetched int64
	var cats string
	dst := append([]any{&it.ID, &it.Source, &it.GUID, &it.Story, &it.Link, &it.URL, &it.Title, &it.Summary, &it.Content,
		&cats, &published, &fetched}, more...)
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	it.Published, it.Fetched = FromNanos(published), FromNanos(fetched)
	it.Categories = nil
	if err := json.Unmarshal([]byte(cats), &it.Categories); err != nil {
		return fmt.Errorf("item %d categories: %w", it.ID, err)
	}
	if len(it.Categories) == 0 {
		it.Categories = nil
	}
	return nil
}

// RecentItems calls fn for every item published or first fetched at or
// after since, in the order they were stored (Store).
func (d *DB) RecentItems(ctx context.Context, since time.Time, textChars int, fn func(*news.Item)) error {
	var it news.Item
	err := d.each(ctx, d.sql, `SELECT `+indexColumns+`
		FROM items i WHERE i.published >= $1 OR i.fetched >= $1 ORDER BY i.id`, []any{Nanos(since), textChars}, func(rows *sql.Rows) error {
		if err := scanIndexed(rows, &it); err != nil {
			return err
		}
		fn(&it)
		return nil
	})
	if err != nil {
		return d.Errorf("recent items: %w", err)
	}
	return nil
}

// ItemsAfter calls fn, in id order, for every item with an id after
// after, with what RecentItems gives and its topics, and returns the last
// id (after, when there is none): how a replica follows the others.
func (d *DB) ItemsAfter(ctx context.Context, after int64, textChars int, fn func(*news.Item)) (int64, error) {
	last := after
	err := d.each(ctx, d.sql, `SELECT `+indexColumns+`, `+fmt.Sprintf(topicsOf, 3)+`
		FROM items i WHERE i.id > $1 ORDER BY i.id`, []any{after, textChars, topicSep}, func(rows *sql.Rows) error {
		var it news.Item
		var topics string
		if err := scanIndexed(rows, &it, &topics); err != nil {
			return err
		}
		it.Topics = splitTopics(topics)
		fn(&it)
		last = it.ID
		return nil
	})
	if err != nil {
		return after, d.Errorf("items after %d: %w", after, err)
	}
	return last, nil
}

// LastItemID returns the newest item's id, 0 for none.
func (d *DB) LastItemID(ctx context.Context) (int64, error) {
	var id int64
	if err := d.sql.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM items`).Scan(&id); err != nil {
		return 0, d.Errorf("last item: %w", err)
	}
	return id, nil
}

// EachItem calls fn for every stored item, a story's items one after the
// other (oldest first), in one snapshot.
func (d *DB) EachItem(ctx context.Context, fn func(*news.Item) error) error {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return d.Errorf("items: %w", err)
	}
	defer tx.Rollback()
	var fnErr error
	err = d.each(ctx, tx, `SELECT `+itemColumns+` FROM items i ORDER BY i.story, i.id`, nil, func(rows *sql.Rows) error {
		it, err := scanItem(rows, false)
		if err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return d.Errorf("items: %w", err)
	}
	return nil
}

// ItemTopics returns every stored item's topics, by item id, sorted: what
// `tributary topics try` compares new rules with.
func (d *DB) ItemTopics(ctx context.Context) (map[int64][]string, error) {
	out := map[int64][]string{}
	err := d.each(ctx, d.sql, `SELECT item_id, topic FROM item_topics ORDER BY item_id, topic`, nil, func(rows *sql.Rows) error {
		var id int64
		var topic string
		if err := rows.Scan(&id, &topic); err != nil {
			return err
		}
		out[id] = append(out[id], topic)
		return nil
	})
	if err != nil {
		return nil, d.Errorf("item topics: %w", err)
	}
	return out, nil
}

// FindItems returns the stored items a user may mean by arg: those whose
// link or canonical URL is canonical, whose GUID is arg, or whose title is
// arg (ignoring case), newest first.
func (d *DB) FindItems(ctx context.Context, arg, canonical string) ([]news.Item, error) {
	var out []news.Item
	err := d.each(ctx, d.sql, `SELECT `+itemColumns+` FROM items i
		WHERE i.url = $1 OR i.link = $2 OR i.guid = $2 OR lower(i.title) = lower($2)
		ORDER BY i.published DESC, i.id DESC LIMIT 20`, []any{canonical, arg}, func(rows *sql.Rows) error {
		it, err := scanItem(rows, false)
		out = append(out, it)
		return err
	})
	if err != nil {
		return nil, d.Errorf("find items: %w", err)
	}
	return out, nil
}

// SetContent replaces a stored item's content (its article, extracted),
// unless the item has changed since (its hash differs) or is gone.
func (d *DB) SetContent(ctx context.Context, id int64, hash, content string) error {
	if _, err := d.exec(ctx, d.sql, `UPDATE items SET content = $1 WHERE id = $2 AND hash = $3`, content, id, hash); err != nil {
		return d.Errorf("set content of item %d: %w", id, err)
	}
	return nil
}
