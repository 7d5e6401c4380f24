package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"tributary/news"
)

// Default thresholds, chosen for precision first on labelled headline
// pairs and story clusters (README, "Near-duplicate stories").
const (
	// DefaultThreshold is the score a headline needs with a story of one
	// headline to join it.
	DefaultThreshold = 0.66
	// DefaultStoryThreshold is the score a headline needs with a story of
	// several headlines, against what they have in common, to join it.
	DefaultStoryThreshold = 0.35
	// DefaultWindow is how far apart items may be published and still
	// be compared.
	DefaultWindow = 48 * time.Hour
)

// Options tune an Index.
type Options struct {
	// Window is how far apart, by published time, two items may be and
	// still be compared. An entry is pruned a window after it was
	// published or first seen, whichever is later, so a feed of older
	// stories still has its copies collapsed. Default DefaultWindow.
	Window time.Duration
	// Threshold is the score in [0,1] a headline needs with a story of one
	// headline to join it. Default DefaultThreshold.
	Threshold float64
	// StoryThreshold is the score in [0,1] a headline needs with a story of
	// several headlines to join it. Default DefaultStoryThreshold.
	StoryThreshold float64
	// Strip lists extra headline affix patterns to remove, as /regexp/.
	Strip []string
}

// Reason says why an item joined the story it did.
type Reason string

// The reasons an item joins a story.
const (
	ReasonNew      Reason = "new"      // no match: the item starts a story
	ReasonURL      Reason = "url"      // same canonical URL as a story member
	ReasonHeadline Reason = "headline" // a near-identical headline
)

// Match is the story an item belongs to and why.
type Match struct {
	Story  string
	Reason Reason
	Score  float64 // headline similarity with the story, when Reason is headline
}

// entry is one indexed headline.
type entry struct {
	tokens    []uint32 // token ids, distinct
	story     *story
	published int64 // Unix nanoseconds
	seen      int64 // the later of published and first fetched: pruned a window after it
	dead      bool
	profiled  bool // counted in its story's profile
}

// profileCap is how many members make a story's profile: its first ones.
// Later members still belong to it, but a story that goes on for days
// keeps what it was about, and scoring it stays cheap.
const profileCap = 64

// story is the index's view of a story: its members within the window
// and how many of them hold each token, its profile.
type story struct {
	key      string
	members  []int32
	counts   map[uint32]int32 // token -> profiled members holding it
	profiled int              // members counted in counts
	version  uint32           // changes whenever the profile does

	// The story's totals under the token weights of the moment they were
	// computed; recomputed when the story changes or the window has grown
	// or shrunk by a tenth, since weights drift only with the window.
	totals     storyTotals
	totalsOK   bool
	totalsVer  uint32
	totalsLive int
}

// storyTotals are a story's weights summed for scoring.
type storyTotals struct {
	profile  float64 // Σ weight × share of members holding the token
	core     float64 // Σ weight of the signature tokens
	coreNums int     // numbers among the signature tokens
}

type urlEntry struct {
	story     *story
	published int64
	seen      int64 // as entry.seen
}

// Index remembers the recent items and finds the story a new item belongs
// to: the same canonical URL, or else the story with the most similar
// headline, if similar enough. Headline tokens are weighted by rarity over
// the window (inverse document frequency), and candidates come from an
// inverted index over each query's rarest tokens (prefix filtering), so a
// query never compares against every entry. It is safe for concurrent use.
// After a restart it is rebuilt with Add from the store's window.
type Index struct {
	window         time.Duration
	threshold      float64
	storyThreshold float64
	norm           *Normalizer

	mu       sync.Mutex
	byURL    map[string]urlEntry
	vocab    map[string]uint32
	words    []string  // token id -> token
	df       []int32   // token id -> live entries holding it
	numeric  []bool    // token id -> the token is a number
	postings [][]int32 // token id -> entry ids, dead ones included until compaction
	entries  []entry
	live     int
	dead     int
	stories  map[string]*story

	// A token's weight, cached for the query in progress: stories being
	// scored share many tokens, and a logarithm is not free.
	cached []float64
	stamps []uint32
	stamp  uint32

	// Scratch for candidates, by entry id, valid for the current stamp.
	partial   []float64
	partialAt []uint32
	touched   []int32
}

