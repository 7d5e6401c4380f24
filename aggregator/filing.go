package aggregator

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"tributary/dedupe"
	"tributary/news"
	"tributary/store"
	"tributary/topic"
)

// fileStories decides the topics by example of every story the poll
// changed — those its new items joined or began together, those its
// edits changed, and those its settled decisions moved items into or out
// of (Poll.Moves) — from all
// the items each holds once the poll is written (topic.Set.MatchStory):
// the new items are filed so, and the stored items whose topics that
// changes are filed again in the poll's transaction (Poll.Refiled). The
// topics changed are marked touched.
func (a *Aggregator) fileStories(ctx context.Context, topics topic.Set, p *store.Poll, matches []dedupe.Match, touched map[string]bool) error {
	p.Refiled = p.Refiled[:0]
	if len(topics.Sections()) == 0 {
		return nil // no topic by example: an item's topics are its own
	}
	fresh := map[string][]int{} // story -> its new items
	stored := map[string]bool{} // stories whose stored items count
	for i, m := range matches {
		key := p.New[i].Story
		fresh[key] = append(fresh[key], i)
		if m.Reason != dedupe.ReasonNew {
			stored[key] = true
		}
	}
	for _, m := range p.Moves {
		stored[m.From], stored[m.To] = true, true
	}
	edited := map[int64]int{} // stored item -> its edit in p.Updated
	for i := range p.Updated {
		stored[p.Updated[i].Story] = true
		edited[p.Updated[i].ID] = i
	}
	// Each story's stored items as the store holds them before the poll,
	// then moved as the poll's moves move them.
	members := map[string][]news.Item{}
	for _, key := range slices.Sorted(maps.Keys(stored)) {
		items, err := a.store.StoryItems(ctx, key)
		if err != nil {
			return fmt.Errorf("story %s: %w", key, err)
		}
		for j := range items { // an item edited by this poll, as it now reads
			if e, ok := edited[items[j].ID]; ok {
				topics := items[j].Topics
				items[j] = p.Updated[e]
				items[j].Topics = topics
			}
		}
		members[key] = items
	}
	for _, m := range p.Moves {
		if m.Source == "" { // a story merged into another
			members[m.To] = append(members[m.To], members[m.From]...)
			members[m.From] = nil
			continue
		}
		from := members[m.From]
		if k := slices.IndexFunc(from, func(it news.Item) bool { return it.Source == m.Source && it.GUID == m.GUID }); k >= 0 {
			members[m.To] = append(members[m.To], from[k])
			members[m.From] = slices.Delete(from, k, k+1)
		}
	}
	keys := slices.Sorted(maps.Keys(stored))
	for key, ids := range fresh {
		if len(ids) > 1 && !stored[key] {
			keys = append(keys, key) // several new items began it together
		}
	}
	for _, key := range keys {
		old := members[key]
		all := slices.Clone(old)
		for _, i := range fresh[key] {
			all = append(all, p.New[i])
		}
		if len(all) == 0 {
			continue
		}
		filed := topics.MatchStory(all)
		for j, it := range old {
			if e, ok := edited[it.ID]; ok { // written with its edit
				p.Updated[e].Topics = filed[j]
				mark(touched, it.Topics, filed[j])
				continue
			}
			if !slices.Equal(it.Topics, filed[j]) {
				p.Refiled = append(p.Refiled, store.Filing{ID: it.ID, Hash: it.Hash, Topics: filed[j]})
				mark(touched, it.Topics)
				mark(touched, filed[j])
			}
		}
		for j, i := range fresh[key] {
			p.New[i].Topics = filed[len(old)+j]
			mark(touched, p.New[i].Topics)
		}
	}
	return nil
}
