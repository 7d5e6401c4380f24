package store

import (
	"context"
	"database/sql"
	"slices"
	"sort"

	"tributary/news"
)

// Stories returns the newest limit stories of a topic (news.AllTopic for
// every story), newest first. Each story's items come representative
// first: highest source priority, then earliest published.
func (d *DB) Stories(ctx context.Context, topic string, limit int) ([]news.Story, error) {
	if topic == news.AllTopic {
		return d.stories(ctx, topic, `SELECT key, published, updated FROM stories
			ORDER BY published DESC, key LIMIT $1`, limit)
	}
	return d.stories(ctx, topic, `SELECT s.key, s.published, s.updated
		FROM story_topics st JOIN stories s ON s.key = st.story
		WHERE st.topic = $1 ORDER BY st.published DESC, st.story LIMIT $2`, topic, limit)
}

// PublicStories returns the newest limit stories of the catch-all, as
// Stories does, leaving out every story filed only in private topics.
func (d *DB) PublicStories(ctx context.Context, private []string, limit int) ([]news.Story, error) {
	if len(private) == 0 {
		return d.Stories(ctx, news.AllTopic, limit)
	}
	in := list(2, len(private))
	return d.stories(ctx, news.AllTopic, `SELECT key, published, updated FROM stories s
		WHERE NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic IN (`+in+`))
		   OR EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic NOT IN (`+in+`))
		ORDER BY published DESC, key LIMIT $1`, append([]any{limit}, strs(private)...)...)
}

// stories reads the stories a query lists (key, published, updated), in
// its order, with their members and topics, from one snapshot.
func (d *DB) stories(ctx context.Context, topic, query string, args ...any) ([]news.Story, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.Errorf("stories %s: %w", topic, err)
	}
	defer tx.Rollback()
	var stories []news.Story
	err = d.each(ctx, tx, query, args, func(rows *sql.Rows) error {
		var s news.Story
		var published, updated int64
		if err := rows.Scan(&s.Key, &published, &updated); err != nil {
			return err
		}
		s.Published, s.Updated = FromNanos(published), FromNanos(updated)
		stories = append(stories, s)
		return nil
	})
	if err != nil {
		return nil, d.Errorf("stories %s: %w", topic, err)
	}
	if len(stories) == 0 {
		return nil, nil
	}
	if err := d.fillStories(ctx, tx, stories); err != nil {
		return nil, d.Errorf("stories %s: %w", topic, err)
	}
	return stories, nil
}

// fillStories loads the members and topics of the given stories. q must
// be a snapshot: the topics read must be of the members read.
func (d *DB) fillStories(ctx context.Context, q querier, stories []news.Story) error {
	pos := make(map[string]int, len(stories))
	keys := make([]any, len(stories))
	for i, s := range stories {
		pos[s.Key], keys[i] = i, s.Key
	}
	in := list(1, len(keys))
	err := d.each(ctx, q, `SELECT `+itemColumns+`, `+outletColumns+` FROM items i
		LEFT JOIN sources s ON s.name = i.source
		WHERE i.story IN (`+in+`)
		ORDER BY coalesce(s.priority, 0) DESC, i.published, i.id`, keys, func(rows *sql.Rows) error {
		it, err := scanItem(rows, true)
		if err != nil {
			return err
		}
		s := &stories[pos[it.Story]]
		s.Items = append(s.Items, it)
		return nil
	})
	if err != nil {
		return err
	}
	byID := map[int64]*news.Item{}
	for i := range stories {
		for j := range stories[i].Items {
			byID[stories[i].Items[j].ID] = &stories[i].Items[j]
		}
	}
	err = d.each(ctx, q, `SELECT t.item_id, t.topic FROM item_topics t JOIN items i ON i.id = t.item_id
		WHERE i.story IN (`+in+`) ORDER BY t.topic`, keys, func(rows *sql.Rows) error {
		var id int64
		var topic string
		if err := rows.Scan(&id, &topic); err != nil {
			return err
		}
		it := byID[id]
		it.Topics = append(it.Topics, topic)
		if s := &stories[pos[it.Story]]; !slices.Contains(s.Topics, topic) {
			s.Topics = append(s.Topics, topic)
		}
		return nil
	})
	for i := range stories {
		sort.Strings(stories[i].Topics)
	}
	return err
}

// StoryItems returns a story's items, representative first.
func (d *DB) StoryItems(ctx context.Context, key string) ([]news.Item, error) {
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.Errorf("story %s: %w", key, err)
	}
	defer tx.Rollback()
	s := []news.Story{{Key: key}}
	if err := d.fillStories(ctx, tx, s); err != nil {
		return nil, d.Errorf("story %s: %w", key, err)
	}
	return s[0].Items, nil
}

// TopicCounts returns the number of stories in each topic that has any,
// news.AllTopic included.
func (d *DB) TopicCounts(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	var all int
	if err := d.sql.QueryRowContext(ctx, `SELECT count(*) FROM stories`).Scan(&all); err != nil {
		return nil, d.Errorf("topic counts: %w", err)
	}
	counts[news.AllTopic] = all
	err := d.each(ctx, d.sql, `SELECT topic, count(*) FROM story_topics GROUP BY topic`, nil, func(rows *sql.Rows) error {
		var topic string
		var n int
		err := rows.Scan(&topic, &n)
		counts[topic] = n
		return err
	})
	if err != nil {
		return nil, d.Errorf("topic counts: %w", err)
	}
	return counts, nil
}
