package aggregator

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"tributary/dedupe"
	"tributary/feed"
	"tributary/fetch"
	"tributary/news"
	"tributary/store"
)

// Outcome names how a poll ended.
type Outcome string

// The outcomes of a poll.
const (
	OutcomeChanged     Outcome = "changed"      // new or updated items stored, or the outlet renamed
	OutcomeUnchanged   Outcome = "unchanged"    // parsed, nothing new
	OutcomeNotModified Outcome = "not-modified" // 304 or unchanged file
	OutcomeError       Outcome = "error"
	OutcomeWaiting     Outcome = "waiting" // skipped: the upstream asked us to wait, or backing off
	OutcomeRetired     Outcome = "retired" // skipped: the source answered 410 Gone
	OutcomePeer        Outcome = "peer"    // skipped: another replica polls it, or polled it this round
)

// Result summarises one poll.
type Result struct {
	Source    string
	Outcome   Outcome
	New       int
	Updated   int
	Unchanged int
	Merged    int  // new items that joined an existing story
	Renamed   bool // the outlet's name or site changed: every entry crediting it did
	Status    int  // upstream HTTP status; 0 for a file or when none came
	Duration  time.Duration
	Err       error // set when Outcome is OutcomeError
}

// PollError is a failed poll: the source and what went wrong.
type PollError struct {
	Source string
	Op     string // fetch, parse or store
	Err    error
}

// Error reads "source: op: cause", the op said once when the cause
// already begins with it ("fetch: body too large").
func (e *PollError) Error() string {
	msg := e.Err.Error()
	if strings.HasPrefix(msg, e.Op+": ") {
		return e.Source + ": " + msg
	}
	return e.Source + ": " + e.Op + ": " + msg
}
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
	return a.PollDue(ctx, src, a.now())
}

// PollDue is PollScheduled for the round due (the scheduled time, before
// any jitter): on a shared store (Leaser), a source another replica
// polled at or after due is skipped.
func (a *Aggregator) PollDue(ctx context.Context, src news.Source, due time.Time) (Result, error) {
	return a.observe(a.pollDue(ctx, src, true, due))
}

// observe reports every poll to the OnPoll hook — those skipped
// (waiting, retired, halted, another replica's) and the failures the
// store could not record (err set) included, cancelled ones not — and
// those that ran to the metrics.
func (a *Aggregator) observe(res Result, err error) (Result, error) {
	if res.Outcome == "" {
		return res, err
	}
	switch res.Outcome {
	case OutcomeWaiting, OutcomeRetired, OutcomeHalted:
	default:
		a.metrics.ObservePoll(res.Source, string(res.Outcome), res.Status, res.Duration, res.New, res.Updated, res.Merged,
			res.Outcome != OutcomeError)
	}
	if a.onPoll != nil {
		a.onPoll(res)
	}
	return res, err
}

func (a *Aggregator) poll(ctx context.Context, src news.Source, scheduled bool) (Result, error) {
	return a.pollDue(ctx, src, scheduled, a.now())
}

