package store

import (
	"cmp"
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"
	"time"

	"tributary/news"
)

// Heat is how hot a story carried by outlets outlets is, age after it
// was first published, in a hot window of window: the outlets, halved
// for every quarter of the window.
func Heat(outlets int, age, window time.Duration) float64 {
	return float64(outlets) * math.Exp2(-4*max(age, 0).Hours()/window.Hours())
}

// HotStories returns a topic's hottest stories at now (news.AllTopic for
// every story but those filed only in the private topics): of every story
// first published within window before now and carried by at least
// minSources sources, the limit with the most Heat, hottest first (ties:
// the most recently updated, then the key). It counts the sources of
// the window's stories — the catch-all's in one pass over the window's
// items, a topic's through its index of stories by time — and reads the
// members of the ones it returns only.
func (d *DB) HotStories(ctx context.Context, topic string, private []string, now time.Time, window time.Duration, minSources, limit int) ([]news.Story, error) {
	since := Nanos(now.Add(-window))
	// The catch-all counts every story's sources in one pass over the
	// window's items: every item of a story begun in the window was
	// published or first fetched in it (a copy dated earlier joins later).
	// A topic reads its own stories of the window through its index and
	// counts each one's sources.
	query := `SELECT s.key, s.published, s.updated, g.n
		FROM (SELECT story, count(DISTINCT source) AS n FROM items WHERE published >= $1 OR fetched >= $1
			GROUP BY story HAVING count(DISTINCT source) >= $2) g
		JOIN stories s ON s.key = g.story WHERE s.published >= $1`
	args := []any{since, minSources}
	switch {
	case topic != news.AllTopic:
		query = `SELECT key, published, updated, n FROM (SELECT s.key, s.published, s.updated,
				(SELECT count(DISTINCT i.source) FROM items i WHERE i.story = s.key) AS n
			FROM story_topics st JOIN stories s ON s.key = st.story WHERE st.topic = $3 AND st.published >= $1) h
			WHERE n >= $2`
		args = append(args, topic)
	case len(private) > 0:
		in := list(3, len(private))
		query += ` AND (NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic IN (` + in + `))
			OR EXISTS (SELECT 1 FROM story_topics st WHERE st.story = s.key AND st.topic NOT IN (` + in + `)))`
		args = append(args, strs(private)...)
	}
	tx, err := d.snapshot(ctx)
	if err != nil {
		return nil, d.Errorf("hot stories %s: %w", topic, err)
	}
	defer tx.Rollback()
	type ranked struct {
		s    news.Story
		heat float64
	}
	var hot []ranked
	err = d.each(ctx, tx, query, args, func(rows *sql.Rows) error {
		var s news.Story
		var published, updated int64
		var n int
		if err := rows.Scan(&s.Key, &published, &updated, &n); err != nil {
			return err
		}
		s.Published, s.Updated = FromNanos(published), FromNanos(updated)
		hot = append(hot, ranked{s, Heat(n, now.Sub(s.Published), window)})
		return nil
	})
	if err != nil {
		return nil, d.Errorf("hot stories %s: %w", topic, err)
	}
	slices.SortFunc(hot, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.heat, a.heat), b.s.Updated.Compare(a.s.Updated), strings.Compare(a.s.Key, b.s.Key))
	})
	out := make([]news.Story, 0, min(len(hot), limit))
	for _, h := range hot[:min(len(hot), limit)] {
		out = append(out, h.s)
	}
	if len(out) == 0 {
		return nil, nil
	}
	if err := d.fillStories(ctx, tx, out); err != nil {
		return nil, d.Errorf("hot stories %s: %w", topic, err)
	}
	return out, nil
}
