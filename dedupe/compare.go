package dedupe

import (
	"slices"
	"sort"

	"tributary/news"
	"tributary/text"
)

// TokenWeight is a headline token and its weight (rarity) in the window.
type TokenWeight struct {
	Token  string
	Weight float64
}

// Comparison is how two headlines compare under the index's current
// token weights.
type Comparison struct {
	Score    float64       // what decides: the headline score with the summaries' part (see combine)
	Headline float64       // the headlines' similarity in [0,1], see score
	Summary  float64       // the summaries' similarity in [0,1]; 0 when either has none
	Shared   []TokenWeight // tokens both hold, heaviest first
	OnlyA    []TokenWeight // tokens only the first holds
	OnlyB    []TokenWeight // tokens only the second holds
}

// Compare scores two headlines as the index would when deciding whether
// they report one story, and says which weighted tokens made the score.
func (x *Index) Compare(a, b string) Comparison {
	return x.CompareItems(&news.Item{Title: a}, &news.Item{Title: b})
}

// CompareItems scores two items as the index would when deciding whether
// they report one story: their headlines, and their summaries (see
// combine).
func (x *Index) CompareItems(a, b *news.Item) Comparison {
	x.mu.Lock()
	defer x.mu.Unlock()
	c := x.compareHeadlines(a.Title, b.Title)
	c.Score = c.Headline
	if a.Source == "" || a.Source != b.Source {
		var score float64
		score, c.Summary = combine(c.Headline, x.sketch(a.Summary), x.sketch(b.Summary))
		if inBand(c.Headline, x.threshold) {
			c.Score = score
		}
	}
	return c
}

// compareHeadlines compares two headlines under the current weights.
func (x *Index) compareHeadlines(a, b string) Comparison {
	x.tokenIDs(a) // interned, so every token has an id and its flags
	x.tokenIDs(b)
	ta, tb := x.norm.Tokens(a), x.norm.Tokens(b)
	var c Comparison
	var shared, totalA, totalB float64
	var nums, places numbers
	for _, t := range ta {
		id := x.vocab[t]
		w := x.weightID(id)
		if text.IsNumber(t) {
			nums.a++
		}
		if x.place[id] {
			places.a++
		}
		totalA += unmatched(w, x.given[id] && !slices.Contains(tb, t))
		if slices.Contains(tb, t) {
			shared += w
			c.Shared = append(c.Shared, TokenWeight{t, w})
			if text.IsNumber(t) {
				nums.shared++
			}
			if x.place[id] {
				places.shared++
			}
		} else {
			c.OnlyA = append(c.OnlyA, TokenWeight{t, w})
		}
	}
	for _, t := range tb {
		if text.IsNumber(t) {
			nums.b++
		}
		id := x.vocab[t]
		if x.place[id] {
			places.b++
		}
		w := x.weightID(id)
		totalB += unmatched(w, x.given[id] && !slices.Contains(ta, t))
		if !slices.Contains(ta, t) {
			c.OnlyB = append(c.OnlyB, TokenWeight{t, w})
		}
	}
	c.Headline = score(shared, totalA, totalB, nums, places)
	for _, l := range [][]TokenWeight{c.Shared, c.OnlyA, c.OnlyB} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Weight > l[j].Weight })
	}
	return c
}

// unmatched returns weight w of a token, reduced to text.GivenWeight of it for
// a given name the other side lacks.
func unmatched(w float64, givenAlone bool) float64 {
	if givenAlone {
		return text.GivenWeight * w
	}
	return w
}
