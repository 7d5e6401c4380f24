package dedupe

import (
	"time"
	"tributary/news"
)

// undo records what an add changed, so a batch can take it back.
type undo struct {
	entry  int32
	url    string
	oldURL urlEntry
	hadURL bool
}

func (x *Index) add(it *news.Item, tokens []string, s *story, u *undo) {
	pub := it.Published.UnixNano()
	seen := max(pub, it.Fetched.UnixNano())
	if it.Fetched.IsZero() {
		seen = pub
	}
	if it.URL != "" {
		old, had := x.byURL[it.URL]
		if u != nil {
			u.url, u.oldURL, u.hadURL = it.URL, old, had
		}
		switch {
		case !had || old.published > pub || old.story.dead():
			x.byURL[it.URL] = urlEntry{story: s, published: pub, seen: seen}
		case seen > old.seen: // another copy: the link stays known a window longer
			old.seen = seen
			x.byURL[it.URL] = old
		}
	}
	ids := x.ids(tokens)
	id := int32(len(x.entries))
	profiled := s.profiled < profileCap
	x.entries = append(x.entries, entry{tokens: ids, story: s, published: pub, seen: seen, profiled: profiled})
	for _, t := range ids {
		x.df[t]++
		x.postings[t] = append(x.postings[t], id)
		if profiled {
			s.counts[t]++
		}
	}
	if profiled {
		s.profiled++
		s.version++
	}
	s.members = append(s.members, id)
	x.live++
	if u != nil {
		u.entry = id
	}
}

func (s *story) dead() bool { return len(s.members) == 0 }

// ids interns tokens.
func (x *Index) ids(tokens []string) []uint32 {
	ids := make([]uint32, len(tokens))
	for i, t := range tokens {
		id, ok := x.vocab[t]
		if !ok {
			id = uint32(len(x.words))
			x.vocab[t] = id
			x.words = append(x.words, t)
			x.df = append(x.df, 0)
			x.numeric = append(x.numeric, isNumber(t))
			x.cached = append(x.cached, 0)
			x.stamps = append(x.stamps, 0)
			x.postings = append(x.postings, nil)
		}
		ids[i] = id
	}
	return ids
}

// Prune forgets entries published and first seen before now minus the
// window, and
// compacts the postings once they hold as many dead entries as live ones.
func (x *Index) Prune(now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cut := now.Add(-x.window).UnixNano()
	for i := range x.entries {
		if e := &x.entries[i]; !e.dead && e.seen < cut {
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
	e := &x.entries[id]
	e.dead = true
	s := e.story
	for _, t := range e.tokens {
		x.df[t]--
		if !e.profiled {
			continue
		}
		if s.counts[t]--; s.counts[t] == 0 {
			delete(s.counts, t)
		}
	}
	if e.profiled {
		s.profiled--
		s.version++
	}
	for i, m := range s.members {
		if m == id {
			s.members = append(s.members[:i], s.members[i+1:]...)
			break
		}
	}
	if len(s.members) == 0 {
		delete(x.stories, s.key)
	}
	x.live--
	x.dead++
}

// compact rewrites entries and postings without the dead entries.
func (x *Index) compact() {
	remap := make([]int32, len(x.entries))
	kept := x.entries[:0:0]
	for i, e := range x.entries {
		if e.dead {
			remap[i] = -1
			continue
		}
		remap[i] = int32(len(kept))
		kept = append(kept, e)
	}
	for t := range x.postings {
		p := x.postings[t][:0]
		for _, id := range x.postings[t] {
			if r := remap[id]; r >= 0 {
				p = append(p, r)
			}
		}
		x.postings[t] = p
	}
	for _, s := range x.stories {
		for i, m := range s.members {
			s.members[i] = remap[m]
		}
	}
	x.entries, x.dead = kept, 0
}
