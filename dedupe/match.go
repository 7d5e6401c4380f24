package dedupe

import (
	"cmp"
	"slices"
	"strings"

	"tributary/news"
	"tributary/text"
)

// coreShare is the share of a story's members that must hold a token for
// it to be part of the story's signature (and, for a number, to count in
// a number conflict): two thirds, so a story of two is what both share.
const coreShare = 2.0 / 3

// Lookup returns the story an item would join, without indexing it.
func (x *Index) Lookup(it *news.Item) (Match, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	m, s := x.match(it, x.tokenIDs(it.Title))
	x.qItem = nil
	return m, s >= 0
}

// match finds the item's story: by canonical URL, else by headline. It
// returns story -1 when the item starts a new one.
//
// A story of one headline is joined by a headline scoring at least the
// threshold with it (see score). A story of several is joined by a
// headline scoring at least the story threshold with what its members
// have in common, never with a single member: its signature, the tokens
// two thirds of them hold (see signatureScore). So a headline that
// resembles one member but not the story (A~B, B~C, A≁C) does not glue a
// second event onto it.
func (x *Index) match(it *news.Item, tokens []uint32) (Match, int32) {
	pub := it.Published.UnixNano()
	win := x.window.Nanoseconds()
	x.qItem, x.qSketched = it, false
	if e, ok := x.byURL[x.urlKey(it.URL)]; ok && it.URL != "" && x.sizes[e.story] > 0 && e.published-pub <= win && pub-e.published <= win {
		return Match{Story: x.stories[e.story].key, Reason: ReasonURL}, e.story
	}
	x.newQuery()
	q, total := x.weigh(tokens)
	if total == 0 {
		return Match{}, -1
	}
	ranked := x.rank(q, total, pub)
	if len(ranked) == 0 || !ranked[0].joins {
		return Match{}, -1
	}
	best := ranked[0]
	return Match{Story: x.stories[best.story].key, Reason: ReasonHeadline, Score: best.score}, best.story
}

// candidate is a story a headline could join and how it scored.
type candidate struct {
	story int32
	score float64
	need  float64 // the threshold that applies to this story
	joins bool
}

// rank scores every candidate story of the query, those it would join
// first, best score first.
func (x *Index) rank(q []weighted, total float64, pub int64) []candidate {
	stories := x.candidates(q, total, pub)
	out := make([]candidate, 0, len(stories))
	x.byID = grow(x.byID, len(q)) // q's positions by token id, to walk beside a story's counts
	byID := x.byID
	for i := range byID {
		byID[i] = i
	}
	slices.SortFunc(byID, func(a, b int) int { return cmp.Compare(q[a].id, q[b].id) })
	x.held = grow(x.held, len(q))
	held := x.held
	var src uint32 // the query's source, when it has one
	known := x.qItem != nil && x.qItem.Source != ""
	if known {
		src = x.sourceHash(x.qItem.Source)
	}
	for _, sid := range stories {
		s := &x.stories[sid]
		x.holdings(s, q, byID, held)
		c := candidate{story: sid, need: x.threshold}
		if x.sizes[sid] > 1 {
			c.need, c.score = x.storyThreshold, x.signatureScore(q, total, s, held)
		} else {
			c.score = x.profileScore(q, total, s, held)
		}
		// Summaries are two items' second signal: a story of several is
		// joined on what its members' headlines share.
		alone := x.sizes[sid] == 1
		sameSource := known && s.source == src
		if alone && s.sum != 0 && x.qItem != nil && !sameSource && inBand(c.score, c.need) {
			c.score, _ = combine(c.score, x.querySketch(), x.storySketch(s))
		}
		c.joins = c.score >= c.need && !(alone && sameSource)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if a.joins != b.joins {
			if a.joins {
				return -1
			}
			return 1
		}
		if a.score != b.score {
			return -cmp.Compare(a.score, b.score)
		}
		return strings.Compare(x.stories[a.story].key, x.stories[b.story].key)
	})
	return out
}

// holdings sets held[i] to how many of the story's profiled members hold
// q[i]'s token, walking its counts beside q in token order (byID), or
// searching them when they are many.
func (x *Index) holdings(s *story, q []weighted, byID []int, held []int32) {
	if s.counts == nil { // one member: its tokens, each held once
		var toks []uint32
		if s.first >= 0 {
			toks = x.entryTokens(s.first)
		}
		j := 0
		for _, i := range byID {
			id := q[i].id
			for j < len(toks) && toks[j] < id {
				j++
			}
			held[i] = 0
			if j < len(toks) && toks[j] == id && q[i].known {
				held[i] = 1
			}
		}
		return
	}
	search := len(s.counts) > 4*len(q)
	j := 0
	for _, i := range byID {
		id := q[i].id
		if search {
			k, _ := slices.BinarySearchFunc(s.counts[j:], id, func(c tokenCount, t uint32) int { return cmp.Compare(c.token, t) })
			j += k
		}
		for j < len(s.counts) && s.counts[j].token < id {
			j++
		}
		held[i] = 0
		if j < len(s.counts) && s.counts[j].token == id && q[i].known {
			held[i] = s.counts[j].n
		}
	}
}

