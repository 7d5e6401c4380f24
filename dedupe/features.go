package dedupe

import (
	"math"
)

// Features are what a decision reads of two items: how alike their
// headlines and whole texts are under the window's rarity weights, what
// rare names and numbers they share or contradict, how far apart they
// were published and whether one outlet published both. The learned model
// (Model) weighs them into the probability that both report one event.
type Features struct {
	Headline        float64 // how alike the headlines are (headlineScore), in [0,1]
	Text            float64 // cosine of the whole texts' (headline, summary, article), in [0,1]; 0 when either is a headline alone
	Names           float64 // log(1 + the weight of the names both hold)
	Numbers         float64 // numbers both hold, at most 3
	NumberConflict  float64 // 1 when both headlines hold numbers and share none
	CountryConflict float64 // 1 when each headline names a country the other does not
	Gap             float64 // log(1 + hours between their publications)
	SameOutlet      float64 // 1 when one source published both
	HeadlineOnly    float64 // 1 when either has no text beyond its headline
	Short           float64 // log(1 + the fewer tokens of the two)
}

// numFeatures is how many values Vector gives.
const numFeatures = 11

// FeatureNames returns the features' names, in the order Vector gives
// them, as a model file names its weights.
func FeatureNames() []string {
	return []string{"headline", "text", "names", "numbers", "number_conflict", "country_conflict",
		"gap", "same_outlet", "headline_only", "short", "same_outlet_headline"}
}

// Vector returns the features in the order FeatureNames lists them; the
// last is an interaction: an outlet's own copies are told apart by their
// headlines.
func (f *Features) Vector() [numFeatures]float64 {
	return [numFeatures]float64{f.Headline, f.Text, f.Names, f.Numbers, f.NumberConflict, f.CountryConflict,
		f.Gap, f.SameOutlet, f.HeadlineOnly, f.Short, f.SameOutlet * f.Headline}
}

// query is the entry being decided, spread over the vocabulary for
// comparing: its tokens' flags by id (stamped), its norms.
type query struct {
	flags      []uint8  // by token id: inHead, inBody, named (valid where stamps match)
	stamps     []uint32 // by token id
	stamp      uint32
	headSum    float64 // Σ w over its headline's tokens
	textNorm   float64 // Σ w² over all its tokens
	headNums   int     // numbers its headline holds
	places     int     // countries its headline names
	hasBody    bool
	tokens     int
	sourceHash uint32
	published  int64
}

const (
	inHead uint8 = 1 << iota
	inBody
	named
)

// view is what a comparison reads of an item: its tokens (headline
// first, names marked), its source and published time.
type view struct {
	toks      []uint32
	nHead     int
	source    uint32
	published int64
}

// view returns entry e's view.
func (x *Index) view(e int32) view {
	en := &x.ents[e]
	return view{toks: x.tokens(e), nHead: int(en.nHead), source: en.source, published: en.published}
}

// load spreads a view for comparing with others.
func (x *Index) load(q *query, v view) {
	q.stamp++
	if q.stamp == 0 { // wrapped: every old stamp would read as current
		clear(q.stamps)
		q.stamp = 1
	}
	for len(q.flags) < len(x.v.df) {
		q.flags = append(q.flags, 0)
		q.stamps = append(q.stamps, 0)
	}
	q.sourceHash, q.published = v.source, v.published
	q.headSum, q.textNorm, q.headNums, q.places = 0, 0, 0, 0
	q.hasBody, q.tokens = len(v.toks) > v.nHead, len(v.toks)
	for i, t := range v.toks {
		id := t &^ nameBit
		f := inBody
		if i < v.nHead {
			f = inHead
		}
		if t&nameBit != 0 {
			f |= named
		}
		q.flags[id], q.stamps[id] = f, q.stamp
		w := x.v.weight(id)
		q.textNorm += w * w
		if f&inHead != 0 {
			q.headSum += w
			if x.v.kind[id]&isNumber != 0 {
				q.headNums++
			}
			if x.v.kind[id]&isPlace != 0 {
				q.places++
			}
		}
	}
}

// compare returns the features of the loaded query and a view.
func (x *Index) compare(q *query, v view) Features {
	var f Features
	var headShared, headSum, textDot, textNorm, names float64
	var nums, headNums, sharedHeadNums, places, sharedPlaces int
	for i, t := range v.toks {
		id := t &^ nameBit
		w := x.v.weight(id)
		ww := w * w
		head := i < v.nHead
		textNorm += ww
		if head {
			headSum += w
		}
		kind := x.v.kind[id]
		if head && kind&isNumber != 0 {
			headNums++
		}
		if head && kind&isPlace != 0 {
			places++
		}
		if q.stamps[id] != q.stamp {
			continue
		}
		qf := q.flags[id]
		textDot += ww
		if head && qf&inHead != 0 {
			headShared += w
		}
		if t&nameBit != 0 || qf&named != 0 {
			names += w
		}
		if kind&isNumber != 0 {
			nums++
			if head && qf&inHead != 0 {
				sharedHeadNums++
			}
		}
		if head && qf&inHead != 0 && kind&isPlace != 0 {
			sharedPlaces++
		}
	}
	if headShared > 0 {
		f.Headline = headlineScore(headShared, headSum, q.headSum)
	}
	if len(v.toks) == v.nHead || !q.hasBody {
		f.HeadlineOnly = 1 // and the text is no more than a headline: Text stays 0
	} else if textDot > 0 {
		f.Text = textDot / math.Sqrt(textNorm*q.textNorm)
	}
	f.Names = math.Log1p(names)
	f.Numbers = float64(min(nums, 3))
	if q.headNums > 0 && headNums > 0 && sharedHeadNums == 0 {
		f.NumberConflict = 1
	}
	if q.places > sharedPlaces && places > sharedPlaces {
		f.CountryConflict = 1
	}
	gap := v.published - q.published
	if gap < 0 {
		gap = -gap
	}
	f.Gap = math.Log1p(float64(gap) / 3.6e12)
	if v.source == q.sourceHash {
		f.SameOutlet = 1
	}
	f.Short = math.Log1p(float64(min(q.tokens, len(v.toks))))
	return f
}

// headlineScore is how alike two headlines are from the weight of the
// tokens they share and the total weight of each: the mean of the
// weighted Jaccard similarity (shared over union) and the weighted
// overlap coefficient (shared over the lighter side). Jaccard keeps a
// short headline from matching a long one on a few words; the overlap
// lets a headline that adds detail ("... dies at 82") still match. It is
// symmetric, in [0,1], and 1 for the same tokens.
func headlineScore(shared, a, b float64) float64 {
	union := a + b - shared
	lighter := min(a, b)
	if union <= 0 || lighter <= 0 {
		return 0
	}
	return min((shared/union+shared/lighter)/2, 1)
}
