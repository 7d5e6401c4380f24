package dedupe

import (
	"slices"
	"time"

	"tributary/news"
)

// SettleAt settles every entry first fetched a settle period or more
// before now, as a batch at now would first: the weights count them.
func (x *Index) SettleAt(now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.settleUntil(now)
}

// Pairs calls fn with the features of every pair of items the engine
// would compare — they share a rare token and were published within a
// window of each other — under the index's current weights (the fitting
// tool's training pairs; internal/storyfit). The items are not indexed.
func (x *Index) Pairs(items []news.Item, fn func(i, j int, f Features)) {
	x.mu.Lock()
	defer x.mu.Unlock()
	views := make([]view, len(items))
	rare := map[uint32][]int{}
	// The items' templates as indexing them in time order would read them.
	saved := x.tpl
	x.tpl = newTemplates(x.seed)
	defer func() { x.tpl = saved }()
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return ItemOrder(&items[i], &items[j]) })
	for _, i := range order {
		views[i] = x.itemView(&items[i], learn)
	}
	for i := range items {
		for _, t := range views[i].toks {
			if id := t &^ nameBit; x.v.rare(id) {
				rare[id] = append(rare[id], i)
			}
		}
	}
	win := x.window.Nanoseconds()
	seen := map[[2]int]bool{}
	for i := range items {
		x.load(&x.q, views[i])
		var with []int
		for _, t := range views[i].toks {
			if id := t &^ nameBit; x.v.rare(id) {
				for _, j := range rare[id] {
					if j > i && !slices.Contains(with, j) {
						with = append(with, j)
					}
				}
			}
		}
		slices.Sort(with)
		for _, j := range with {
			if d := views[j].published - views[i].published; d > win || -d > win || seen[[2]int{i, j}] {
				continue
			}
			seen[[2]int{i, j}] = true
			fn(i, j, x.compare(&x.q, views[j]))
		}
	}
}