func (a *Aggregator) pollDue(ctx context.Context, src news.Source, scheduled bool, due time.Time) (Result, error) {
	start := a.now()
	res := Result{Source: src.Name}
	if a.halted.Load() != nil {
		res.Outcome = OutcomeHalted
		return res, nil
	}
	if claimed, release, err := a.claim(ctx, src, due, start); err != nil {
		return res, err
	} else if !claimed {
		res.Outcome = OutcomePeer
		return res, nil
	} else if release != nil {
		defer release()
	}
	st, ok := a.states.get(src.Name)
	if !ok {
		var err error
		if st, err = a.store.FetchState(ctx, src.Name); err != nil {
			return res, err
		}
	}
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

	resp, err := a.fetcher.FetchAdmitted(ctx, fetchURL, st, src.Timeout, fetch.AccessFor(src), a.parsing.acquire)
	var se *fetch.StatusError
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
		if err := a.store.SavePoll(ctx, &store.Poll{Source: src.Name, URL: src.URL, State: st}); err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			return a.fail(ctx, src, failed, res, "store", err)
		}
		a.states.set(src.Name, st)
		a.states.stored()
		res.Outcome = OutcomeNotModified
		res.Duration = a.now().Sub(start)
		return res, nil
	}
	defer resp.Release()
	doc, err := a.reader.Parse(resp, src.URL, a.maxItems)
	if doc.Repaired {
		a.log.Debug("invalid UTF-8 replaced", "source", src.Name)
	}
	if err != nil {
		return a.fail(ctx, src, st, res, "parse", err)
	}
	backlog := st.LastSuccess.IsZero() // a source's first document is its backlog: not announced
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	succeed(&st, start)
	st.NotBefore = a.freshUntil(start, max(resp.Fresh, doc.TTL))
	changed, err := a.save(ctx, src, st, &doc.Outlet, doc.Entries, start, backlog, &res)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return a.fail(ctx, src, failed, res, "store", err)
	}
	a.states.set(src.Name, st)
	a.states.stored()
	res.Duration = a.now().Sub(start)
	if res.New+res.Updated > 0 || res.Renamed {
		res.Outcome = OutcomeChanged
		if a.listener != nil {
			a.listener.Changed(ctx, changed)
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
func (a *Aggregator) save(ctx context.Context, src news.Source, st news.FetchState, info *news.OutletInfo, ens []feed.Entry, now time.Time, backlog bool, res *Result) ([]string, error) {
	// Only the entries not remembered unchanged are looked up, outside
	// the write lock: only this poll writes this source's items, since a
	// source is never polled twice at once.
	var guids []string
	remembered := make([]bool, len(ens))
	for i := range ens {
		if remembered[i] = a.known.unchanged(src.Name, ens[i].GUID, ens[i].Hash); !remembered[i] {
			guids = append(guids, ens[i].GUID)
		}
	}
	known, err := a.lookup(ctx, src.Name, guids)
	if err != nil {
		return nil, err
	}
	touched := map[string]bool{}
	topics := *a.topics.Load()
	if info != nil && src.Title != "" { // the config names the outlet
		info.Title = src.Title
	}
	p := &store.Poll{Source: src.Name, URL: src.URL, State: st, Outlet: info, At: now, FullText: src.FullText && a.fullText != nil}
	if rules := a.alerts.Load(); rules != nil && !backlog {
		p.Alerts = *rules
	}
	for i, en := range ens {
		k, ok := known[en.GUID]
		if remembered[i] || (ok && k.Hash == en.Hash) {
			res.Unchanged++
			continue
		}
		it := a.reader.Item(src, en, now)
		if o := topics.Outlets(); o != nil && !ok { // a new item its outlet labelled teaches its section
			o.Learn(&it, o.Label(&it))
		}
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

	// Stored in the order the index reads them, so a replica following
	// the store, or an index rebuilt from it, meets them as this one did.
	slices.SortStableFunc(p.New, func(x, y news.Item) int { return dedupe.ItemOrder(&x, &y) })
	a.write.Lock()
	defer a.write.Unlock()
	err = a.serialized(ctx, func(ctx context.Context) error {
		batch := a.index.Begin(now)
		decided := batch.AssignAll(p.New) // in a canonical order, not the feed's
		for _, m := range decided.Matches {
			if m.Reason != dedupe.ReasonNew {
				res.Merged++
			}
		}
		p.Moves = p.Moves[:0]
		for _, m := range decided.Moves {
			p.Moves = append(p.Moves, store.Move(m))
		}
		if err := a.fileStories(ctx, topics, p, decided.Matches, touched); err != nil {
			batch.Rollback()
			return err
		}
		began := time.Now() // the write's own time, whatever clock the poll reads
		err := a.store.SavePoll(ctx, p)
		a.metrics.ObserveStoreWrite(time.Since(began), len(p.New)+len(p.Updated))
		if err != nil {
			batch.Rollback()
			return err
		}
		batch.Commit()
		for i := range p.New {
			a.followed.Item = max(a.followed.Item, p.New[i].ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res.Renamed = p.OutletChanged; len(p.Moves) > 0 || res.Renamed { // stored stories changed: their topics are not at hand
		for _, t := range topics {
			touched[t.Name] = true
		}
	}
	a.queueFullText(src, p.New) // after the commit, and without waiting
	a.queueFullText(src, p.Updated)
	a.known.stored(src.Name, ens)
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

// lookup asks the store about guids of source; none, no query.
func (a *Aggregator) lookup(ctx context.Context, source string, guids []string) (map[string]store.Known, error) {
	if len(guids) == 0 {
		return nil, nil
	}
	return a.store.KnownItems(ctx, source, guids)
}
