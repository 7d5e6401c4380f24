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
	var filings []store.Filing
	err = st.EachItem(ctx, func(it *news.Item) error {
		filings = append(filings, store.Filing{ID: it.ID, Hash: it.Hash, Topics: slices.Clone(topics.Match(it))})
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := st.Refile(ctx, fingerprint, filings); err != nil {
		return 0, err
	}
	return len(filings), nil
}
