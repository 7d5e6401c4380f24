package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"tributary/news"
)

// Options tune an Index.
type Options struct {
	// Window is how far apart, by published time, two items may be and
	// still be compared. Older entries are pruned.
	Window time.Duration
}

// Reason says why an item joined the story it did.
type Reason string

// The reasons an item joins a story.
const (
	ReasonNew Reason = "new" // no match: the item starts a story
	ReasonURL Reason = "url" // same canonical URL as a story member
)

// Match is the story an item belongs to and why.
type Match struct {
	Story  string
	Reason Reason
}

type entry struct {
	story     string
	published time.Time
}

// Index remembers the recent items' keys and finds the story a new item
// belongs to. It is safe for concurrent use. It holds only what the store
// holds; after a restart it is rebuilt with Add from the store's window.
type Index struct {
	window time.Duration

	mu    sync.Mutex
	byURL map[string]entry
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	if opts.Window <= 0 {
		opts.Window = 48 * time.Hour
	}
	return &Index{window: opts.Window, byURL: map[string]entry{}}
}

// StoryKey returns the key of a story started by the item (source, guid).
// It is derived, not random, so the same upstream entry always starts the
// same story, and its published id never changes.
func StoryKey(source, guid string) string {
	h := sha256.Sum256([]byte(source + "\x00" + guid))
	return hex.EncodeToString(h[:12])
}

// Add records a stored item whose story is already known.
func (x *Index) Add(it *news.Item) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.add(it.URL, entry{story: it.Story, published: it.Published})
}

func (x *Index) add(u string, e entry) {
	if u == "" {
		return
	}
	if old, ok := x.byURL[u]; ok && !old.published.After(e.published) {
		return // keep the earliest: it started the story
	}
	x.byURL[u] = e
}

// Lookup returns the story of a stored item with this canonical URL near
// the published time, if any.
func (x *Index) Lookup(it *news.Item) (Match, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.lookup(it)
}

func (x *Index) lookup(it *news.Item) (Match, bool) {
	if e, ok := x.byURL[it.URL]; ok && it.URL != "" && within(e.published, it.Published, x.window) {
		return Match{Story: e.story, Reason: ReasonURL}, true
	}
	return Match{}, false
}

// Prune forgets entries published before now minus the window.
func (x *Index) Prune(now time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	cut := now.Add(-x.window)
	for u, e := range x.byURL {
		if e.published.Before(cut) {
			delete(x.byURL, u)
		}
	}
}

// Len returns the number of entries held.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.byURL)
}

func within(a, b time.Time, d time.Duration) bool {
	diff := a.Sub(b)
	return diff <= d && diff >= -d
}
