package dedupe

import (
	"hash/maphash"
	"slices"
	"time"

	"tributary/news"
)

// entry is an indexed item: what a decision reads of it, together.
type entry struct {
	published int64  // Unix nanoseconds
	seen      int64  // the later of published and first fetched: pruned a window after it
	fetched   int64  // first fetched: settled a settle period after it
	url       uint64 // urlKey of its canonical URL; 0 for none
	source    uint32 // sourceHash of its source
	story     int32  // its story; undecided (-1) during a pass, dead (-2) once pruned or rolled back
	at        uint32 // where its tokens begin in Index.toks
	nHead     uint8  // its headline's tokens, first
	nBody     uint8  // then the tokens only its text holds
	settled   bool   // counted in the weights; decided for good, but for merges

	// Scratch of the query in progress (stamp): the rare weight it
	// shares with the query.
	stamp uint32
	acc   float32
}

const (
	undecided int32 = -1
	dead      int32 = -2
)

// nameBit marks, in an entry's tokens, one its text writes as a name (a
// capital in mid-sentence: a person, a place, an organisation).
const nameBit = 1 << 31

// Limits on what one item brings: its headline's tokens, and its text's
// (the summary's and the article's first textChars bytes) beyond them.
const (
	maxHead   = 40
	maxBody   = 40
	textChars = 400
)

// tokenize returns the token ids of an item's headline and text, names
// marked (nameBit), headline first, each once, leaving out its source's
// templates (templates; use says how to read them). When use is learn,
// the item is remembered among its source's latest, and what that
// overwrote returned, to be taken back if its batch rolls back. The
// slice is valid until the next call.
func (x *Index) tokenize(it *news.Item, use templateUse) ([]uint32, *pushed) {
	ids := x.qToks[:0]
	body := prefix(it.Summary, TextChars)
	if it.Content != "" {
		body += " " + prefix(it.Content, TextChars)
	}
	title, body, p := x.textWithoutTemplates(x.sourceHash(it.Source), x.itemHash(it.GUID), it.Title, body, use)
	x.norm.EachWord(title, func(w string) {
		if id := x.v.word(x.norm, w); id >= 0 && len(ids) < maxHead && !slices.Contains(ids, uint32(id)) {
			ids = append(ids, uint32(id))
		}
	})
	nHead := len(ids)
	if body != "" {
		toks, named := x.norm.RunningText(body, textChars)
		for i, t := range toks {
			id := x.v.intern(t)
			if at := indexOf(ids, id); at >= 0 {
				if named[i] {
					ids[at] |= nameBit
				}
				continue
			}
			if len(ids)-nHead >= maxBody {
				continue
			}
			if named[i] {
				id |= nameBit
			}
			ids = append(ids, id)
		}
	}
	x.qToks, x.qHead = ids, nHead
	return ids, p
}

// prefix returns s's first n characters, as SQL's substr(s, 1, n) does.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// itemHash is an item's GUID as templates keep it; 0 for none.
func (x *Index) itemHash(guid string) uint64 {
	if guid == "" {
		return 0
	}
	return maphash.String(x.seed, guid) | 1
}

// indexOf returns where token id stands in ids (names marked or not), or
// -1.
func indexOf(ids []uint32, id uint32) int {
	for i, t := range ids {
		if t&^nameBit == id {
			return i
		}
	}
	return -1
}

// tokens returns entry e's tokens, headline first.
func (x *Index) tokens(e int32) []uint32 {
	en := &x.ents[e]
	return x.toks[en.at : en.at+uint32(en.nHead)+uint32(en.nBody)]
}

// sourceHash is a source's name as entries keep it.
func (x *Index) sourceHash(source string) uint32 {
	return uint32(maphash.String(x.seed, source))
}

// urlKey is a canonical URL as entries keep it; 0 for none.
func (x *Index) urlKey(u string) uint64 {
	if u == "" {
		return 0
	}
	return maphash.String(x.seed, u) | 1
}

// insert indexes an item, undecided and not settled, with the tokens
// tokenize gave, and returns its entry. The next pass settles it when it
// was first fetched a settle period or more before.
func (x *Index) insert(it *news.Item, ids []uint32, nHead int) int32 {
	e := int32(len(x.ents))
	pub := it.Published.UnixNano()
	fetched := it.Fetched.UnixNano()
	if it.Fetched.IsZero() {
		fetched = pub
	}
	if e > 0 && fetched < x.ents[e-1].fetched {
		x.sortedFrom = e
	}
	x.ents = append(x.ents, entry{published: pub, seen: max(pub, fetched), fetched: fetched, url: x.urlKey(it.URL),
		source: x.sourceHash(it.Source), story: undecided, at: uint32(len(x.toks)),
		nHead: uint8(nHead), nBody: uint8(len(ids) - nHead)})
	x.toks = append(x.toks, ids...)
	x.keys = append(x.keys, it.Source+"\x00"+it.GUID)
	x.growPostings()
	for _, t := range ids {
		t &^= nameBit
		x.postings[t] = append(x.postings[t], e)
	}
	x.live++
	x.provisional++
	if e < x.unsettledFrom {
		x.unsettledFrom = e
	}
	return e
}

