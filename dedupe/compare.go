package dedupe

import "sort"

// TokenWeight is a headline token and its weight (rarity) in the window.
type TokenWeight struct {
	Token  string
	Weight float64
}

// Comparison is how two headlines compare under the index's current
// token weights.
type Comparison struct {
	Score  float64       // similarity in [0,1], see score
	Shared []TokenWeight // tokens both hold, heaviest first
	OnlyA  []TokenWeight // tokens only the first holds
	OnlyB  []TokenWeight // tokens only the second holds
}

// Compare scores two headlines as the index would when deciding whether
// they report one story, and says which weighted tokens made the score.
func (x *Index) Compare(a, b string) Comparison {
	x.mu.Lock()
	defer x.mu.Unlock()
	ta, tb := x.norm.Tokens(a), x.norm.Tokens(b)
	inB := make(map[string]bool, len(tb))
	for _, t := range tb {
		inB[t] = true
	}
	var c Comparison
	var shared, totalA, totalB float64
	var nums numbers
	seen := map[string]bool{}
	for _, t := range ta {
		w := x.tokenWeight(t)
		totalA += w
		if isNumber(t) {
			nums.a++
		}
		if inB[t] {
			shared += w
			c.Shared = append(c.Shared, TokenWeight{t, w})
			seen[t] = true
			if isNumber(t) {
				nums.shared++
			}
		} else {
			c.OnlyA = append(c.OnlyA, TokenWeight{t, w})
		}
	}
	for _, t := range tb {
		if isNumber(t) {
			nums.b++
		}
		w := x.tokenWeight(t)
		totalB += w
		if !seen[t] {
			c.OnlyB = append(c.OnlyB, TokenWeight{t, w})
		}
	}
	c.Score = score(shared, totalA, totalB, nums)
	for _, l := range [][]TokenWeight{c.Shared, c.OnlyA, c.OnlyB} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Weight > l[j].Weight })
	}
	return c
}

func (x *Index) tokenWeight(t string) float64 {
	if id, ok := x.vocab[t]; ok {
		return x.weight(x.df[id])
	}
	return x.weight(0)
}
