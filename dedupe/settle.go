package dedupe

import (
	"cmp"
	"slices"
	"strings"
	"tributary/news"
)

// settle decides for good the story of every entry first fetched a
// settle period or more before the batch, one after another in the
// canonical order (published time, source, GUID), each with the stories
// of the entries settled before it and the weights of those settled
// before the batch — so whatever order the polls came in, the same items
// end in the same stories. An entry whose story changes is a move.
func (b *Batch) settle() {
	x := b.x
	cut := b.now.Add(-x.settle).UnixNano()
	var due []int32
	lead := true
	for e := x.unsettledFrom; e < int32(len(x.ents)); e++ {
		en := &x.ents[e]
		if e >= x.sortedFrom && en.fetched > cut {
			break // and so are all after it
		}
		switch {
		case en.story == dead || en.settled:
		case en.fetched <= cut:
			due = append(due, e)
		default:
			lead = false
		}
		if lead {
			x.unsettledFrom = e + 1
		}
	}
	slices.SortFunc(due, x.canonical)
	for _, e := range due {
		from := x.stories[x.ents[e].story].key
		b.final(e)
		if to := x.stories[x.ents[e].story].key; to != from {
			source, guid, _ := strings.Cut(x.keys[e], "\x00")
			b.moves = append(b.moves, Move{Source: source, GUID: guid, From: from, To: to})
		}
	}
	// The weights of every decision of the batch were those of what had
	// settled before it: the entries settled now count from the next.
	for _, e := range due {
		x.count(e)
	}
}

// ItemOrder is the canonical order of items, the order decisions are
// made in whatever order the items came: published time, then source,
// then GUID. A store keeps a poll's new items in it (so a replica
// following it, or an index rebuilt from it, meets them in that order).
func ItemOrder(a, c *news.Item) int {
	if o := a.Published.Compare(c.Published); o != 0 { // (cmp.Or would compare the strings every time)
		return o
	}
	return cmp.Or(strings.Compare(a.Source, c.Source), strings.Compare(a.GUID, c.GUID))
}

// canonical orders entries by published time, then source and GUID: an
// order of the items themselves, not of their arrival.
func (x *Index) canonical(a, c int32) int {
	if o := cmp.Compare(x.ents[a].published, x.ents[c].published); o != 0 { // most often: the strings are not read
		return o
	}
	return cmp.Or(strings.Compare(x.keys[a], x.keys[c]), cmp.Compare(a, c))
}

// anchor returns a story's earliest member in the canonical order, -1
// for none: what orders stories whatever order their members came in.
func (x *Index) anchor(s int32) int32 {
	first := int32(-1)
	for _, m := range x.stories[s].members {
		if first < 0 || x.canonical(m, first) < 0 {
			first = m
		}
	}
	return first
}

// storyOrder orders two stories by their anchors: the older first.
func (x *Index) storyOrder(a, c int32) int {
	ea, ec := x.anchor(a), x.anchor(c)
	switch {
	case ea < 0 || ec < 0:
		return cmp.Compare(ec, ea) // a story with members first
	default:
		return x.canonical(ea, ec)
	}
}

// final decides an entry's story for good, among the settled entries:
// the story whose most alike settled members it matches best, if well
// enough; else the story it is in, if no member of that one is settled
// (the entry is its first); else a new story. A second settled story it
// matches at Merge or more, and which matches its story itself, is
// merged into the older of the two.
func (b *Batch) final(e int32) {
	x := b.x
	was := x.ents[e].story
	b.detach(e)
	s := int32(-1)
	var ranked []storyScore
	if y, ok := x.sameURL(e, true); ok {
		s = y
	} else if ranked = x.rankStories(x.candidates(e, true), true); len(ranked) > 0 && ranked[0].score >= x.threshold {
		s = ranked[0].story
	}
	switch {
	case s >= 0:
	case !x.stories[was].gone && x.settledMembers(was) == 0:
		s = was
	default:
		s = b.newStory()
	}
	b.attach(e, s)
	if x.stories[s].key == "" { // a new story: it keeps the key the entry had, if free
		b.rename(s, x.freeKey(e, x.stories[was].key))
	}
	for _, r := range ranked {
		if r.story == s || r.score < x.merge || x.stories[r.story].gone || x.stories[s].gone || x.linkage2(s, r.story) < x.threshold {
			continue
		}
		s = b.merge(s, r.story)
	}
	x.ents[e].settled = true // counted in the weights at the end of the batch's settling
	o := op{kind: opSettle, e: e}
	if u := x.ents[e].url; u != 0 {
		o.url = u
		o.urlOf, o.had = x.settledURL[u]
		if !o.had || x.canonical(e, o.urlOf) < 0 {
			x.settledURL[u] = e
		}
	}
	b.undo = append(b.undo, o)
}

// merge moves every member of the younger of two stories into the older,
// and returns the older.
func (b *Batch) merge(s, r int32) int32 {
	x := b.x
	into, from := s, r
	if x.storyOrder(from, into) < 0 {
		into, from = from, into
	}
	// Recorded as it happens, among the batch's moves: a key a merge
	// frees may name a new story later in the batch.
	b.moves = append(b.moves, Move{From: x.stories[from].key, To: x.stories[into].key})
	for _, m := range slices.Clone(x.stories[from].members) {
		b.detach(m)
		b.attach(m, into)
	}
	return into
}
