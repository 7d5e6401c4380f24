package publish

import (
	"strconv"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"tributary/news"
)

// fragments caches each story's entry as rendered in each format, so a
// document is assembled from the entries of its stories and only a story
// that changed is rendered again. The cache holds exactly the entries the
// current documents use: each document's entries are counted, and an
// entry no document uses any more is dropped.
type fragments struct {
	mu    sync.Mutex
	bytes map[fragmentKey][]byte
	refs  map[fragmentKey]int
	docs  map[string][]fragmentKey // document name -> the entries it uses
}

// fragmentKey names one rendering of one version of a story.
type fragmentKey struct {
	story   string
	version uint64 // storyVersion
	format  Format
	every   bool // the hot feeds' entry, listing every outlet
	private bool // a private feed's entry: no link to a page that would ask for its token
}

func newFragments() *fragments {
	return &fragments{bytes: map[fragmentKey][]byte{}, refs: map[fragmentKey]int{}, docs: map[string][]fragmentKey{}}
}

// get returns the entry of key, rendering it with render when the cache
// has none.
func (c *fragments) get(key fragmentKey, render func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.bytes[key]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.bytes[key] = b
	c.mu.Unlock()
	return b, nil
}

// use records that document doc now uses exactly keys, and drops the
// entries no document uses any more.
func (c *fragments) use(doc string, keys []fragmentKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		c.refs[k]++
	}
	for _, k := range c.docs[doc] {
		if c.refs[k]--; c.refs[k] <= 0 {
			delete(c.refs, k)
			delete(c.bytes, k)
		}
	}
	c.docs[doc] = keys
	for k := range c.bytes { // rendered for a document whose render failed
		if c.refs[k] == 0 {
			delete(c.bytes, k)
		}
	}
}

// forget drops the entries of a document no longer served.
func (c *fragments) forget(doc string) { c.use(doc, nil); delete(c.docs, doc) }

// size returns how many entries are cached.
func (c *fragments) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.bytes)
}

// storyVersion hashes everything a story's entry shows, in any format:
// two stories with one version render the same bytes.
func storyVersion(s *news.Story) uint64 {
	h := xxhash.New()
	str := func(v string) { h.WriteString(v); h.Write([]byte{0}) }
	tm := func(t time.Time) { str(strconv.FormatInt(t.UnixNano(), 10)) }
	str(s.Key)
	tm(s.Published)
	tm(s.Updated)
	for _, t := range s.Topics {
		str(t)
	}
	str("\x01")
	for i := range s.Items {
		it := &s.Items[i]
		for _, v := range []string{it.Source, it.Title, it.Link, it.Summary, it.Content, it.Author, it.Image,
			it.Outlet.Name, it.Outlet.Title, it.Outlet.FeedURL, it.Outlet.Site} {
			str(v)
		}
		tm(it.Updated)
		for _, f := range it.Enclosures {
			str(f.URL)
			str(f.Type)
			str(strconv.FormatInt(f.Length, 10))
		}
		str("\x01")
	}
	return h.Sum64()
}
