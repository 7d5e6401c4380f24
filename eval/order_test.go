package eval

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"tributary/dedupe"
	"tributary/news"
)

// TestOrderWithinPoll: the same headlines give the same stories however
// each poll lists them. UCI's headlines are polled in rounds of 15
// minutes, one batch per outlet; shuffling the items inside every batch
// must not move one item. It also logs how far the stories move when the
// outlets' batches of each round arrive in another order (concurrent
// polls): greedy assignment is not yet independent of that (README,
// "Near-duplicate stories").
func TestOrderWithinPoll(t *testing.T) {
	items := readShared(t, "headlines/uci-dev.csv", ReadStories)
	// One poll an hour of one feed carrying every outlet's headlines: big
	// polls, listed in any order.
	one := make([]Labelled, len(items))
	for i, l := range items {
		l.Source = "aggregate"
		one[i] = l
	}
	wantOne := clusterInRounds(t, one, nil, false)
	base := clusterInRounds(t, items, nil, false)
	for seed := range uint64(3) {
		got := clusterInRounds(t, one, rand.New(rand.NewPCG(seed, 7)), false)
		if same := samePartition(wantOne, got); same != 1 {
			t.Errorf("seed %d: items shuffled inside their polls: %.4f of items in a story of the same members, want all", seed, same)
		}
		got = clusterInRounds(t, items, rand.New(rand.NewPCG(seed, 7)), true)
		r := ScoreStories(labelsOf(base), got, 0)
		t.Logf("seed %d: polls of a round in another order: %.4f of items in a story of the same members; B-cubed precision %.4f, recall %.4f against the first order",
			seed, samePartition(base, got), r.BCubedPrecision, r.BCubedRecall)
	}
}

// clusterInRounds assigns items as the daemon would meet them when it
// polls every outlet each 15 minutes: a batch per outlet and round, by
// outlet. With rng, the items of each batch are shuffled, and with
// polls, the batches of each round too.
func clusterInRounds(t *testing.T, items []Labelled, rng *rand.Rand, polls bool) []string {
	x, err := dedupe.NewIndex(dedupe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type batch struct {
		round  int64
		source string
		at     []int
	}
	batches := map[string]*batch{}
	for i, l := range items {
		round := l.Time.Truncate(15 * time.Minute).Unix()
		k := fmt.Sprint(round, l.Source)
		if batches[k] == nil {
			batches[k] = &batch{round: round, source: l.Source}
		}
		batches[k].at = append(batches[k].at, i)
	}
	var list []*batch
	for _, b := range batches {
		list = append(list, b)
	}
	slices.SortFunc(list, func(a, b *batch) int { return cmp.Or(cmp.Compare(a.round, b.round), cmp.Compare(a.source, b.source)) })
	if rng != nil && polls {
		for start := 0; start < len(list); {
			end := start
			for end < len(list) && list[end].round == list[start].round {
				end++
			}
			rng.Shuffle(end-start, func(i, j int) { list[start+i], list[start+j] = list[start+j], list[start+i] })
			start = end
		}
	}
	got := make([]string, len(items))
	for _, b := range list {
		its := make([]news.Item, len(b.at))
		for j, i := range b.at {
			l := items[i]
			its[j] = news.Item{Source: l.Source, GUID: strconv.Itoa(i), Title: l.Title, Summary: l.Summary,
				Link: l.Link, URL: dedupe.Canonical(l.Link), Published: l.Time, Fetched: time.Unix(b.round, 0).Add(15 * time.Minute)}
		}
		if rng != nil {
			rng.Shuffle(len(its), func(i, j int) { its[i], its[j] = its[j], its[i] })
		}
		tx := x.Begin()
		tx.AssignAll(its)
		tx.Commit()
		for _, it := range its {
			i, _ := strconv.Atoi(it.GUID)
			got[i] = it.Story
		}
	}
	return got
}

// samePartition returns the share of items whose story has exactly the
// same members in a as in b.
func samePartition(a, b []string) float64 {
	members := func(stories []string) []string {
		byStory := map[string][]int{}
		for i, s := range stories {
			byStory[s] = append(byStory[s], i)
		}
		out := make([]string, len(stories))
		for i, s := range stories {
			out[i] = fmt.Sprint(byStory[s])
		}
		return out
	}
	ma, mb := members(a), members(b)
	same := 0
	for i := range ma {
		if ma[i] == mb[i] {
			same++
		}
	}
	return float64(same) / float64(len(ma))
}

func labelsOf(stories []string) []Labelled {
	out := make([]Labelled, len(stories))
	for i, s := range stories {
		out[i].Story = s
	}
	return out
}
