package dedupe

import (
	"sort"

	"tributary/news"
)

// coreShare is the share of a story's members that must hold a token for
// it to be part of the story's signature (and, for a number, to count in
// a number conflict): two thirds, so a story of two is what both share.
const coreShare = 2.0 / 3

// Lookup returns the story an item would join, without indexing it.
func (x *Index) Lookup(it *news.Item) (Match, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	m, s := x.match(it, x.norm.Tokens(it.Title))
	return m, s != nil
}

// match finds the item's story: by canonical URL, else by headline. It
// returns a nil story when the item starts a new one.
//
// A story of one headline is joined by a headline scoring at least the
// threshold with it (see score). A story of several is joined by a
// headline scoring at least the story threshold with what its members
// have in common, never with a single member: its signature, the tokens
// two thirds of them hold (see signatureScore). So a headline that
// resembles one member but not the story (A~B, B~C, A≁C) does not glue a
// second event onto it.
func (x *Index) match(it *news.Item, tokens []string) (Match, *story) {
	pub := it.Published.UnixNano()
	win := x.window.Nanoseconds()
	if e, ok := x.byURL[it.URL]; ok && it.URL != "" && !e.story.dead() && e.published-pub <= win && pub-e.published <= win {
		return Match{Story: e.story.key, Reason: ReasonURL}, e.story
	}
	x.newQuery()
	q, total := x.weigh(tokens)
	if total == 0 {
		return Match{}, nil
	}
	ranked := x.rank(q, total, pub)
	if len(ranked) == 0 || !ranked[0].joins {
		return Match{}, nil
	}
	return Match{Story: ranked[0].s.key, Reason: ReasonHeadline, Score: ranked[0].score}, ranked[0].s
}

// candidate is a story a headline could join and how it scored.
type candidate struct {
	s     *story
	score float64
	need  float64 // the threshold that applies to this story
	joins bool
}

// rank scores every candidate story of the query, those it would join
// first, best score first.
func (x *Index) rank(q []weighted, total float64, pub int64) []candidate {
	var out []candidate
	for _, s := range x.candidates(q, total, pub) {
		c := candidate{s: s, need: x.threshold}
		if len(s.members) > 1 {
			c.need, c.score = x.storyThreshold, x.signatureScore(q, total, s)
		} else {
			c.score = x.profileScore(q, total, s)
		}
		c.joins = c.score >= c.need
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.joins != b.joins {
			return a.joins
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.s.key < b.s.key
	})
	return out
}

// totals returns the story's summed weights, from cache when still fresh.
func (x *Index) totals(s *story) storyTotals {
	if s.totalsOK && s.totalsVer == s.version && 10*abs(x.live-s.totalsLive) <= s.totalsLive {
		return s.totals
	}
	m := float64(s.profiled)
	var t storyTotals
	for tok, c := range s.counts {
		w := x.tokenWeightID(tok)
		share := float64(c) / m
		t.profile += w * share
		if share >= coreShare {
			t.core += w
			if x.numeric[tok] {
				t.coreNums++
			}
		}
	}
	s.totals, s.totalsOK, s.totalsVer, s.totalsLive = t, true, s.version, x.live
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
// one headline it is the score of the two headlines.
func (x *Index) profileScore(q []weighted, qTotal float64, s *story) float64 {
	m := float64(s.profiled)
	if m == 0 {
		return 0
	}
	t := x.totals(s)
	var shared float64
	nums := numbers{b: t.coreNums}
	for _, w := range q {
		if w.numeric {
			nums.a++
		}
		if !w.known {
			continue
		}
		c, ok := s.counts[w.id]
		if !ok {
			continue
		}
		share := float64(c) / m
		shared += w.weight * share
		if w.numeric && share >= coreShare {
			nums.shared++
		}
	}
	return score(shared, qTotal, t.profile, nums)
}

// signatureScore is the harmonic mean of two coverages: how much of the
// story's signature (by weight) the query holds, and how much of the query
// the story's members hold, a token counting in full when it is in the
// signature and in proportion to its share of members below that. The
// harmonic mean needs both: a headline made of words the story's members
// happen to use, but not the words they agree on, scores nothing; and a
// big story whose members have used every word does not swallow every
// headline.
func (x *Index) signatureScore(q []weighted, qTotal float64, s *story) float64 {
	m := float64(s.profiled)
	if m == 0 {
		return 0
	}
	t := x.totals(s)
	var covered, held float64
	for _, w := range q {
		if !w.known {
			continue
		}
		c, ok := s.counts[w.id]
		if !ok {
			continue
		}
		share := float64(c) / m
		covered += w.weight * min(1, share/coreShare)
		if share >= coreShare {
			held += w.weight
		}
	}
	if t.core == 0 || qTotal == 0 {
		return 0
	}
	a, b := min(1, held/t.core), min(1, covered/qTotal)
	if a+b == 0 {
		return 0
	}
	return 2 * a * b / (a + b)
}