// growPostings makes room for every token id the vocabulary holds.
func (x *Index) growPostings() {
	for len(x.postings) < len(x.v.df) {
		x.postings = append(x.postings, nil)
	}
}

// settleEntry counts entry e in the weights: its decision is final.
func (x *Index) settleEntry(e int32) {
	if !x.ents[e].settled {
		x.ents[e].settled = true
		x.count(e)
	}
}

// count counts a settled entry in the weights.
func (x *Index) count(e int32) {
	for _, t := range x.tokens(e) {
		x.v.df[t&^nameBit]++
	}
	x.v.settled++
	x.provisional--
}

// unsettle takes back settleEntry (a batch rolled back).
func (x *Index) unsettle(e int32) {
	en := &x.ents[e]
	if !en.settled {
		return
	}
	en.settled = false
	for _, t := range x.tokens(e) {
		x.v.df[t&^nameBit]--
	}
	x.v.settled--
	x.provisional++
	x.unsettledFrom = min(x.unsettledFrom, e)
}

// settleUntil settles every live entry first fetched a settle period or
// more before now. Entries are appended in the order their polls came,
// nearly the order they were fetched: the walk starts at the oldest
// entry not yet settled.
func (x *Index) settleUntil(now time.Time) {
	cut := now.Add(-x.settle).UnixNano()
	lead := true // every entry before e is settled or dead
	for e := x.unsettledFrom; e < int32(len(x.ents)); e++ {
		en := &x.ents[e]
		if e >= x.sortedFrom && en.fetched > cut {
			break // and so are all after it
		}
		switch {
		case en.story == dead || en.settled:
		case en.fetched <= cut:
			x.settleEntry(e)
		default:
			lead = false
		}
		if lead {
			x.unsettledFrom = e + 1
		}
	}
}

// kill takes entry e out of the index: its story, its weights, its URL.
func (x *Index) kill(e int32) {
	en := &x.ents[e]
	if en.story == dead {
		return
	}
	if en.story >= 0 {
		x.detach(e)
	}
	if en.settled {
		for _, t := range x.tokens(e) {
			x.v.df[t&^nameBit]--
		}
		x.v.settled--
	} else {
		x.provisional--
	}
	if en.url != 0 && x.byURL[en.url] == e {
		delete(x.byURL, en.url)
	}
	if en.url != 0 && en.settled && x.settledURL[en.url] == e {
		delete(x.settledURL, en.url)
	}
	en.story = dead
	x.keys[e] = ""
	x.live--
	x.dead++
}

// compact renumbers the live entries and stories, dropping the dead ones
// and the gone ones, and rebuilds the postings. It runs between batches.
func (x *Index) compact() {
	renum := make([]int32, len(x.ents))
	ents := make([]entry, 0, x.live)
	toks := make([]uint32, 0, len(x.toks)/2)
	keys := make([]string, 0, x.live)
	for e := range x.ents {
		en := x.ents[e]
		if en.story == dead {
			renum[e] = dead
			continue
		}
		renum[e] = int32(len(ents))
		ts := x.tokens(int32(e))
		en.at = uint32(len(toks))
		toks = append(toks, ts...)
		ents = append(ents, en)
		keys = append(keys, x.keys[e])
	}
	srenum := make([]int32, len(x.stories))
	stories := make([]story, 0, len(x.storyIDs))
	for s := range x.stories {
		st := x.stories[s]
		if st.gone {
			srenum[s] = dead
			continue
		}
		srenum[s] = int32(len(stories))
		for i, m := range st.members {
			st.members[i] = renum[m]
		}
		stories = append(stories, st)
	}
	for i := range ents {
		if ents[i].story >= 0 {
			ents[i].story = srenum[ents[i].story]
		}
	}
	for k, s := range x.storyIDs {
		x.storyIDs[k] = srenum[s]
	}
	for _, m := range []map[uint64]int32{x.byURL, x.settledURL} {
		for u, e := range m {
			if renum[e] == dead {
				delete(m, u)
			} else {
				m[u] = renum[e]
			}
		}
	}
	for t := range x.postings {
		x.postings[t] = x.postings[t][:0]
	}
	for e := range ents {
		for _, t := range toks[ents[e].at : ents[e].at+uint32(ents[e].nHead)+uint32(ents[e].nBody)] {
			x.postings[t&^nameBit] = append(x.postings[t&^nameBit], int32(e))
		}
	}
	from := int32(len(ents))
	for e := range ents {
		if !ents[e].settled {
			from = int32(e)
			break
		}
	}
	sorted := int32(0)
	for e := 1; e < len(ents); e++ {
		if ents[e].fetched < ents[e-1].fetched {
			sorted = int32(e)
		}
	}
	x.ents, x.toks, x.keys, x.stories = ents, toks, keys, stories
	x.dead, x.unsettledFrom, x.sortedFrom = 0, from, sorted
}