// NewIndex returns an empty index.
func NewIndex(opts Options) (*Index, error) {
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.StoryThreshold <= 0 {
		opts.StoryThreshold = DefaultStoryThreshold
	}
	if opts.Threshold > 1 || opts.StoryThreshold > 1 {
		return nil, fmt.Errorf("dedupe: thresholds must be at most 1, got %v and %v", opts.Threshold, opts.StoryThreshold)
	}
	n, err := NewNormalizer(opts.Strip)
	if err != nil {
		return nil, err
	}
	return &Index{
		window:         opts.Window,
		threshold:      opts.Threshold,
		storyThreshold: opts.StoryThreshold,
		norm:           n,
		byURL:          map[string]urlEntry{},
		vocab:          map[string]uint32{},
		stories:        map[string]*story{},
	}, nil
}

// Thresholds returns the scores a headline needs to join a story of one
// headline, and a story of several.
func (x *Index) Thresholds() (single, story float64) { return x.threshold, x.storyThreshold }

// Normalizer returns the headline normalizer in use.
func (x *Index) Normalizer() *Normalizer { return x.norm }

// StoryKey returns the key of a story started by the item (source, guid).
// It is derived, not random, so the same upstream entry always starts the
// same story, and its published id never changes.
func StoryKey(source, guid string) string {
	h := sha256.Sum256([]byte(source + "\x00" + guid))
	return hex.EncodeToString(h[:12])
}

// Add records a stored item whose story is already known, as when the
// index is rebuilt from the store. Add items oldest first: a story's first
// member anchors it.
func (x *Index) Add(it *news.Item) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(it, x.norm.Tokens(it.Title), x.storyFor(it.Story), nil)
}

// Len returns the number of live entries.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.live
}

func (x *Index) storyFor(key string) *story {
	s := x.stories[key]
	if s == nil {
		s = &story{key: key, counts: map[uint32]int32{}}
		x.stories[key] = s
	}
	return s
}

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

// weight is a token's rarity: high for a token few entries hold. Unknown
// tokens (df 0) weigh the most.
func (x *Index) weight(df int32) float64 {
	return math.Log(1 + float64(x.live+1)/float64(df+1))
}

// tokenWeightID returns the weight of token id, cached until the next
// query begins (newQuery).
func (x *Index) tokenWeightID(id uint32) float64 {
	if x.stamps[id] != x.stamp {
		x.cached[id], x.stamps[id] = x.weight(x.df[id]), x.stamp
	}
	return x.cached[id]
}

// newQuery invalidates the weight cache.
func (x *Index) newQuery() { x.stamp++ }

// weighted is a query token with its weight.
type weighted struct {
	id      uint32
	known   bool
	numeric bool
	weight  float64
}

func (x *Index) weigh(tokens []string) ([]weighted, float64) {
	out := make([]weighted, len(tokens))
	var total float64
	for i, t := range tokens {
		id, ok := x.vocab[t]
		df := int32(0)
		if ok {
			df = x.df[id]
		}
		out[i] = weighted{id: id, known: ok, numeric: isNumber(t), weight: x.weight(df)}
		total += out[i].weight
	}
	return out, total
}

// numbers counts the numeric tokens of two headlines and those they share.
type numbers struct{ a, b, shared int }

// numberConflict scales down the score of headlines that both carry
// numbers and share none: "7 dead in China" and "3 dead in China" are two
// events more often than one.
const numberConflict = 0.75

// score is the similarity of two headlines (or a headline and a story)
// from the weight of the tokens they share and the total weight of each:
// the mean of the weighted Jaccard similarity (shared over union) and the
// weighted overlap coefficient (shared over the lighter side), scaled down
// on a number conflict. Jaccard keeps a short headline from matching a
// long one on a few words; the overlap coefficient lets a headline that
// adds detail ("... dies at 82") still match. It is symmetric, in [0,1],
// and 1 for identical token sets.
func score(shared, a, b float64, n numbers) float64 {
	union := a + b - shared
	lighter := min(a, b)
	if union <= 0 || lighter <= 0 {
		return 0
	}
	s := (shared/union + shared/lighter) / 2
	if n.a > 0 && n.b > 0 && n.shared == 0 {
		s *= numberConflict
	}
	return min(s, 1)
}

// minShared is the least share of a query's weight that any match scoring
// at least t must hold: score ≤ (shared/a + 1)/2, so shared ≥ (2t−1)·a.
func minShared(t float64) float64 { return max(2*t-1, 0) }

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

// Window returns how far apart items may be published and still be
// compared.
func (x *Index) Window() time.Duration { return x.window }
