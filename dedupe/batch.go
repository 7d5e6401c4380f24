package dedupe

import (
	"cmp"
	"slices"
	"strings"

	"tributary/news"
)

// Batch assigns stories to the new items of one poll. Items of the batch
// match each other as well as the index. The caller commits the batch
// once the store has committed the same items, or rolls it back when the
// store failed, leaving the index as it was.
type Batch struct {
	x     *Index
	undos []undo
	added []int32 // stories the batch created
}

// Begin starts a batch.
func (x *Index) Begin() *Batch { return &Batch{x: x} }

// Assign sets it.Story and returns how the story was chosen. The item is
// indexed at once, so later items of the batch can join its story.
func (b *Batch) Assign(it *news.Item) Match {
	x := b.x
	x.mu.Lock()
	defer x.mu.Unlock()
	tokens := x.tokenIDs(it.Title)
	m, s := x.match(it, tokens)
	if s < 0 {
		m = Match{Story: StoryKey(it.Source, it.GUID), Reason: ReasonNew}
		if _, ok := x.storyIDs[m.Story]; !ok {
			b.added = append(b.added, x.storyFor(m.Story))
		}
		s = x.storyFor(m.Story) // or a replayed item's: its story is indexed
	}
	it.Story = m.Story
	var u undo
	x.add(it, tokens, s, &u)
	b.undos = append(b.undos, u)
	return m
}

// Commit keeps the batch's items in the index.
func (b *Batch) Commit() { b.undos, b.added = nil, nil }

// Rollback takes the batch's items out of the index again.
func (b *Batch) Rollback() {
	x := b.x
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := len(b.undos) - 1; i >= 0; i-- {
		u := b.undos[i]
		if u.summary {
			s := &x.stories[x.ents[u.entry].story]
			s.sum, s.sumLen = 0, 0
		}
		x.kill(u.entry)
		if u.hasURL {
			if u.hadURL {
				x.byURL[u.url] = u.oldURL
			} else {
				delete(x.byURL, u.url)
			}
		}
	}
	for _, sid := range b.added {
		if x.sizes[sid] == 0 {
			delete(x.storyIDs, x.stories[sid].key)
		}
	}
	b.undos, b.added = nil, nil
}

// AssignAll assigns stories to a poll's new items in a canonical order,
// published time, then source, then GUID, rather than the order the feed
// lists them in: so the same items give the same stories however they are
// listed. It returns each item's match, in the items' order.
func (b *Batch) AssignAll(items []news.Item) []Match {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, c := &items[i], &items[j]
		return cmp.Or(a.Published.Compare(c.Published), strings.Compare(a.Source, c.Source), strings.Compare(a.GUID, c.GUID))
	})
	out := make([]Match, len(items))
	for _, i := range order {
		out[i] = b.Assign(&items[i])
	}
	return out
}
