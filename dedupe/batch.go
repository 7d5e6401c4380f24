package dedupe

import "tributary/news"

// Batch assigns stories to the new items of one poll. Items of the batch
// can match each other as well as the index. Nothing reaches the index
// until Commit, which the caller invokes only once the store has committed
// the same items, so a failed write leaves the index as it was.
type Batch struct {
	x     *Index
	items []*news.Item
	local *Index
}

// Begin starts a batch.
func (x *Index) Begin() *Batch {
	return &Batch{x: x, local: NewIndex(Options{Window: x.window})}
}

// Assign sets it.Story and returns how the story was chosen.
func (b *Batch) Assign(it *news.Item) Match {
	m, ok := b.local.Lookup(it)
	if !ok {
		m, ok = b.x.Lookup(it)
	}
	if !ok {
		m = Match{Story: StoryKey(it.Source, it.GUID), Reason: ReasonNew}
	}
	it.Story = m.Story
	b.local.Add(it)
	b.items = append(b.items, it)
	return m
}

// Commit adds the batch's items to the index.
func (b *Batch) Commit() {
	b.x.mu.Lock()
	defer b.x.mu.Unlock()
	for _, it := range b.items {
		b.x.add(it.URL, entry{story: it.Story, published: it.Published})
	}
}
