package dedupe

import (
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"tributary/news"
	"tributary/text"
)

// Defaults of Options.
const (
	// DefaultWindow is how far apart items may be published and still
	// be compared.
	DefaultWindow = 48 * time.Hour
	// DefaultSettle is how long after it was first fetched an item's
	// story may still be decided again with items that came after it.
	DefaultSettle = 30 * time.Minute
	// TextChars is how much of an item's summary, and of its content,
	// the index reads, in characters (HTML and all): what a store hands
	// it (store.Store.RecentItems), so an index rebuilt or following a
	// store reads its items as the one that first decided them.
	TextChars = 1200
)

// Options tune an Index.
type Options struct {
	// Window is how far apart, by published time, two items may be and
	// still be compared. An entry is pruned a window after it was
	// published or first seen, whichever is later, so a feed of older
	// stories still has its copies collapsed. Default DefaultWindow.
	Window time.Duration
	// Settle is how long an item's decision stays open: every item first
	// fetched within Settle of another is decided with it, in one order
	// (published time, source, GUID) whatever order their polls came in.
	// Default DefaultSettle.
	Settle time.Duration
	// Threshold is the probability an item needs with a story to join
	// it; Merge the probability it needs with a second story to merge
	// the two. Zero: the model's.
	Threshold, Merge float64
	// Strip lists extra headline affix patterns to remove, as /regexp/.
	Strip []string
	// Background is the table of document frequencies that token rarity
	// starts from before the window fills (text.Background). Default:
	// the built-in table.
	Background *text.Background
	// Model is the learned decision. Default: the built-in model.
	Model *Model
	// Observe, when set, is told every comparison a decision makes: the
	// item decided, the earlier one, both as source and GUID, and their
	// features as the decision read them (for the fitting tool,
	// internal/storyfit).
	Observe func(item, earlier [2]string, f Features)
}

// Index remembers the recent items and decides the story each new one
// belongs to (see the package documentation). It is safe for concurrent
// use. After a restart it is rebuilt with Add from the store's window.
type Index struct {
	window, settle   time.Duration
	threshold, merge float64
	linkage          int
	model            *Model
	observe          func(item, earlier [2]string, f Features)
	norm             *text.Normalizer
	v                *vocab
	seed             maphash.Seed

	mu sync.Mutex

	// Entries by id, in the order they came.
	ents     []entry
	toks     []uint32         // every entry's tokens, one after the other
	keys     []string         // source and GUID of each live entry
	postings [][]int32        // by token id: the entries holding it, dead ones until compaction
	byURL    map[uint64]int32 // canonical URL key -> the earliest published live entry of it
	// settledURL: canonical URL key -> its first settled live entry in the
	// canonical order (final decisions read it).
	settledURL map[uint64]int32

	live, dead, provisional int
	unsettledFrom           int32 // entries before it are settled or dead
	// From sortedFrom on, entries are in the order of their first fetch
	// (as polls append them, nearly always): a walk for the entries due
	// to settle stops at the first one not due past it.
	sortedFrom int32

	// Stories by id; a gone one stays in place until compaction.
	stories  []story
	storyIDs map[string]int32 // live stories by key

	// Passages its sources repeat (templates).
	tpl *templates

	// Scratch of the decision in progress.
	qToks    []uint32
	qPass    passages
	qHead    int
	q        query
	stamp    uint32  // entries' acc belong to this candidate scan
	touched  []int32 // entries the scan touched
	scored   []scored
	rankAccs []rankAcc
	ranked   []storyScore
	// spareUndo is the last batch's undo log, for the next (Begin).
	spareUndo []op
}

