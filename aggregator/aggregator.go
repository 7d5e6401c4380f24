// Package aggregator polls sources and runs each poll's pipeline: fetch
// (package fetch), parse (gofeed, its memory bounded), normalise into
// news.Items, assign stories (dedupe), file under topics, store in one
// transaction, then tell the publisher what changed. It also keeps the
// store and the index in step: the scheduler runs polls on cron schedules
// (and applies a reload's sources), the index is rebuilt from the store at
// start, items are refiled when topic rules change, and retention deletes
// old items. It knows neither SQL nor HTTP serving: the stores and the
// publisher are the small interfaces declared here.
package aggregator

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"tributary/dedupe"
	"tributary/feed"
	"tributary/fetch"
	"tributary/metrics"
	"tributary/schedule"
	"tributary/store"
	"tributary/topic"
)

// Listener hears about stored changes, e.g. to re-render published feeds.
// topics names every topic whose stories changed, the catch-all aside.
type Listener interface {
	Changed(ctx context.Context, topics []string)
}

// Options tune an Aggregator.
type Options struct {
	MaxItems   int // entries kept from one document; default fetch.DefaultMaxItems
	Politeness schedule.Politeness
	Now        func() time.Time
	// OnPoll, when set, hears every poll's result, skipped ones too
	// (tests following a daemon).
	OnPoll func(Result)
	// Metrics, when set, count the polls that ran and the store's writes.
	Metrics *metrics.Metrics
	// Holder names this replica when several share a store (a store.Leaser):
	// each poll is claimed under it. Empty: polls are not claimed.
	Holder string
}

// Aggregator runs polls.
type Aggregator struct {
	store    store.Store
	index    *dedupe.Index
	topics   atomic.Pointer[topic.Set]         // swapped by a reload
	alerts   atomic.Pointer[[]store.AlertRule] // the notifying topics; swapped by a reload
	listener Listener
	log      *slog.Logger
	fetcher  *fetch.Fetcher
	reader   *feed.Reader
	now      func() time.Time
	onPoll   func(Result)
	metrics  *metrics.Metrics
	parsing  *parseBudget  // memory of documents being parsed and stored
	states   *sourceStates // the sources' fetch states as last written
	known    *knownEntries
	polite   schedule.Politeness
	maxItems int
	holder   string           // Options.Holder
	fullText chan fullTextJob // items whose article pages are to be fetched
	// fullTextSources are the full-text sources as last configured or
	// polled, by name (RequeueFullText).
	fullTextSources sync.Map
	replica         replicaStats
	halted          atomic.Pointer[error] // why polls stopped (Halt), or nil

	// write serialises the section from assigning stories to committing
	// the index, so two sources' copies of one story cannot both start it.
	write  sync.Mutex
	pruned time.Time // last index prune, under write
	// followed is the last item and story move the index holds, on a
	// shared store (FollowFrom); a.write guards it.
	followed Followed
}

// pruneEvery is how often the dedupe index forgets what left its window.
const pruneEvery = time.Minute

// New returns an aggregator polling through fetcher into store, assigning
// stories with index and filing them under topics. listener may be nil.
func New(st store.Store, fetcher *fetch.Fetcher, index *dedupe.Index, topics topic.Set, listener Listener, logger *slog.Logger, opts Options) *Aggregator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = fetch.DefaultMaxItems
	}
	a := &Aggregator{
		store:    st,
		index:    index,
		listener: listener,
		log:      logger.With("component", "aggregator"),
		fetcher:  fetcher,
		polite:   opts.Politeness.WithDefaults(),
		maxItems: opts.MaxItems,
		holder:   opts.Holder,
		fullText: make(chan fullTextJob, fullTextQueue),
		reader:   feed.NewReader(),
		now:      opts.Now,
		onPoll:   opts.OnPoll,
		metrics:  opts.Metrics,
		parsing:  newParseBudget(parseBudgetFactor*fetcher.MaxBody(), runtime.GOMAXPROCS(0)+1),
		states:   newSourceStates(),
		known:    newKnownEntries(),
	}
	a.topics.Store(&topics)
	return a
}

// SetTopics replaces the topic rules for the polls that start after it.
func (a *Aggregator) SetTopics(topics topic.Set) { a.topics.Store(&topics) }

// SetAlerts replaces the notifying topics' rules: polls from now on queue
// their alerts (news.Poll.Alerts).
func (a *Aggregator) SetAlerts(rules []store.AlertRule) { a.alerts.Store(&rules) }

// Topics returns the topics new items are filed under.
func (a *Aggregator) Topics() topic.Set { return *a.topics.Load() }

// StoreHealth returns nil, or why polls are not being stored (a full
// disk, say) since the last poll the store could not take.
func (a *Aggregator) StoreHealth() error { return a.states.health() }
