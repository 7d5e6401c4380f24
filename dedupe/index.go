package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	"tributary/news"
	"tributary/text"
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
	// Background is the table of document frequencies that token rarity
	// starts from before the window fills (text.Background). Default: the
	// built-in table.
	Background *text.Background
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

// profileCap is how many members make a story's profile: its first ones.
// Later members still belong to it, but a story that goes on for days
// keeps what it was about, and scoring it stays cheap.
const profileCap = 64

// story is the index's view of a story: how many of its members hold each
// token, its profile. (How many members it has within the window is in
// Index.sizes, looked at by every query.)
type story struct {
	key      string
	counts   []tokenCount // token -> profiled members holding it, by token id; nil for one (first)
	first    int32        // while counts is nil, the one profiled member, whose tokens are the profile
	profiled int32        // members counted in counts
	version  uint32       // changes whenever the profile does

	// The sketch of the summary of its first member that had one:
	// Index.sums[sum-1:][:sumLen]; sum 0 for none.
	sum    uint32
	sumLen uint8
	// A hash of its first member's source (sourceHash): an outlet's other
	// article is not a copy of this one, so a story of one headline is
	// joined by headline only from other sources.
	source uint32

	// The story's totals under the token weights of the moment they were
	// computed; recomputed when the story changes or the window has grown
	// or shrunk by a tenth, since weights drift only with the window.
	totals     storyTotals
	totalsVer  uint32
	totalsLive int32 // 0 until computed: a query meets no story when nothing is live
}

// tokenCount is how many of a story's profiled members hold a token.
type tokenCount struct {
	token uint32
	n     int32
}

// storyTotals are a story's weights summed for scoring.
type storyTotals struct {
	profile    float64 // Σ weight × share of members holding the token
	core       float64 // Σ weight of the signature tokens
	given      float32 // the part of profile that given names make
	coreNums   int16   // numbers among the signature tokens
	corePlaces int16   // countries among the signature tokens
}

type urlEntry struct {
	story     int32
	published int64
	seen      int64 // as an entry's: the later of published and first fetched
}

// Index remembers the recent items and finds the story a new item belongs
// to: the same canonical URL, or else the story with the most similar
// headline, if similar enough. Headline tokens are weighted by rarity over
// the window (inverse document frequency), and candidates come from an
// inverted index over each query's rarest tokens (prefix filtering), so a
// query never compares against every entry. It is safe for concurrent use.
// After a restart it is rebuilt with Add from the store's window.
//
// Everything is numbered: tokens are interned to ids, entries (indexed
// headlines) and stories are positions in dense arrays, and postings are
// lists of entry ids, so a query walks arrays, not maps and pointers.
type Index struct {
	window         time.Duration
	threshold      float64
	storyThreshold float64
	norm           *text.Normalizer
	background     *text.Background

	mu sync.Mutex
	// Canonical URLs by their 64-bit hash (urlKey): an index holds a
	// window of them, and a string each would weigh more than the entry.
	// Two URLs of one hash in a window are one chance in 10^9 at 100k.
	byURL   map[uint64]urlEntry
	urlSeed maphash.Seed

	// Tokens, by id.
	vocab    map[string]uint32 // token -> id
	words    map[string]int32  // headline word -> its token's id, -1 for none: spares folding and stemming
	df       []int32           // live entries holding the token
	numeric  []bool            // the token is a number
	bg       []float32         // the token's share of the background table's documents
	given    []bool            // the token is a given name (text.GivenWeight)
	place    []bool            // the token is a country
	postings [][]int32         // entry ids, dead ones included until compaction

	// Entries (indexed headlines), by id, in indexing order: what a query
	// reads, then the rest.
	ents       []entry
	tokens     []uint32 // every entry's token ids, one after the other
	tokensAt   []uint32 // where each entry's ids begin in tokens
	entSeen    []int64  // the later of published and first fetched: pruned a window after it
	profiled   []bool   // counted in its story's profile
	live, dead int

	// Stories, by id; a story whose members have all left stays dead in
	// place until compaction renumbers.
	stories  []story
	sums     []sumTerm        // stories' summary sketches, one after the other
	sizes    []int32          // each story's live members, 0 once it has left the window
	keyHeads []uint64         // each story's key's first bytes (keyHead), for ties
	storyIDs map[string]int32 // live stories by key

	// A token's weight, cached for the query in progress: stories being
	// scored share many tokens, and a logarithm is not free.
	cached []float64
	stamps []uint32
	stamp  uint32

	// Scratch of the query in progress, reused: its token ids and weights,
	// the entries its candidates came from, and for scoring, its tokens in
	// id order and how many members of a story hold each.
	qIDs      []uint32
	q         []weighted
	qItem     *news.Item // the item being matched; nil for a bare headline
	qSketch   []sumTerm  // its summary's sketch, once asked for (qSketched)
	qSketched bool
	touched   []int32
	byID      []int
	held      []int32
}

// entry is what a query reads of an indexed headline, together: a posting
// costs one cache line.
type entry struct {
	published int64   // Unix nanoseconds
	partial   float64 // the weight it shares with the query of stamp
	stamp     uint32
	story     int32 // -1 once pruned or rolled back
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
	n, err := text.NewNormalizer(opts.Strip)
	if err != nil {
		return nil, err
	}
	if opts.Background == nil {
		if opts.Background, err = text.BuiltinBackground(); err != nil {
			return nil, err
		}
	}
	return &Index{
		background:     opts.Background,
		window:         opts.Window,
		threshold:      opts.Threshold,
		storyThreshold: opts.StoryThreshold,
		norm:           n,
		byURL:          map[uint64]urlEntry{},
		urlSeed:        maphash.MakeSeed(),
		vocab:          map[string]uint32{},
		words:          map[string]int32{},
		storyIDs:       map[string]int32{},
	}, nil
}

// urlKey is the key of canonical URL u in byURL.
func (x *Index) urlKey(u string) uint64 { return maphash.String(x.urlSeed, u) }

// Thresholds returns the scores a headline needs to join a story of one
// headline, and a story of several.
func (x *Index) Thresholds() (single, story float64) { return x.threshold, x.storyThreshold }

// Window returns how far apart items may be published and still be
// compared.
func (x *Index) Window() time.Duration { return x.window }

// Normalizer returns the headline normalizer in use.
func (x *Index) Normalizer() *text.Normalizer { return x.norm }

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
	x.qItem, x.qSketched = it, false
	x.add(it, x.tokenIDs(it.Title), x.storyFor(it.Story), nil)
}

// AddWords is Add with the headline's words given, split by the index's
// Normalizer (Words) elsewhere: so a rebuild can read and split headlines
// on one core while it indexes them on another.
func (x *Index) AddWords(it *news.Item, words []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids := x.qIDs[:0]
	for _, w := range words {
		ids = x.appendWordID(ids, w)
	}
	x.qIDs = ids
	x.qItem, x.qSketched = it, false
	x.add(it, ids, x.storyFor(it.Story), nil)
}

// Len returns the number of live entries.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.live
}

// storyFor returns the id of the live story key, made if need be.
func (x *Index) storyFor(key string) int32 {
	if id, ok := x.storyIDs[key]; ok {
		return id
	}
	id := int32(len(x.stories))
	x.stories = append(x.stories, story{key: key, first: -1})
	x.sizes = append(x.sizes, 0)
	x.keyHeads = append(x.keyHeads, keyHead(key))
	x.storyIDs[key] = id
	return id
}
