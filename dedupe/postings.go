package dedupe

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"tributary/news"
	"tributary/text"
)

// maxWords bounds the cache of headline words' tokens; it is emptied when
// full, and refills with the words news uses.
const maxWords = 200_000

// undo records what an add changed, so a batch can take it back.
type undo struct {
	entry          int32
	url            uint64 // urlKey of the item's URL, if it has one (hasURL)
	oldURL         urlEntry
	hasURL, hadURL bool
	summary        bool // the story took its summary from the entry
}

// tokenIDs returns the distinct token ids of a headline, in order: its
// tokens (Normalizer.Tokens), interned. A word seen before costs one
// lookup, not a fold, a stop-word check and a stem. The ids are valid
// until the next call.
func (x *Index) tokenIDs(headline string) []uint32 {
	ids := x.qIDs[:0]
	x.norm.EachWord(headline, func(w string) { ids = x.appendWordID(ids, w) })
	x.qIDs = ids
	return ids
}

// appendWordID appends the id of word w's token to ids, unless it has
// none (a stop word) or ids holds it already.
func (x *Index) appendWordID(ids []uint32, w string) []uint32 {
	id, ok := x.words[w]
	if !ok {
		id = -1
		if t, ok := x.norm.Token(w); ok {
			id = int32(x.intern(t))
			if text.GivenName(w) {
				x.given[id] = true
			}
			if text.IsCountry(w) {
				x.place[id] = true
			}
		}
		if len(x.words) >= maxWords {
			clear(x.words)
		}
		x.words[strings.Clone(w)] = id
	}
	if id >= 0 && !slices.Contains(ids, uint32(id)) {
		ids = append(ids, uint32(id))
	}
	return ids
}

// intern returns the id of token t, numbering it if it is new.
func (x *Index) intern(t string) uint32 {
	if id, ok := x.vocab[t]; ok {
		return id
	}
	id := uint32(len(x.df))
	x.vocab[t] = id
	x.df = append(x.df, 0)
	x.numeric = append(x.numeric, text.IsNumber(t))
	x.bg = append(x.bg, float32(x.background.Share(t)))
	x.given = append(x.given, false)
	x.place = append(x.place, false)
	x.cached = append(x.cached, 0)
	x.stamps = append(x.stamps, 0)
	x.postings = append(x.postings, nil)
	return id
}

func (x *Index) add(it *news.Item, ids []uint32, sid int32, u *undo) {
	pub := it.Published.UnixNano()
	seen := max(pub, it.Fetched.UnixNano())
	if it.Fetched.IsZero() {
		seen = pub
	}
	if it.URL != "" {
		key := x.urlKey(it.URL)
		old, had := x.byURL[key]
		if u != nil {
			u.url, u.hasURL, u.oldURL, u.hadURL = key, true, old, had
		}
		switch {
		case !had || old.published > pub || x.sizes[old.story] == 0:
			x.byURL[key] = urlEntry{story: sid, published: pub, seen: seen}
		case seen > old.seen: // another copy: the link stays known a window longer
			old.seen = seen
			x.byURL[key] = old
		}
	}
	id := int32(len(x.ents))
	s := &x.stories[sid]
	profiled := s.profiled < profileCap
	x.ents = append(x.ents, entry{published: pub, story: sid})
	x.tokensAt = append(x.tokensAt, uint32(len(x.tokens)))
	x.tokens = append(x.tokens, ids...)
	slices.Sort(x.tokens[len(x.tokens)-len(ids):]) // in id order: a story of one headline reads its profile there
	x.entSeen = append(x.entSeen, seen)
	x.profiled = append(x.profiled, profiled)
	count := profiled
	if profiled && s.profiled == 0 && s.counts == nil { // a new story: its profile is this entry's tokens
		s.first, count = id, false
		s.source = x.sourceHash(it.Source)
	} else if profiled {
		x.explicit(s)
	}
	for _, t := range ids {
		x.df[t]++
		x.postings[t] = append(x.postings[t], id)
		if count {
			s.count(t, 1)
		}
	}
	if profiled {
		s.profiled++
		s.version++
	}
	x.sizes[sid]++
	x.live++
	if s.sum == 0 && it.Summary != "" {
		if sk := x.querySketch(); sk != nil {
			s.sum, s.sumLen = uint32(len(x.sums))+1, uint8(len(sk))
			x.sums = append(x.sums, sk...)
			if u != nil {
				u.summary = true
			}
		}
	}
	if u != nil {
		u.entry = id
	}
}

// querySketch returns the sketch of the summary of the item being matched
// or added (qItem), computed once.
func (x *Index) querySketch() []sumTerm {
	if !x.qSketched {
		x.qSketch, x.qSketched = nil, true
		if x.qItem != nil {
			x.qSketch = x.sketch(x.qItem.Summary)
		}
	}
	return x.qSketch
}

// storySketch returns story s's summary sketch.
func (x *Index) storySketch(s *story) []sumTerm {
	if s.sum == 0 {
		return nil
	}
	return x.sums[s.sum-1:][:s.sumLen]
}

// sourceHash is a source's name, hashed.
func (x *Index) sourceHash(source string) uint32 { return uint32(maphash.String(x.urlSeed, source)) }

// explicit gives a story of one profiled headline counts of its own, as
// a second member joins.
func (x *Index) explicit(s *story) {
	if s.counts != nil || s.profiled == 0 {
		return
	}
	toks := x.entryTokens(s.first)
	s.counts = make([]tokenCount, len(toks), len(toks)+4)
	for i, t := range toks {
		s.counts[i] = tokenCount{t, 1}
	}
}