// NewIndex returns an empty index.
func NewIndex(opts Options) (*Index, error) {
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Settle <= 0 {
		opts.Settle = DefaultSettle
	}
	var err error
	if opts.Model == nil {
		if opts.Model, err = BuiltinModel(); err != nil {
			return nil, err
		}
	}
	if opts.Threshold == 0 {
		opts.Threshold = opts.Model.Threshold
	}
	if opts.Merge == 0 {
		opts.Merge = opts.Model.Merge
	}
	if opts.Threshold < 0 || opts.Threshold > 1 || opts.Merge < 0 || opts.Merge > 1 {
		return nil, fmt.Errorf("dedupe: thresholds must be within (0,1], got %v and %v", opts.Threshold, opts.Merge)
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
	seed := maphash.MakeSeed()
	return &Index{
		window: opts.Window, settle: opts.Settle,
		threshold: opts.Threshold, merge: opts.Merge, linkage: opts.Model.Linkage, model: opts.Model, observe: opts.Observe,
		norm: n, v: newVocab(opts.Background), seed: seed, tpl: newTemplates(seed),
		byURL: map[uint64]int32{}, settledURL: map[uint64]int32{}, storyIDs: map[string]int32{},
	}, nil
}

// Thresholds returns the probability an item needs to join a story, and
// the one it needs with a second story to merge the two.
func (x *Index) Thresholds() (join, merge float64) { return x.threshold, x.merge }

// Model returns the decision's model.
func (x *Index) Model() *Model { return x.model }

// Window returns how far apart items may be published and still be
// compared.
func (x *Index) Window() time.Duration { return x.window }

// Settle returns how long an item's decision stays open.
func (x *Index) Settle() time.Duration { return x.settle }

// Normalizer returns the headline normalizer in use.
func (x *Index) Normalizer() *text.Normalizer { return x.norm }

// Len returns the number of live entries.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.live
}

// Add records a stored item whose story is already known, as when the
// index is rebuilt from the store, or follows what other replicas
// stored. The next batch settles it if it was first fetched a settle
// period before that batch.
func (x *Index) Add(it *news.Item) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if it.Story == "" {
		return
	}
	ids, _ := x.tokenize(it, learn)
	e := x.insert(it, ids, x.qHead)
	x.attach(e, x.storyFor(it.Story))
}

// Restory moves a stored item not yet settled to another story, as
// another replica decided it.
func (x *Index) Restory(source, guid, story string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.unsettled(source, guid)
	if ok && x.stories[x.ents[e].story].key != story {
		x.detach(e)
		x.attach(e, x.storyFor(story))
	}
}

// SetText gives a stored item not yet settled its extracted article
// (full_text), read with its summary from now on: its story is decided
// for good with it when it settles. A settled item keeps the text it was
// decided on.
func (x *Index) SetText(it *news.Item) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.unsettled(it.Source, it.GUID)
	if !ok {
		return
	}
	ids, _ := x.tokenize(it, stored)
	en := &x.ents[e]
	en.at, en.nHead, en.nBody = uint32(len(x.toks)), uint8(x.qHead), uint8(len(ids)-x.qHead)
	x.toks = append(x.toks, ids...)
	x.growPostings()
	for _, t := range ids {
		if t &^= nameBit; !slices.Contains(x.postings[t], e) {
			x.postings[t] = append(x.postings[t], e)
		}
	}
}

// unsettled returns the live entry not yet settled of an item.
func (x *Index) unsettled(source, guid string) (int32, bool) {
	key := source + "\x00" + guid
	for e := int32(len(x.ents)) - 1; e >= x.unsettledFrom; e-- {
		if x.keys[e] == key && x.ents[e].story >= 0 && !x.ents[e].settled {
			return e, true
		}
	}
	return 0, false
}

// MergeStory moves every member of story from into story to, as another
// replica decided.
func (x *Index) MergeStory(from, to string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.storyIDs[from]
	if !ok {
		return
	}
	for _, e := range append([]int32(nil), x.stories[s].members...) {
		x.detach(e)
		x.attach(e, x.storyFor(to))
	}
}

// Prune forgets the entries published (or first seen, if later) a window
// or more before now, and compacts the index when the dead outnumber the
// live.
func (x *Index) Prune(now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cut := now.Add(-x.window).UnixNano()
	for e := range x.ents {
		if en := &x.ents[e]; en.story != dead && en.story != undecided && en.seen < cut {
			x.kill(int32(e))
		}
	}
	if x.dead > x.live && x.dead > 1024 {
		x.compact()
	}
}
