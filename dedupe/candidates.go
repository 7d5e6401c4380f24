package dedupe

import (
	"cmp"
	"encoding/binary"
	"slices"
	"tributary/text"
)

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
// for the common-token cut). Of those, it returns the maxCandidates
// stories of one headline and as many of several that share the most
// prefix weight (see topStories.keep): stories of several join at a lower
// threshold and would lose a single ranking to singletons that then fall
// short of theirs.
func (x *Index) candidates(q []weighted, qTotal float64, pub int64) []int32 {
	order := make([]weighted, 0, len(q))
	for _, w := range q {
		if w.known {
			order = append(order, w)
		}
	}
	slices.SortFunc(order, func(a, b weighted) int { return -cmp.Compare(a.weight, b.weight) })
	rest := 0.0
	for _, w := range order {
		rest += w.weight
	}
	for _, w := range q { // the least the query can weigh: its given names all unmatched
		if w.given {
			qTotal -= (1 - text.GivenWeight) * w.weight
		}
	}
	// The weight each entry shares, kept in the entry for this query's
	// stamp: cheaper than a map on the hot path, and in the cache line
	// the entry's time and story were read from.
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
			e := &x.ents[id]
			if e.story < 0 || e.published-pub > win || pub-e.published > win {
				continue
			}
			if e.stamp != x.stamp {
				e.stamp, e.partial = x.stamp, 0
				x.touched = append(x.touched, id)
			}
			e.partial += w.weight
		}
	}
	// The stories of the entries sharing the most weight, best first.
	var single, multi topStories
	for _, id := range x.touched {
		sid, p := x.ents[id].story, x.ents[id].partial
		if x.sizes[sid] > 1 {
			multi.keep(x, sid, p)
		} else {
			single.keep(x, sid, p)
		}
	}
	out := make([]int32, 0, multi.n+single.n)
	for _, t := range multi.top[:multi.n] {
		out = append(out, t.story)
	}
	for _, t := range single.top[:single.n] {
		out = append(out, t.story)
	}
	return out
}

// topStories is a list of at most maxCandidates stories, best first by
// the partial weight their members share.
type topStories struct {
	top [maxCandidates]struct {
		story   int32
		partial float64
	}
	n int
}

// keep adds story sid with partial weight p: a story already listed moves
// up if p is more than it had; a new one takes its place by p (after the
// stories of equal weight and smaller key), pushing out the last when the
// list is full, unless p is no more than the last one's.
func (t *topStories) keep(x *Index, sid int32, p float64) {
	top := t.top[:t.n]
	for i := range top {
		if top[i].story != sid {
			continue
		}
		if p > top[i].partial {
			top[i].partial = p
			for ; i > 0 && top[i-1].partial < top[i].partial; i-- {
				top[i-1], top[i] = top[i], top[i-1]
			}
		}
		return
	}
	if t.n == maxCandidates {
		if p <= top[t.n-1].partial {
			return
		}
		t.n--
	}
	at := t.n
	for at > 0 && (t.top[at-1].partial < p || (t.top[at-1].partial == p && x.keyAfter(t.top[at-1].story, sid))) {
		t.top[at] = t.top[at-1]
		at--
	}
	t.top[at].story, t.top[at].partial = sid, p
	t.n++
}

// keyAfter reports whether story a's key sorts after story b's, most often
// from the first eight bytes of each, kept in a dense array.
func (x *Index) keyAfter(a, b int32) bool {
	if ka, kb := x.keyHeads[a], x.keyHeads[b]; ka != kb {
		return ka > kb
	}
	return x.stories[a].key > x.stories[b].key
}

// keyHead returns the first eight bytes of key, zero-padded, as a number
// that sorts as they do.
func keyHead(key string) uint64 {
	var b [8]byte
	copy(b[:], key)
	return binary.BigEndian.Uint64(b[:])
}
