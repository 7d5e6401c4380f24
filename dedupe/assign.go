package dedupe

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"tributary/news"
)

// Reason says why an item is in the story it is in.
type Reason string

// The reasons an item is in a story.
const (
	ReasonNew  Reason = "new"  // no story matched: the item starts one
	ReasonURL  Reason = "url"  // the same canonical URL as a member
	ReasonText Reason = "text" // the learned decision: headline, text, names, numbers, time
)

// Match is the story an item was put in and why.
type Match struct {
	Story  string
	Reason Reason
	Score  float64 // the probability it had with the story, averaged over the story's most alike members
}

// Move is a stored item that a decision put in another story, or (Source
// and GUID empty) a whole story merged into another.
type Move struct {
	Source, GUID string
	From, To     string
}

// Result is what a batch decided: a story for each new item, in the
// items' order, and the stored items and stories it moved.
type Result struct {
	Matches []Match
	Moves   []Move
}

// Batch decides the stories of one poll's new items, and settles the
// items due. The caller commits it once the store has committed the same
// decisions, or rolls it back when the store failed, leaving the index as
// it was.
type Batch struct {
	x     *Index
	now   time.Time
	undo  []op
	fresh []int32
	moves []Move // in the order they happened
	// What remembering its items' templates overwrote, to take back.
	pushed []pushed
}

// op is one change a batch made, to take back.
type op struct {
	kind  uint8 // opAttach, opDetach, opCreate, opRename, opInsert, opSettle
	e, s  int32
	key   string // opRename: the story's key before
	url   uint64 // opAttach: the URL key whose entry it replaced (hadURL)
	urlOf int32
	had   bool
}

const (
	opAttach uint8 = iota
	opDetach
	opCreate
	opRename
	opInsert
	opSettle
)

// Begin starts a batch of decisions made at now.
func (x *Index) Begin(now time.Time) *Batch {
	x.mu.Lock()
	defer x.mu.Unlock()
	b := &Batch{x: x, now: now, undo: x.spareUndo[:0]} // the last batch's log, reused
	x.spareUndo = nil
	return b
}

// done ends a batch: its undo log is kept for the next one.
func (b *Batch) done() {
	b.x.mu.Lock()
	if cap(b.undo) <= 1<<16 { // a burst's long log is let go
		b.x.spareUndo = b.undo[:0]
	}
	b.x.mu.Unlock()
	b.undo, b.fresh, b.moves, b.pushed = nil, nil, nil, nil
}

func (b *Batch) attach(e, s int32) {
	x := b.x
	o := op{kind: opAttach, e: e, s: s}
	if u := x.ents[e].url; u != 0 {
		o.url = u
		o.urlOf, o.had = x.byURL[u]
	}
	x.attach(e, s)
	b.undo = append(b.undo, o)
}

func (b *Batch) detach(e int32) {
	s := b.x.ents[e].story
	b.x.detach(e)
	b.undo = append(b.undo, op{kind: opDetach, e: e, s: s})
}

func (b *Batch) newStory() int32 {
	s := b.x.newStory("")
	b.undo = append(b.undo, op{kind: opCreate, s: s})
	return s
}

func (b *Batch) rename(s int32, key string) {
	x := b.x
	st := &x.stories[s]
	b.undo = append(b.undo, op{kind: opRename, s: s, key: st.key})
	st.key = key
	x.storyIDs[key] = s
}

