package eval

import (
	"cmp"
	"math/rand/v2"
	"slices"

	"tributary/dedupe"
)

// ErrorPair is two items the engine got wrong, by their positions in the
// labelled file, and how the engine compares them as its index stood
// after the last item.
type ErrorPair struct {
	A, B       int
	Comparison dedupe.Comparison
}

// Errors returns up to n false merges (two items of different true
// stories put in one) and n missed pairs (two items of one true story
// kept apart), each a random sample drawn with a fixed seed, so a run is
// repeatable: read them to tune, rather than one number. Missed pairs are
// listed closest first.
func Errors(c *Clustering, items []Labelled, n int) (falseMerges, missed []ErrorPair) {
	if n <= 0 {
		return nil, nil
	}
	byPred, byGold := map[string][]int{}, map[string][]int{}
	for i, l := range items {
		byPred[c.Stories[i]] = append(byPred[c.Stories[i]], i)
		byGold[l.Story] = append(byGold[l.Story], i)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	falseMerges = samplePairs(rng, sortedGroups(byPred), n, func(a, b int) bool { return items[a].Story != items[b].Story })
	missed = samplePairs(rng, sortedGroups(byGold), n, func(a, b int) bool { return c.Stories[a] != c.Stories[b] })
	for _, l := range [][]ErrorPair{falseMerges, missed} {
		for i := range l {
			l[i].Comparison = c.Index.Compare(&c.Items[l[i].A], &c.Items[l[i].B])
		}
	}
	slices.SortStableFunc(missed, func(a, b ErrorPair) int { return -cmp.Compare(a.Comparison.Prob, b.Comparison.Prob) })
	return falseMerges, missed
}

// sortedGroups returns the groups of positions in a stable order.
func sortedGroups(m map[string][]int) [][]int {
	out := make([][]int, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// samplePairs draws up to n distinct pairs within groups for which wrong
// holds, uniformly by reservoir sampling over every such pair.
func samplePairs(rng *rand.Rand, groups [][]int, n int, wrong func(a, b int) bool) []ErrorPair {
	var out []ErrorPair
	seen := 0
	for _, g := range groups {
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				if !wrong(g[i], g[j]) {
					continue
				}
				seen++
				switch {
				case len(out) < n:
					out = append(out, ErrorPair{A: g[i], B: g[j]})
				default:
					if k := rng.IntN(seen); k < n {
						out[k] = ErrorPair{A: g[i], B: g[j]}
					}
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b ErrorPair) int { return cmp.Or(cmp.Compare(a.A, b.A), cmp.Compare(a.B, b.B)) })
	return out
}
