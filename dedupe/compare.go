package dedupe

import (
	"cmp"
	"slices"
	"time"

	"tributary/news"
)

// TokenWeight is a token and its weight (rarity) in the window.
type TokenWeight struct {
	Token  string
	Weight float64
}

// Comparison is how two items compare under the index's current weights:
// the features, the probability the model gives them, each feature's
// part in it, and the weighted tokens behind them.
type Comparison struct {
	Features      Features
	Prob          float64
	Contributions []Contribution
	Shared        []TokenWeight // tokens both hold, heaviest first
	OnlyA, OnlyB  []TokenWeight // tokens one holds, heaviest first
}

// Compare compares two items as the index would when deciding whether
// they report one event.
func (x *Index) Compare(a, b *news.Item) Comparison {
	x.mu.Lock()
	defer x.mu.Unlock()
	va, vb := x.itemView(a, stored), x.itemView(b, stored)
	x.load(&x.q, va)
	f := x.compare(&x.q, vb)
	c := Comparison{Features: f, Prob: x.model.Prob(&f), Contributions: x.model.Contributions(&f)}
	in := func(v view, id uint32) bool { return indexOf(v.toks, id) >= 0 }
	for _, t := range va.toks {
		id := t &^ nameBit
		tw := TokenWeight{Token: x.v.token(id), Weight: x.v.weight(id)}
		if in(vb, id) {
			c.Shared = append(c.Shared, tw)
		} else {
			c.OnlyA = append(c.OnlyA, tw)
		}
	}
	for _, t := range vb.toks {
		if id := t &^ nameBit; !in(va, id) {
			c.OnlyB = append(c.OnlyB, TokenWeight{Token: x.v.token(id), Weight: x.v.weight(id)})
		}
	}
	for _, l := range [][]TokenWeight{c.Shared, c.OnlyA, c.OnlyB} {
		slices.SortStableFunc(l, func(p, q TokenWeight) int { return -cmp.Compare(p.Weight, q.Weight) })
	}
	return c
}

// itemView tokenizes an item into a view of its own, reading its source's
// templates as use says.
func (x *Index) itemView(it *news.Item, use templateUse) view {
	toks, _ := x.tokenize(it, use)
	return view{toks: slices.Clone(toks), nHead: x.qHead, source: x.sourceHash(it.Source), published: it.Published.UnixNano()}
}

// CompareHeadlines compares two bare headlines, from different outlets,
// published at one time.
func (x *Index) CompareHeadlines(a, b string) Comparison {
	at := time.Unix(0, 0)
	return x.Compare(&news.Item{Source: "a", Title: a, Published: at}, &news.Item{Source: "b", Title: b, Published: at})
}