// AssignAll settles the entries due (settle), then gives each of a poll's
// new items a story (provisional), setting its Story, and returns the
// stories and the moves the store must write. Items must carry their
// first fetch time (Fetched).
func (b *Batch) AssignAll(items []news.Item) Result {
	x := b.x
	x.mu.Lock()
	defer x.mu.Unlock()
	var res Result
	b.settle()
	// Indexed and decided in the canonical order: an item's templates are
	// read from its source's earlier items.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return ItemOrder(&items[i], &items[j]) })
	b.fresh = make([]int32, len(items))
	for _, i := range order {
		ids, p := x.tokenize(&items[i], learn)
		b.pushed = append(b.pushed, *p)
		e := x.insert(&items[i], ids, x.qHead)
		b.fresh[i] = e
		b.undo = append(b.undo, op{kind: opInsert, e: e})
	}
	res.Matches = make([]Match, len(items))
	for _, i := range order {
		m := b.provisional(b.fresh[i])
		m.Story = x.stories[x.ents[b.fresh[i]].story].key
		items[i].Story = m.Story
		res.Matches[i] = m
	}
	res.Moves = b.moves
	return res
}

// provisional puts a new entry in the story whose most alike members it
// matches best among every entry decided, if well enough (Threshold),
// else in a new one of its own. The decision holds until the entry
// settles.
func (b *Batch) provisional(e int32) Match {
	x := b.x
	if s, ok := x.sameURL(e, false); ok {
		b.attach(e, s)
		return Match{Reason: ReasonURL, Score: 1}
	}
	ranked := x.rankStories(x.candidates(e, false), false)
	if len(ranked) > 0 && ranked[0].score >= x.threshold {
		b.attach(e, ranked[0].story)
		return Match{Reason: ReasonText, Score: ranked[0].score}
	}
	s := b.newStory()
	b.attach(e, s)
	b.rename(s, x.freeKey(e, ""))
	return Match{Reason: ReasonNew}
}

// sameURL returns the story of the earliest entry of e's canonical URL,
// if one is decided (settled, if settled is set).
func (x *Index) sameURL(e int32, settled bool) (int32, bool) {
	u := x.ents[e].url
	if u == 0 {
		return 0, false
	}
	byURL := x.byURL
	if settled {
		byURL = x.settledURL
	}
	y, ok := byURL[u]
	if !ok || y == e || x.ents[y].story < 0 {
		return 0, false
	}
	return x.ents[y].story, true
}

// settledMembers counts a story's settled members.
func (x *Index) settledMembers(s int32) int {
	n := 0
	for _, m := range x.stories[s].members {
		if x.ents[m].settled {
			n++
		}
	}
	return n
}

// freeKey returns a key for a new story begun by entry e: prefer, if
// given and free, else one derived from the entry (StoryKey), made unique.
func (x *Index) freeKey(e int32, prefer string) string {
	if prefer != "" {
		if _, taken := x.storyIDs[prefer]; !taken {
			return prefer
		}
	}
	source, guid, _ := strings.Cut(x.keys[e], "\x00")
	key := StoryKey(source, guid)
	for n := 1; ; n++ {
		if _, taken := x.storyIDs[key]; !taken {
			return key
		}
		key = StoryKey(source, guid+"\x00"+strings.Repeat("+", n))
	}
}

// storyScore is a story an entry was compared with: the mean probability
// over its Linkage most alike members.
type storyScore struct {
	story int32
	score float64
}

// rankStories scores the stories of the candidates, best first. A
// story's score is the mean of its members' probabilities over its
// Linkage most alike members (settled ones only, if settled is set) — a
// member not among the candidates counts as 0 — so a story of several is
// joined only by an item alike to several of them, never through one.
// The slice returned is the index's scratch, good until the next call.
func (x *Index) rankStories(cands []scored, settled bool) []storyScore {
	accs := x.rankAccs[:0]    // few: a linear search beats a map
	for _, c := range cands { // best first
		i := slices.IndexFunc(accs, func(a rankAcc) bool { return a.story == c.story })
		if i < 0 {
			i = len(accs)
			accs = append(accs, rankAcc{story: c.story})
		}
		if a := &accs[i]; a.n < x.linkage {
			a.sum += c.p
			a.n++
		}
	}
	x.rankAccs = accs
	out := x.ranked[:0]
	for _, a := range accs {
		size := len(x.stories[a.story].members)
		if settled {
			size = x.settledMembers(a.story)
		}
		out = append(out, storyScore{story: a.story, score: a.sum / float64(max(1, min(x.linkage, size)))})
	}
	slices.SortFunc(out, func(a, c storyScore) int {
		if o := cmp.Compare(c.score, a.score); o != 0 {
			return o
		}
		return x.storyOrder(a.story, c.story)
	})
	x.ranked = out
	return out
}

