package aggregator

import (
	"context"
	"slices"

	"tributary/news"
	"tributary/topic"
)

// RefileStore is what refiling needs from the store.
type RefileStore interface {
	// RulesFingerprint returns the fingerprint of the topic rules the
	// stored filings were made with, "" for none yet.
	RulesFingerprint(ctx context.Context) (string, error)
	// EachItem calls fn for every stored item, oldest first.
	EachItem(ctx context.Context, fn func(*news.Item) error) error
	// Refile replaces the topics of each item named in filings, in one
	// transaction with recording fingerprint, but of an item whose hash
	// differs (edited since it was read: its poll filed it under the
	// rules in force) or which is gone.
	Refile(ctx context.Context, fingerprint string, filings []news.Filing) error
}

// Refile files every stored item again under topics when the rules'
// fingerprint differs from the one the stored filings were made with,
// and returns how many items it refiled: 0 when the rules did not change.
// Polls may go on meanwhile, filing with the new rules (set them in the
// aggregator first).
func Refile(ctx context.Context, st RefileStore, fingerprint string, topics topic.Set) (int, error) {
	old, err := st.RulesFingerprint(ctx)
	if err != nil || old == fingerprint {
		return 0, err
	}
	var filings []news.Filing
	err = st.EachItem(ctx, func(it *news.Item) error {
		filings = append(filings, news.Filing{ID: it.ID, Hash: it.Hash, Topics: slices.Clone(topics.Match(it))})
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
