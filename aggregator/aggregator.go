// Package aggregator polls sources and runs each poll's pipeline: fetch
// (conditional GET), parse (gofeed), normalise into news.Items, assign
// stories (dedupe), file under topics, store in one transaction, then tell
// the publisher what changed. The scheduler runs polls on cron schedules.
// It knows neither SQL nor HTTP serving: the store and the publisher are
// the small interfaces declared here.
package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"tributary/dedupe"
	"tributary/news"
	"tributary/topic"
)

// Store is what a poll needs from the store.
type Store interface {
	FetchState(ctx context.Context, source string) (news.FetchState, error)
	KnownItems(ctx context.Context, source string, guids []string) (map[string]news.Known, error)
	SavePoll(ctx context.Context, p *news.Poll) error
}

// Notifier hears about stored changes, e.g. to re-render published feeds.
// topics names every topic whose stories changed, the catch-all aside.
type Notifier interface {
	Changed(ctx context.Context, topics []string)
}

// Options tune an Aggregator.
type Options struct {
	UserAgent   string
	MaxBody     int64 // response body cap, after decompression; default DefaultMaxBody
	Concurrency int   // polls fetching at once; default 8
	PerHost     int   // polls fetching from one host at once; default 2
	MaxItems    int   // entries kept from one document; default DefaultMaxItems
	Politeness  Politeness
	// Guard checks every address dialled (see FetchOptions.Guard).
	Guard Guard
	Now   func() time.Time
	// OnPoll, when set, hears every poll's result (for metrics).
	OnPoll func(Result)
}

// Defaults for Options.
const (
	DefaultMaxBody  = 10 << 20 // response body cap, after decompression
	DefaultMaxItems = 500      // entries kept from one document
)

// Aggregator runs polls.
type Aggregator struct {
	store    Store
	index    *dedupe.Index
	topics   atomic.Pointer[topic.Set] // swapped by a reload
	notify   Notifier
	log      *slog.Logger
	fetcher  *Fetcher
	norm     *normalizer
	now      func() time.Time
	onPoll   func(Result)
	slots    chan struct{} // fetch concurrency
	parsing  *parseBudget  // memory of documents being parsed and stored
	held     *unrecorded   // what the store could not take
	polite   Politeness
	maxItems int

	hostsMu sync.Mutex
	perHost int
	hosts   map[string]chan struct{} // per-host fetch concurrency

	// write serialises the section from assigning stories to committing
	// the index, so two sources' copies of one story cannot both start it.
	write  sync.Mutex
	pruned time.Time // last index prune, under write
}

// pruneEvery is how often the dedupe index forgets what left its window.
const pruneEvery = time.Minute

// New returns an aggregator. notify may be nil.
func New(store Store, index *dedupe.Index, topics topic.Set, notify Notifier, logger *slog.Logger, opts Options) *Aggregator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 2
	}
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultMaxItems
	}
	a := &Aggregator{
		store:    store,
		index:    index,
		notify:   notify,
		log:      logger.With("component", "aggregator"),
		fetcher:  NewFetcher(FetchOptions{UserAgent: opts.UserAgent, MaxBody: opts.MaxBody, Guard: opts.Guard, Now: opts.Now}),
		polite:   opts.Politeness.withDefaults(),
		perHost:  opts.PerHost,
		hosts:    map[string]chan struct{}{},
		maxItems: opts.MaxItems,
		norm:     newNormalizer(),
		now:      opts.Now,
		onPoll:   opts.OnPoll,
		slots:    make(chan struct{}, opts.Concurrency),
		parsing:  newParseBudget(parseBudgetFactor * opts.MaxBody),
		held:     newUnrecorded(),
	}
	a.topics.Store(&topics)
	return a
}

// SetTopics replaces the topic rules for the polls that start after it.
func (a *Aggregator) SetTopics(topics topic.Set) { a.topics.Store(&topics) }

// Outcome names how a poll ended.
type Outcome string

// The outcomes of a poll.
const (
	OutcomeChanged     Outcome = "changed"      // new or updated items stored
	OutcomeUnchanged   Outcome = "unchanged"    // parsed, nothing new
	OutcomeNotModified Outcome = "not-modified" // 304 or unchanged file
	OutcomeError       Outcome = "error"
	OutcomeWaiting     Outcome = "waiting" // skipped: the upstream asked us to wait, or backing off
	OutcomeRetired     Outcome = "retired" // skipped: the source answered 410 Gone
)

// Result summarises one poll.
type Result struct {
	Source    string
	Outcome   Outcome
	New       int
	Updated   int
	Unchanged int
	Merged    int // new items that joined an existing story
	Status    int // upstream HTTP status; 0 for a file or when none came
	Duration  time.Duration
	Err       error // set when Outcome is OutcomeError
}

// PollError is a failed poll: the source and what went wrong.
type PollError struct {
	Source string
	Op     string // fetch, parse or store
	Err    error
}

