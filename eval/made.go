package eval

import (
	"cmp"
	"fmt"
	"slices"
)

// Made is what the engine made of a file without labels (the stream):
// how many stories of each size, and the largest ones, to be read.
type Made struct {
	Items   int         `json:"items"`
	Stories int         `json:"stories"`
	Moves   int         `json:"moves"`
	Sizes   []SizeCount `json:"sizes"`   // by size, ascending
	Largest []MadeStory `json:"largest"` // largest first
	Seconds float64     `json:"seconds"`
}

// SizeCount is how many stories have Size items.
type SizeCount struct {
	Size    int `json:"size"`
	Stories int `json:"stories"`
}

// MadeStory is one story the engine made: its items, by position in the
// file, in time order, and how many outlets they come from.
type MadeStory struct {
	Story   string `json:"story"`
	Items   []int  `json:"items"`
	Outlets int    `json:"outlets"`
}

// Describe summarises a clustering: story sizes and the n largest.
func Describe(c *Clustering, items []Labelled, n int) Made {
	by := map[string][]int{}
	for i, s := range c.Stories {
		by[s] = append(by[s], i)
	}
	m := Made{Items: len(items), Stories: len(by), Moves: c.Moves}
	count := map[int]int{}
	all := make([]MadeStory, 0, len(by))
	for s, members := range by {
		count[len(members)]++
		outlets := map[string]bool{}
		for _, i := range members {
			outlets[items[i].Source] = true
		}
		slices.SortStableFunc(members, func(a, b int) int { return items[a].Time.Compare(items[b].Time) })
		all = append(all, MadeStory{Story: s, Items: members, Outlets: len(outlets)})
	}
	for size, k := range count {
		m.Sizes = append(m.Sizes, SizeCount{size, k})
	}
	slices.SortFunc(m.Sizes, func(a, b SizeCount) int { return cmp.Compare(a.Size, b.Size) })
	slices.SortFunc(all, func(a, b MadeStory) int {
		return cmp.Or(-cmp.Compare(len(a.Items), len(b.Items)), cmp.Compare(a.Items[0], b.Items[0]))
	})
	m.Largest = all[:min(n, len(all))]
	return m
}

// SameStories returns the share of items whose story holds exactly the
// same items in a as in b (two runs over one file).
func SameStories(a, b []string) float64 {
	if len(a) == 0 {
		return 1
	}
	sig := func(stories []string) []string {
		members := map[string][]int{}
		for i, s := range stories {
			members[s] = append(members[s], i)
		}
		out := make([]string, len(stories))
		for i, s := range stories {
			out[i] = fmt.Sprint(members[s])
		}
		return out
	}
	sa, sb := sig(a), sig(b)
	same := 0
	for i := range sa {
		if sa[i] == sb[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}
