package eval

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"tributary/dedupe"
	"tributary/news"
)

// Order is how a run feeds the items to the engine: in polls, one per
// source and Poll period (each fetched at its period's end), the periods
// in time order; within a period, the polls come in source order, or
// shuffled with Seed when Shuffle is set — the order in which replicas
// or a start-up round meet them, which must not change the stories.
type Order struct {
	Poll    time.Duration // default 15 minutes
	Shuffle bool
	Seed    uint64
}

// Clustering is what Cluster found: the story each item ended in, the
// items as the engine saw them, and the index as the last poll left it.
type Clustering struct {
	Stories []string
	Items   []news.Item
	Index   *dedupe.Index
	Moves   int // stored items (and stories) the engine decided again into another story
}

// Cluster runs the items through a fresh index as the daemon meets them
// (see Order) and returns the story each ended in: the story its poll
// put it in, as later decisions moved it (Result.Moves), exactly as the
// store keeps it.
func Cluster(opts dedupe.Options, items []Labelled, order Order) (*Clustering, error) {
	x, err := dedupe.NewIndex(opts)
	if err != nil {
		return nil, err
	}
	if order.Poll <= 0 {
		order.Poll = 15 * time.Minute
	}
	c := &Clustering{Stories: make([]string, len(items)), Items: make([]news.Item, len(items)), Index: x}
	byKey := make(map[string]int, len(items))
	for i, l := range items {
		guid := l.ID
		if guid == "" {
			guid = strconv.Itoa(i)
		}
		c.Items[i] = news.Item{Source: l.Source, GUID: guid, Title: l.Title, Summary: l.Summary,
			Link: l.Link, URL: dedupe.Canonical(l.Link), Published: l.Time}
		byKey[l.Source+"\x00"+guid] = i
	}
	members := map[string][]int{} // the items of each story, as the store would hold them
	set := func(i int, story string) {
		if old := c.Stories[i]; old != "" {
			members[old] = slices.DeleteFunc(members[old], func(j int) bool { return j == i })
		}
		c.Stories[i] = story
		members[story] = append(members[story], i)
	}
	var pruned, last time.Time
	ps := polls(items, order)
	// After the last poll, one more batch settles what is left: the
	// stories as the store holds them once every item has settled.
	ps = append(ps, poll{})
	for n, poll := range ps {
		at := poll.at
		if n == len(ps)-1 {
			at = last.Add(x.Settle())
		}
		last = at
		if at.Sub(pruned) >= time.Hour { // as the daemon prunes, every minute or so
			x.Prune(at)
			pruned = at
		}
		batch := make([]news.Item, len(poll.items))
		for k, i := range poll.items {
			batch[k] = c.Items[i]
			batch[k].Fetched = at
		}
		b := x.Begin(at)
		r := b.AssignAll(batch)
		b.Commit()
		for k, i := range poll.items {
			set(i, r.Matches[k].Story)
		}
		for _, m := range r.Moves {
			c.Moves++
			if m.Source == "" {
				for _, i := range slices.Clone(members[m.From]) {
					set(i, m.To)
				}
				continue
			}
			if i, ok := byKey[m.Source+"\x00"+m.GUID]; ok {
				set(i, m.To)
			}
		}
	}
	return c, nil
}

// poll is the items one poll brings, and when.
type poll struct {
	at    time.Time
	items []int
}

// polls groups the items into polls as Order says.
func polls(items []Labelled, order Order) []poll {
	type key struct {
		period int64
		source string
	}
	by := map[key][]int{}
	var keys []key
	for i, l := range items {
		k := key{l.Time.UnixNano() / int64(order.Poll), l.Source}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], i)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.source, b.source)) })
	if order.Shuffle {
		r := rand.New(rand.NewPCG(order.Seed, 0x7472696275746172))
		for i := 0; i < len(keys); {
			j := i
			for j < len(keys) && keys[j].period == keys[i].period {
				j++
			}
			r.Shuffle(j-i, func(a, b int) { keys[i+a], keys[i+b] = keys[i+b], keys[i+a] })
			i = j
		}
	}
	out := make([]poll, len(keys))
	for n, k := range keys {
		out[n] = poll{at: time.Unix(0, (k.period+1)*int64(order.Poll)).UTC(), items: by[k]}
	}
	return out
}
