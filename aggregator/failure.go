package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"tributary/fetch"
	"tributary/news"
	"tributary/store"
)

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
	st.NotBefore = now.Add(a.polite.Backoff(st.Failures))
	var se *fetch.StatusError
	if errors.As(err, &se) {
		switch {
		case se.Code == http.StatusGone:
			st.Retired = src.URL
			a.log.Warn("source retired: 410 Gone; it is not polled again until its URL changes in the config",
				"source", src.Name, "url", src.URL)
		case !se.RetryAfter.IsZero():
			st.NotBefore = now.Add(a.polite.Clamp(se.RetryAfter.Sub(now)))
		}
	}
	res.Outcome, res.Err = OutcomeError, perr
	res.Duration = a.now().Sub(st.LastPoll)
	a.log.Warn("poll failed", "source", src.Name, "op", op, "failures", st.Failures, slog.Any("err", err))
	if op == "store" {
		a.states.storeFailed(err, now)
	}
	// The old validators stay: a failed poll must not turn the next one
	// into an unconditional fetch, nor lose what a 304 would have saved.
	// Remembered even when the store cannot take it: the next poll backs
	// off all the same.
	a.states.set(src.Name, st)
	if serr := a.store.SavePoll(context.WithoutCancel(ctx), &store.Poll{Source: src.Name, URL: src.URL, State: st}); serr != nil {
		a.states.storeFailed(serr, now)
		return res, fmt.Errorf("record failure of %s: %w", src.Name, serr)
	}
	return res, nil
}

// freshUntil is when the next scheduled poll may run after a success:
// now when the upstream said nothing, else after its max-age or Expires,
// bounded by the politeness limits.
func (a *Aggregator) freshUntil(now time.Time, fresh time.Duration) time.Time {
	if fresh <= 0 {
		return time.Time{}
	}
	return now.Add(a.polite.Clamp(fresh))
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