func (e *PollError) Error() string { return e.Source + ": " + e.Op + ": " + e.Err.Error() }
func (e *PollError) Unwrap() error { return e.Err }

// Poll fetches src and stores what changed. A failure is recorded with the
// source (last error, failure count) and returned in Result.Err; it never
// touches stored items. The error return is only for a store that cannot
// even record the failure.
func (a *Aggregator) Poll(ctx context.Context, src news.Source) (Result, error) {
	return a.observe(a.poll(ctx, src, false))
}

// PollScheduled is Poll for the scheduler: it skips the poll while the
// upstream asked to wait (Retry-After, max-age) or the source backs off.
func (a *Aggregator) PollScheduled(ctx context.Context, src news.Source) (Result, error) {
	return a.observe(a.poll(ctx, src, true))
}

// StoreHealth returns nil, or why polls are not being stored (a full
// disk, say) since the last poll the store could not take.
func (a *Aggregator) StoreHealth() error { return a.held.health() }

// observe reports a poll that ran to the OnPoll hook, failures the store
// could not record included (err set); cancelled and skipped ones not.
func (a *Aggregator) observe(res Result, err error) (Result, error) {
	if a.onPoll != nil && res.Outcome != "" && res.Outcome != OutcomeWaiting && res.Outcome != OutcomeRetired {
		a.onPoll(res)
	}
	return res, err
}

func (a *Aggregator) poll(ctx context.Context, src news.Source, scheduled bool) (Result, error) {
	start := a.now()
	res := Result{Source: src.Name}
	st, err := a.store.FetchState(ctx, src.Name)
	if err != nil {
		return res, err
	}
	st = a.held.state(src.Name, st)
	if st.Retired != "" && st.Retired == src.URL {
		res.Outcome = OutcomeRetired
		return res, nil
	}
	if scheduled && start.Before(st.NotBefore) {
		res.Outcome = OutcomeWaiting
		return res, nil
	}
	fetchURL := src.URL
	if st.MovedFrom == src.URL && st.MovedTo != "" {
		fetchURL = st.MovedTo
	}
	st.LastPoll = start.UTC()

	release, err := a.acquire(ctx, fetchURL)
	if err != nil {
		return res, err
	}
	resp, err := a.fetcher.Fetch(ctx, fetchURL, st, src.Timeout, AccessFor(src))
	release()
	var se *StatusError
	switch {
	case errors.As(err, &se):
		res.Status = se.Code
	case err == nil:
		res.Status = resp.Status
	}
	if err != nil {
		if ctx.Err() != nil { // shutting down: not the source's failure
			return res, ctx.Err()
		}
		return a.fail(ctx, src, st, res, "fetch", err)
	}
	failed := st // on a store failure, the validators must not move on
	a.moved(src, &st, resp.MovedTo)
	if resp.NotModified {
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
		succeed(&st, start)
		st.NotBefore = a.freshUntil(start, resp.Fresh)
		if err := a.store.SavePoll(ctx, &news.Poll{Source: src.Name, URL: src.URL, State: st}); err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			return a.fail(ctx, src, failed, res, "store", err)
		}
		a.held.stored(src.Name)
		res.Outcome = OutcomeNotModified
		res.Duration = a.now().Sub(start)
		return res, nil
	}
	done, err := a.parsing.acquire(ctx, len(resp.Body))
	if err != nil {
		return res, err
	}
	defer done()
	feed, repaired, err := parse(resp, a.maxItems)
	if repaired {
		a.log.Debug("invalid UTF-8 replaced", "source", src.Name)
	}
	if err != nil {
		return a.fail(ctx, src, st, res, "parse", err)
	}
	ens := entries(feed, src.URL)

	if len(ens) > a.maxItems { // feeds list newest first
		ens = ens[:a.maxItems]
	}
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	succeed(&st, start)
	st.NotBefore = a.freshUntil(start, resp.Fresh)
	changed, err := a.save(ctx, src, st, ens, start, &res)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return a.fail(ctx, src, failed, res, "store", err)
	}
	a.held.stored(src.Name)
	res.Duration = a.now().Sub(start)
	if res.New+res.Updated > 0 {
		res.Outcome = OutcomeChanged
		if a.notify != nil {
			a.notify.Changed(ctx, changed)
		}
	} else {
		res.Outcome = OutcomeUnchanged
	}
	return res, nil
}

