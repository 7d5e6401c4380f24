package aggregator

import (
	"context"
	"slices"

	"tributary/news"
	"tributary/store"
	"tributary/topic"
)

// Refile files every stored item again under topics when the rules'
// fingerprint differs from the one the stored filings were made with,
// and returns how many items it refiled: 0 when the rules did not change.
// Polls may go on meanwhile, filing with the new rules (set them in the
// aggregator first).
func Refile(ctx context.Context, st store.Store, fingerprint string, topics topic.Set) (int, error) {
	old, err := st.RulesFingerprint(ctx)
	if err != nil || old == fingerprint {
		return 0, err
	}
	// A story's items come together: its topics by example are decided
	// from all of them (topic.Set.MatchStory), as polls decide them.
	var filings []store.Filing
	var story []news.Item
	flush := func() {
		for i, topics := range topics.MatchStory(story) {
			filings = append(filings, store.Filing{ID: story[i].ID, Hash: story[i].Hash, Topics: slices.Clone(topics)})
		}
		story = story[:0]
	}
	err = st.EachItem(ctx, func(it *news.Item) error {
		if len(story) > 0 && story[0].Story != it.Story {
			flush()
		}
		story = append(story, *it)
		return nil
	})
	if err != nil {
		return 0, err
	}
	flush()
	if err := st.Refile(ctx, fingerprint, filings); err != nil {
		return 0, err
	}
	return len(filings), nil
}