// count adds d to the members holding token t.
func (s *story) count(t uint32, d int32) {
	i, ok := slices.BinarySearchFunc(s.counts, t, func(c tokenCount, t uint32) int { return cmp.Compare(c.token, t) })
	switch {
	case !ok:
		s.counts = slices.Insert(s.counts, i, tokenCount{t, d})
	case s.counts[i].n+d == 0:
		s.counts = slices.Delete(s.counts, i, i+1)
	default:
		s.counts[i].n += d
	}
}

// entryTokens returns entry id's token ids.
func (x *Index) entryTokens(id int32) []uint32 {
	end := uint32(len(x.tokens))
	if int(id)+1 < len(x.tokensAt) {
		end = x.tokensAt[id+1]
	}
	return x.tokens[x.tokensAt[id]:end]
}

// Prune forgets entries published and first seen before now minus the
// window, and compacts once dead entries outnumber live ones.
func (x *Index) Prune(now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cut := now.Add(-x.window).UnixNano()
	for i, seen := range x.entSeen {
		if x.ents[i].story >= 0 && seen < cut {
			x.kill(int32(i))
		}
	}
	for u, e := range x.byURL {
		if e.seen < cut {
			delete(x.byURL, u)
		}
	}
	if x.dead > x.live {
		x.compact()
	}
}

// kill removes entry id from its story and from the token counts.
func (x *Index) kill(id int32) {
	sid := x.ents[id].story
	x.ents[id].story = -1
	s := &x.stories[sid]
	for _, t := range x.entryTokens(id) {
		x.df[t]--
		if x.profiled[id] && s.counts != nil {
			s.count(t, -1)
		}
	}
	if x.profiled[id] {
		if s.counts == nil { // the story's one profiled member: the profile goes with it
			s.first = -1
		}
		s.profiled--
		s.version++
	}
	if x.sizes[sid]--; x.sizes[sid] == 0 {
		delete(x.storyIDs, s.key)
	}
	x.live--
	x.dead++
}

// compact rewrites the index without its dead entries, stories, and the
// tokens no live entry holds, renumbering each in order (so a story's
// counts stay sorted by token id).
func (x *Index) compact() {
	// Tokens.
	tokMap := make([]int32, len(x.df))
	var ntok int32
	for t, df := range x.df {
		tokMap[t] = -1
		if df > 0 {
			tokMap[t] = ntok
			x.df[ntok], x.numeric[ntok], x.bg[ntok], x.given[ntok], x.place[ntok] = df, x.numeric[t], x.bg[t], x.given[t], x.place[t]
			x.postings[ntok] = x.postings[t]
			ntok++
		}
	}
	for t := ntok; int(t) < len(x.postings); t++ {
		x.postings[t] = nil
	}
	x.df, x.numeric, x.bg, x.given, x.place, x.postings = x.df[:ntok], x.numeric[:ntok], x.bg[:ntok], x.given[:ntok], x.place[:ntok], x.postings[:ntok]
	x.cached, x.stamps = make([]float64, ntok), make([]uint32, ntok)
	for w, id := range x.vocab {
		if r := tokMap[id]; r >= 0 {
			x.vocab[w] = uint32(r)
		} else {
			delete(x.vocab, w)
		}
	}
	clear(x.words)

	// Stories, and their sketches in the order of the stories.
	stoMap := make([]int32, len(x.stories))
	var nsto int32
	var nsums uint32
	for i := range x.stories {
		stoMap[i] = -1
		if s := &x.stories[i]; x.sizes[i] > 0 {
			if s.sum != 0 {
				copy(x.sums[nsums:], x.storySketch(s)) // never ahead of where it was
				s.sum = nsums + 1
				nsums += uint32(s.sumLen)
			}
			for j := range s.counts {
				s.counts[j].token = uint32(tokMap[s.counts[j].token])
			}
			stoMap[i] = nsto
			x.stories[nsto], x.sizes[nsto], x.keyHeads[nsto] = *s, x.sizes[i], x.keyHeads[i]
			x.storyIDs[s.key] = nsto
			nsto++
		}
	}
	clear(x.stories[nsto:])
	x.sums = x.sums[:nsums]
	x.stories, x.sizes, x.keyHeads = x.stories[:nsto], x.sizes[:nsto], x.keyHeads[:nsto]
	for u, e := range x.byURL {
		if r := stoMap[e.story]; r >= 0 {
			e.story = r
			x.byURL[u] = e
		} else {
			delete(x.byURL, u)
		}
	}

	// Entries.
	entMap := make([]int32, len(x.ents))
	var nent int32
	var ntoks uint32
	for i := range x.ents {
		entMap[i] = -1
		if x.ents[i].story < 0 {
			continue
		}
		toks := x.entryTokens(int32(i))
		at := ntoks
		for _, t := range toks {
			x.tokens[ntoks] = uint32(tokMap[t])
			ntoks++
		}
		entMap[i] = nent
		x.tokensAt[nent] = at
		x.ents[nent] = entry{published: x.ents[i].published, story: stoMap[x.ents[i].story]}
		x.entSeen[nent], x.profiled[nent] = x.entSeen[i], x.profiled[i]
		nent++
	}
	x.tokens, x.tokensAt = x.tokens[:ntoks], x.tokensAt[:nent]
	x.ents, x.entSeen, x.profiled = x.ents[:nent], x.entSeen[:nent], x.profiled[:nent]
	for i := range x.stories {
		if s := &x.stories[i]; s.counts == nil && s.first >= 0 {
			s.first = entMap[s.first]
		}
	}
	for t := range x.postings {
		p := x.postings[t][:0]
		for _, id := range x.postings[t] {
			if r := entMap[id]; r >= 0 {
				p = append(p, r)
			}
		}
		x.postings[t] = p
	}
	x.dead = 0
}
