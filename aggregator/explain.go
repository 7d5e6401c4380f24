package aggregator

import (
	"context"
	"fmt"
	"time"

	"tributary/dedupe"
	"tributary/store"
)

// Explain says why the item named by arg (a URL, a GUID or a headline)
// is in its story, by the index's current token weights; for a headline
// not stored, which story it would join if published at now.
func Explain(ctx context.Context, st store.Store, index *dedupe.Index, arg string, now time.Time) (*dedupe.Explanation, error) {
	items, err := st.FindItems(ctx, arg, dedupe.Canonical(arg))
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		e := index.ExplainHeadline(arg, arg, now)
		if e.Story != "" {
			if e.Members, err = storyMembers(ctx, st, index, e.Story); err != nil {
				return nil, err
			}
		}
		return &e, nil
	}
	it := items[0]
	members, err := st.StoryItems(ctx, it.Story)
	if err != nil {
		return nil, err
	}
	prio, err := st.Priorities(ctx)
	if err != nil {
		return nil, err
	}
	e := index.Explain(arg, it, members, prio)
	if len(items) > 1 {
		e.Decision += fmt.Sprintf(" (%d stored items match the query; this is the newest)", len(items))
	}
	return &e, nil
}

func storyMembers(ctx context.Context, st store.Store, index *dedupe.Index, story string) ([]dedupe.Member, error) {
	items, err := st.StoryItems(ctx, story)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	prio, err := st.Priorities(ctx)
	if err != nil {
		return nil, err
	}
	e := index.Explain("", items[0], items, prio)
	return e.Members, nil
}