// save normalises the new and edited entries, assigns their stories and
// topics, and writes the poll in one transaction. Unchanged entries cost a
// digest comparison and nothing else. It returns the topics whose stories
// changed.
func (a *Aggregator) save(ctx context.Context, src news.Source, st news.FetchState, ens []entry, now time.Time, res *Result) ([]string, error) {
	guids := make([]string, len(ens))
	for i := range ens {
		guids[i] = ens[i].guid
	}
	// Read outside the write lock: only this poll writes this source's
	// items, since a source is never polled twice at once.
	known, err := a.store.KnownItems(ctx, src.Name, guids)
	if err != nil {
		return nil, err
	}
	touched := map[string]bool{}
	topics := *a.topics.Load()
	p := &news.Poll{Source: src.Name, URL: src.URL, State: st}
	for _, en := range ens {
		k, ok := known[en.guid]
		if ok && k.Hash == en.hash {
			res.Unchanged++
			continue
		}
		it := a.norm.item(src, en, now)
		it.Topics = topics.Match(&it)
		mark(touched, it.Topics)
		if !ok {
			p.New = append(p.New, it)
			continue
		}
		it.ID, it.Story, it.Fetched = k.ID, k.Story, k.Fetched
		if it.Undated { // keep the first-seen date; the edit is now
			it.Published = k.Published
		}
		mark(touched, k.Topics)
		p.Updated = append(p.Updated, it)
	}

	a.write.Lock()
	defer a.write.Unlock()
	batch := a.index.Begin()
	for i := range p.New {
		if m := batch.Assign(&p.New[i]); m.Reason != dedupe.ReasonNew {
			res.Merged++
		}
	}
	if err := a.store.SavePoll(ctx, p); err != nil {
		batch.Rollback()
		return nil, err
	}
	batch.Commit()
	if now.Sub(a.pruned) > pruneEvery {
		a.index.Prune(now)
		a.pruned = now
	}
	res.New, res.Updated = len(p.New), len(p.Updated)
	changed := make([]string, 0, len(touched))
	for t := range touched {
		changed = append(changed, t)
	}
	sort.Strings(changed)
	return changed, nil
}

func mark(set map[string]bool, lists ...[]string) {
	for _, l := range lists {
		for _, t := range l {
			set[t] = true
		}
	}
}

func succeed(st *news.FetchState, start time.Time) {
	st.LastSuccess = start.UTC()
	st.LastError = ""
	st.Failures = 0
}

// fail records a failed poll with the source and logs it once. The next
// scheduled poll waits: as long as a 429 or 503 asked, else an exponential
// backoff; a 410 Gone retires the source until its URL changes.
func (a *Aggregator) fail(ctx context.Context, src news.Source, st news.FetchState, res Result, op string, err error) (Result, error) {
	perr := &PollError{Source: src.Name, Op: op, Err: err}
	st.LastError = perr.Error()
	st.Failures++
	now := a.now()
	st.NotBefore = now.Add(a.polite.backoff(st.Failures))
	var se *StatusError
	if errors.As(err, &se) {
		switch {
		case se.Code == http.StatusGone:
			st.Retired = src.URL
			a.log.Warn("source retired: 410 Gone; it is not polled again until its URL changes in the config",
				"source", src.Name, "url", src.URL)
		case !se.RetryAfter.IsZero():
			st.NotBefore = now.Add(a.polite.clamp(se.RetryAfter.Sub(now)))
		}
	}
	res.Outcome, res.Err = OutcomeError, perr
	res.Duration = a.now().Sub(st.LastPoll)
	a.log.Warn("poll failed", "source", src.Name, "op", op, "failures", st.Failures, slog.Any("err", err))
	if op == "store" {
		a.held.storeFailed(err, now)
	}
	// The old validators stay: a failed poll must not turn the next one
	// into an unconditional fetch, nor lose what a 304 would have saved.
	if serr := a.store.SavePoll(context.WithoutCancel(ctx), &news.Poll{Source: src.Name, URL: src.URL, State: st}); serr != nil {
		// Kept in memory instead: the next poll backs off all the same.
		a.held.hold(src.Name, st, serr, now)
		return res, fmt.Errorf("record failure of %s: %w", src.Name, serr)
	}
	a.held.recorded(src.Name)
	return res, nil
}

// acquire takes a global and a per-host fetch slot; release gives both back.
func (a *Aggregator) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := hostOf(rawURL)
	a.hostsMu.Lock()
	hs := a.hosts[host]
	if hs == nil {
		hs = make(chan struct{}, a.perHost)
		a.hosts[host] = hs
	}
	a.hostsMu.Unlock()
	select {
	case hs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		<-hs
		return nil, ctx.Err()
	}
	return func() { <-a.slots; <-hs }, nil
}

// freshUntil is when the next scheduled poll may run after a success:
// now when the upstream said nothing, else after its max-age or Expires,
// bounded by the politeness limits.
func (a *Aggregator) freshUntil(now time.Time, fresh time.Duration) time.Time {
	if fresh <= 0 {
		return time.Time{}
	}
	return now.Add(a.polite.clamp(fresh))
}

// moved records a permanent redirect of the configured URL, and tells the
// operator to update the config.
func (a *Aggregator) moved(src news.Source, st *news.FetchState, to string) {
	if to == "" || (st.MovedFrom == src.URL && st.MovedTo == to) || to == src.URL {
		return
	}
	st.MovedFrom, st.MovedTo = src.URL, to
	a.log.Warn("source moved permanently: polling the new URL; update the config", "source", src.Name,
		"from", src.URL, "to", to)
}
