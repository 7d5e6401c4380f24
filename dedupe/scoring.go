package dedupe

import (
	"math"
	"tributary/text"
)

// weight is a token's rarity: high for a token few entries hold.
// Unknown tokens (df 0) weigh the most. The window's live entries are
// counted together with text.PriorDocs documents of the background table
// (share is the token's share of those): so a window of a few dozen
// headlines weighs words as the news at large does, and a full one by
// what it holds itself.
func (x *Index) weight(df int32, share float32) float64 {
	return math.Log(1 + float64(x.live+text.PriorDocs+1)/(float64(df)+text.PriorDocs*float64(share)+1))
}

// weightID is token id's weight.
func (x *Index) weightID(id uint32) float64 { return x.weight(x.df[id], x.bg[id]) }

// tokenWeightID returns the weight of token id, cached until the next
// query begins (newQuery).
func (x *Index) tokenWeightID(id uint32) float64 {
	if x.stamps[id] != x.stamp {
		x.cached[id], x.stamps[id] = x.weightID(id), x.stamp
	}
	return x.cached[id]
}

// newQuery invalidates the weight cache.
func (x *Index) newQuery() { x.stamp++ }

// weighted is a query token with its weight.
type weighted struct {
	id      uint32
	known   bool
	numeric bool
	place   bool // a country
	given   bool // a given name: weighs text.GivenWeight of its weight when the other side lacks it
	weight  float64
}

// weigh returns the query's tokens with their weights, and their sum,
// valid until the next call. A token no live entry holds is unknown: it
// weighs the most and matches nothing.
func (x *Index) weigh(ids []uint32) ([]weighted, float64) {
	out := grow(x.q[:0], len(ids))
	x.q = out
	var total float64
	for i, id := range ids {
		df := x.df[id]
		out[i] = weighted{id: id, known: df > 0, numeric: x.numeric[id], place: x.place[id], given: x.given[id], weight: x.weightID(id)}
		total += out[i].weight
	}
	return out, total
}

// numbers counts the numeric tokens (or the places) of two headlines and
// those they share.
type numbers struct{ a, b, shared int }

// conflict reports whether both carry some and share none.
func (n numbers) conflict() bool { return n.a > 0 && n.b > 0 && n.shared == 0 }

// apart reports whether each carries one the other lacks.
func (n numbers) apart() bool { return n.a > n.shared && n.b > n.shared }

// numberConflict scales down the score of headlines that both carry
// numbers and share none ("7 dead in China" and "3 dead in China" are two
// events more often than one), or that each name a country the other does
// not ("president to visit UK" and "president to visit Australia").
const numberConflict = 0.75

// score is the similarity of two headlines (or a headline and a story)
// from the weight of the tokens they share and the total weight of each:
// the mean of the weighted Jaccard similarity (shared over union) and the
// weighted overlap coefficient (shared over the lighter side), scaled down
// on a number or a place conflict. Jaccard keeps a short headline from
// matching a long one on a few words; the overlap coefficient lets a
// headline that adds detail ("... dies at 82") still match. It is
// symmetric, in [0,1], and 1 for identical token sets.
func score(shared, a, b float64, n, places numbers) float64 {
	union := a + b - shared
	lighter := min(a, b)
	if union <= 0 || lighter <= 0 {
		return 0
	}
	s := (shared/union + shared/lighter) / 2
	if n.conflict() {
		s *= numberConflict
	}
	if places.apart() {
		s *= numberConflict
	}
	return min(s, 1)
}

// minShared is the least share of a query's weight that any match scoring
// at least t must hold: score ≤ (shared/a + 1)/2, so shared ≥ (2t−1)·a.
func minShared(t float64) float64 { return max(2*t-1, 0) }

// grow returns s extended to n elements.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
