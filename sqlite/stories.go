package sqlite

import (
	"context"
	"database/sql"
	"sort"

	"tributary/news"
)

const itemColumns = `i.id, i.source, i.guid, i.story, i.link, i.url, i.title, i.summary, i.content,
	i.author, i.categories, i.image, i.enclosures, i.published, i.updated, i.fetched, i.hash`

// outletColumns name an item's outlet, from a join of its source as s.
const outletColumns = `coalesce(s.title, ''), coalesce(s.url, ''), coalesce(s.site, '')`

// scanItem reads itemColumns, and the outletColumns after them when
// withOutlet is set.
func scanItem(rows *sql.Rows, withOutlet ...bool) (news.Item, error) {
	var it news.Item
	var cats, encs string
	var published, updated, fetched int64
	dst := []any{&it.ID, &it.Source, &it.GUID, &it.Story, &it.Link, &it.URL, &it.Title, &it.Summary,
		&it.Content, &it.Author, &cats, &it.Image, &encs, &published, &updated, &fetched, &it.Hash}
	if len(withOutlet) > 0 && withOutlet[0] {
		dst = append(dst, &it.Outlet.Title, &it.Outlet.FeedURL, &it.Outlet.Site)
	}
	if err := rows.Scan(dst...); err != nil {
		return it, err
	}
	it.Outlet.Name = it.Source
	if err := it.DecodeLists(cats, encs); err != nil {
		return it, err
	}
	it.Published, it.Updated, it.Fetched = fromNanos(published), fromNanos(updated), fromNanos(fetched)
	return it, nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// snapshot begins a read-only transaction: its queries see one state of
// the store, whatever polls commit meanwhile (WAL readers never block).
func (d *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	return d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// Stories returns the newest limit stories of a topic (news.AllTopic for
// every story), newest first. Each story's items come representative
// first: highest source priority, then earliest published.
func (d *DB) Stories(ctx context.Context, topic string, limit int) ([]news.Story, error) {
	if topic == news.AllTopic {
		return d.stories(ctx, topic, `SELECT key, published, updated FROM stories
			ORDER BY published DESC, key LIMIT ?`, limit)
	}
	return d.stories(ctx, topic, `SELECT s.key, s.published, s.updated
		FROM story_topics st JOIN stories s ON s.key = st.story
		WHERE st.topic = ? ORDER BY st.published DESC, st.story LIMIT ?`, topic, limit)
}

// PublicStories returns the newest limit stories of the catch-all, as
// Stories does, leaving out every story filed only in private topics.
func (d *DB) PublicStories(ctx context.Context, private []string, limit int) ([]news.Story, error) {
	if len(private) == 0 {
		return d.Stories(ctx, news.AllTopic, limit)
	}
	in := placeholders(len(private))
	args := make([]any, 0, 2*len(private)+1)
	for range 2 {
		for _, t := range private {
			args = append(args, t)
		}
	}
	return d.stories(ctx, news.AllTopic, `SELECT key, published, updated FROM stories s
		WHERE NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic IN (`+in+`))
		   OR EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic NOT IN (`+in+`))
		ORDER BY published DESC, key LIMIT ?`, append(args, limit)...)
}

// stories reads the stories a query lists (key, published, updated), in
// its order, with their members and topics, from one snapshot.
func (d *DB) stories(ctx context.Context, topic, query string, args ...any) ([]news.Story, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.errorf("stories %s: %w", topic, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, d.errorf("stories %s: %w", topic, err)
	}
	var stories []news.Story
	pos := map[string]int{}
	for rows.Next() {
		var s news.Story
		var published, updated int64
		if err := rows.Scan(&s.Key, &published, &updated); err != nil {
			rows.Close()
			return nil, d.errorf("stories %s: %w", topic, err)
		}
		s.Published, s.Updated = fromNanos(published), fromNanos(updated)
		pos[s.Key] = len(stories)
		stories = append(stories, s)
	}
	if err := rows.Close(); err != nil {
		return nil, d.errorf("stories %s: %w", topic, err)
	}
	if len(stories) == 0 {
		return nil, nil
	}
	if err := fillStories(ctx, tx, stories, pos); err != nil {
		return nil, d.errorf("stories %s: %w", topic, err)
	}
	return stories, nil
}

// fillStories loads the members and topics of the given stories. q must
// be a snapshot: the topics read must be of the members read.
func fillStories(ctx context.Context, q querier, stories []news.Story, pos map[string]int) error {
	args := make([]any, len(stories))
	for i, s := range stories {
		args[i] = s.Key
	}
	in := placeholders(len(args))
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+`, `+outletColumns+` FROM items i
		LEFT JOIN sources s ON s.name = i.source
		WHERE i.story IN (`+in+`)
		ORDER BY coalesce(s.priority, 0) DESC, i.published, i.id`, args...)
	if err != nil {
		return err
	}
	byID := map[int64]*news.Item{}
	for rows.Next() {
		it, err := scanItem(rows, true)
		if err != nil {
			rows.Close()
			return err
		}
		s := &stories[pos[it.Story]]
		s.Items = append(s.Items, it)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for i := range stories {
		for j := range stories[i].Items {
			byID[stories[i].Items[j].ID] = &stories[i].Items[j]
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT t.item_id, t.topic FROM item_topics t JOIN items i ON i.id = t.item_id
		WHERE i.story IN (`+in+`) ORDER BY t.topic`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var topic string
		if err := rows.Scan(&id, &topic); err != nil {
			return err
		}
		it := byID[id]
		it.Topics = append(it.Topics, topic)
		s := &stories[pos[it.Story]]
		if !contains(s.Topics, topic) {
			s.Topics = append(s.Topics, topic)
		}
	}
	for i := range stories {
		sort.Strings(stories[i].Topics)
	}
	return rows.Err()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TopicCounts returns the number of stories in each topic that has any,
// news.AllTopic included.
func (d *DB) TopicCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	var all int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM stories`).Scan(&all); err != nil {
		return nil, d.errorf("topic counts: %w", err)
	}
	counts[news.AllTopic] = all
	rows, err := d.db.QueryContext(ctx, `SELECT topic, count(*) FROM story_topics GROUP BY topic`)
	if err != nil {
		return nil, d.errorf("topic counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var topic string
		var n int
		if err := rows.Scan(&topic, &n); err != nil {
			return nil, d.errorf("topic counts: %w", err)
		}
		counts[topic] = n
	}
	return counts, rows.Err()
}

// FindItems returns the stored items a user may mean by arg: those whose
// link or canonical URL is canonical, whose GUID is arg, or whose title is
// arg (ignoring case), newest first.
func (d *DB) FindItems(ctx context.Context, arg, canonical string) ([]news.Item, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+itemColumns+` FROM items i
		WHERE i.url = ? OR i.link = ? OR i.guid = ? OR i.title = ? COLLATE NOCASE
		ORDER BY i.published DESC, i.id DESC LIMIT 20`, canonical, arg, arg, arg)
	if err != nil {
		return nil, d.errorf("find items: %w", err)
	}
	defer rows.Close()
	var out []news.Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, d.errorf("find items: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// StoryItems returns a story's items, representative first.
func (d *DB) StoryItems(ctx context.Context, key string) ([]news.Item, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.errorf("story %s: %w", key, err)
	}
	defer tx.Rollback()
	s := []news.Story{{Key: key}}
	if err := fillStories(ctx, tx, s, map[string]int{key: 0}); err != nil {
		return nil, d.errorf("story %s: %w", key, err)
	}
	return s[0].Items, nil
}

// Priorities returns every known source's priority.
func (d *DB) Priorities(ctx context.Context) (map[string]int, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name, priority FROM sources`)
	if err != nil {
		return nil, d.errorf("priorities: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var p int
		if err := rows.Scan(&name, &p); err != nil {
			return nil, d.errorf("priorities: %w", err)
		}
		out[name] = p
	}
	return out, rows.Err()
}
