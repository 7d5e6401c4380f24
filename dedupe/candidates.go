package dedupe

import "sort"

// Candidate search limits. A query looks at the stories of the entries
// sharing its prefix tokens (below), skipping tokens so common in the
// window that their posting lists are long (but for its two rarest
// tokens, whose newest maxScan entries are looked at), and scores only the
// maxCandidates stories sharing the most prefix weight: a filter, then a
// check of the few. Work per query is bounded whatever the window holds.
const (
	maxCandidates = 8
	minCommonDF   = 48  // a token held by more entries is common
	maxScan       = 128 // entries looked at for a common token
)

// candidates returns the stories worth scoring for a query published at
// pub: those with a live member in the window that shares a token of the
// query's prefix, its rarest tokens, as many as needed that the rest
// weighs less than minShared(threshold) × the query's weight. Any story of
// one headline scoring at or above the threshold holds one of them (but
// for the common-token cut). Stories come best first by the prefix weight
// their best member shares.
func (x *Index) candidates(q []weighted, qTotal float64, pub int64) []*story {
	order := make([]weighted, 0, len(q))
	for _, w := range q {
		if w.known {
			order = append(order, w)
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].weight > order[j].weight })
	rest := 0.0
	for _, w := range order {
		rest += w.weight
	}
	// Per-entry shared weight in a dense scratch array, valid for this
	// query's stamp: cheaper than a map on the hot path.
	if len(x.partial) < len(x.entries) {
		x.partial = append(x.partial, make([]float64, len(x.entries)-len(x.partial))...)
		x.partialAt = append(x.partialAt, make([]uint32, len(x.entries)-len(x.partialAt))...)
	}
	x.touched = x.touched[:0]
	win := x.window.Nanoseconds()
	for i, w := range order {
		if rest < minShared(x.threshold)*qTotal {
			break
		}
		rest -= w.weight
		list := x.postings[w.id]
		if x.df[w.id] > minCommonDF {
			if i >= 2 {
				continue
			}
			// One of the query's two rarest tokens, yet common: look at its
			// newest entries only (postings are in indexing order).
			list = list[max(0, len(list)-maxScan):]
		}
		for _, id := range list {
			e := &x.entries[id]
			if e.dead || e.published-pub > win || pub-e.published > win {
				continue
			}
			if x.partialAt[id] != x.stamp {
				x.partialAt[id], x.partial[id] = x.stamp, 0
				x.touched = append(x.touched, id)
			}
			x.partial[id] += w.weight
		}
	}
	// The stories of the entries sharing the most weight, best first:
	// maxCandidates stories of one headline, and as many of several, since
	// these join at a lower threshold and would lose a single ranking to
	// singletons that then fall short of theirs.
	var single, multi []scoredStory
	for _, id := range x.touched {
		s, p := x.entries[id].story, x.partial[id]
		if len(s.members) > 1 {
			multi = keepTop(multi, s, p)
		} else {
			single = keepTop(single, s, p)
		}
	}
	out := make([]*story, 0, len(single)+len(multi))
	for _, t := range multi {
		out = append(out, t.s)
	}
	for _, t := range single {
		out = append(out, t.s)
	}
	return out
}

// keepTop adds story s with partial weight p to top, a list sorted best
// first and at most maxCandidates long.
func keepTop(top []scoredStory, s *story, p float64) []scoredStory {
	if i := indexOfStory(top, s); i >= 0 {
		if p > top[i].partial { // move it up to keep top sorted
			top[i].partial = p
			for ; i > 0 && top[i-1].partial < top[i].partial; i-- {
				top[i-1], top[i] = top[i], top[i-1]
			}
		}
		return top
	}
	if len(top) == maxCandidates && p <= top[len(top)-1].partial {
		return top
	}
	if len(top) == maxCandidates {
		top = top[:len(top)-1]
	}
	at := len(top) // insert in place
	for at > 0 && (top[at-1].partial < p || (top[at-1].partial == p && top[at-1].s.key > s.key)) {
		at--
	}
	top = append(top, scoredStory{})
	copy(top[at+1:], top[at:])
	top[at] = scoredStory{s, p}
	return top
}

type scoredStory struct {
	s       *story
	partial float64
}

func indexOfStory(top []scoredStory, s *story) int {
	for i := range top {
		if top[i].s == s {
			return i
		}
	}
	return -1
}