// rankAcc is a story's probabilities summed as rankStories reads them.
type rankAcc struct {
	story int32
	sum   float64
	n     int
}

// linkage2 is how alike two stories are: the mean of the Linkage highest
// probabilities between their first settled members in the canonical
// order (what is not settled yet has no say in a final decision).
func (x *Index) linkage2(a, c int32) float64 {
	const sample = 4
	ma, mc := x.firstMembers(a, sample), x.firstMembers(c, sample)
	var ps []float64
	for _, e := range ma[:min(len(ma), sample)] {
		x.load(&x.q, x.view(e))
		for _, y := range mc[:min(len(mc), sample)] {
			f := x.compare(&x.q, x.view(y))
			ps = append(ps, x.model.Prob(&f))
		}
	}
	slices.SortFunc(ps, func(p, q float64) int { return -cmp.Compare(p, q) })
	n := min(x.linkage, len(ps))
	if n == 0 {
		return 0
	}
	var sum float64
	for _, p := range ps[:n] {
		sum += p
	}
	return sum / float64(n)
}

// firstMembers returns up to n of a story's settled members, the first
// in the canonical order.
func (x *Index) firstMembers(s int32, n int) []int32 {
	var ms []int32
	for _, m := range x.stories[s].members {
		if x.ents[m].settled {
			ms = append(ms, m)
		}
	}
	slices.SortFunc(ms, x.canonical)
	return ms[:min(n, len(ms))]
}

// Commit keeps the batch's decisions in the index.
func (b *Batch) Commit() { b.done() }

// Rollback takes the batch's decisions back, leaving the index as it was.
func (b *Batch) Rollback() {
	x := b.x
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := len(b.undo) - 1; i >= 0; i-- {
		o := b.undo[i]
		switch o.kind {
		case opAttach:
			x.detach(o.e)
			if o.url != 0 {
				if o.had {
					x.byURL[o.url] = o.urlOf
				} else {
					delete(x.byURL, o.url)
				}
			}
		case opDetach:
			st := &x.stories[o.s]
			if st.gone {
				st.gone = false
				if st.key != "" {
					x.storyIDs[st.key] = o.s
				}
			}
			x.attach(o.e, o.s)
		case opCreate:
			st := &x.stories[o.s]
			st.gone = true
			if st.key != "" && x.storyIDs[st.key] == o.s {
				delete(x.storyIDs, st.key)
			}
		case opRename:
			st := &x.stories[o.s]
			if st.key != "" && x.storyIDs[st.key] == o.s {
				delete(x.storyIDs, st.key)
			}
			st.key = o.key
			if o.key != "" && !st.gone {
				x.storyIDs[o.key] = o.s
			}
		case opInsert:
			x.kill(o.e)
		case opSettle:
			x.unsettle(o.e)
			if o.url != 0 {
				if o.had {
					x.settledURL[o.url] = o.urlOf
				} else {
					delete(x.settledURL, o.url)
				}
			}
		}
	}
	for i := len(b.pushed) - 1; i >= 0; i-- {
		x.tpl.forget(b.pushed[i])
	}
	b.undo, b.fresh, b.moves, b.pushed = nil, nil, nil, nil
}

// Lookup returns the story an item would join at now, without indexing
// it, and whether it would join one rather than start its own.
func (x *Index) Lookup(it *news.Item, now time.Time) (Match, bool) {
	b := x.Begin(now)
	copied := *it
	if copied.Fetched.IsZero() {
		copied.Fetched = now
	}
	r := b.AssignAll([]news.Item{copied})
	b.Rollback()
	m := r.Matches[0]
	return m, m.Reason != ReasonNew
}