// totals returns the story's summed weights, from cache when still fresh.
func (x *Index) totals(s *story) storyTotals {
	if s.totalsLive > 0 && s.totalsVer == s.version && 10*abs(x.live-int(s.totalsLive)) <= int(s.totalsLive) {
		return s.totals
	}
	m := float64(s.profiled)
	var t storyTotals
	add := func(tok uint32, n int32) {
		w := x.tokenWeightID(tok)
		share := float64(n) / m
		t.profile += w * share
		if x.given[tok] {
			t.given += float32(w * share)
		}
		if share >= coreShare {
			t.core += w
			if x.numeric[tok] {
				t.coreNums++
			}
			if x.place[tok] {
				t.corePlaces++
			}
		}
	}
	switch {
	case s.counts != nil:
		for _, c := range s.counts {
			add(c.token, c.n)
		}
	case s.first >= 0:
		for _, tok := range x.entryTokens(s.first) {
			add(tok, 1)
		}
	}
	s.totals, s.totalsVer, s.totalsLive = t, s.version, int32(x.live)
	return t
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// profileScore scores a query against a story's profile, every token
// weighted by the share of members holding it (see score). For a story of
// one headline it is the score of the two headlines. A given name only one
// side holds weighs text.GivenWeight of its weight: "Luis Díaz" and "Díaz" name
// one man.
func (x *Index) profileScore(q []weighted, qTotal float64, s *story, held []int32) float64 {
	m := float64(s.profiled)
	if m == 0 {
		return 0
	}
	t := x.totals(s)
	var shared, sharedGiven float64
	nums := numbers{b: int(t.coreNums)}
	places := numbers{b: int(t.corePlaces)}
	for i, w := range q {
		if w.numeric {
			nums.a++
		}
		if w.place {
			places.a++
		}
		c := held[i]
		if c == 0 {
			if w.given {
				qTotal -= (1 - text.GivenWeight) * w.weight
			}
			continue
		}
		share := float64(c) / m
		shared += w.weight * share
		if w.given {
			sharedGiven += w.weight * share
		}
		if w.numeric && share >= coreShare {
			nums.shared++
		}
		if w.place && share >= coreShare {
			places.shared++
		}
	}
	return score(shared, qTotal, t.profile-(1-text.GivenWeight)*(float64(t.given)-sharedGiven), nums, places)
}

// signatureScore is the harmonic mean of two coverages: how much of the
// story's signature (by weight) the query holds, and how much of the query
// the story's members hold, a token counting in full when it is in the
// signature and in proportion to its share of members below that. The
// harmonic mean needs both: a headline made of words the story's members
// happen to use, but not the words they agree on, scores nothing; and a
// big story whose members have used every word does not swallow every
// headline.
func (x *Index) signatureScore(q []weighted, qTotal float64, s *story, held []int32) float64 {
	m := float64(s.profiled)
	if m == 0 {
		return 0
	}
	t := x.totals(s)
	var covered, inCore float64
	places := numbers{b: int(t.corePlaces)}
	for i, w := range q {
		if w.place {
			places.a++
		}
		c := held[i]
		if c == 0 {
			continue
		}
		share := float64(c) / m
		covered += w.weight * min(1, share/coreShare)
		if share >= coreShare {
			inCore += w.weight
			if w.place {
				places.shared++
			}
		}
	}
	if t.core == 0 || qTotal == 0 {
		return 0
	}
	a, b := min(1, inCore/t.core), min(1, covered/qTotal)
	if a+b == 0 || a < minCore {
		return 0
	}
	if places.apart() {
		// The story's members agree on a country the headline lacks, and
		// the headline names another: as the story threshold is about half
		// the single one, so is the score.
		return placesApart * 2 * a * b / (a + b)
	}
	return 2 * a * b / (a + b)
}

// minCore is the least share of a story's signature (by weight) a
// headline must hold to join it: a headline that shares only the
// story's commonest words ("Trump", "House", "voted") is another event,
// however few words it has besides.
const minCore = 0.5

// placesApart scales a story's signature score when the headline and the
// story each name a country the other lacks.
const placesApart = 0.5
