package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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

// Window returns how far apart items may be published and still be
// compared.
func (x *Index) Window() time.Duration { return x.window }

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
