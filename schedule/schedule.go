// Package schedule reads the sources' poll schedules: five-field cron specs
// and descriptors (@hourly, @every 10m). It is a leaf both the config's
// validation and the daemon's scheduler use, so a schedule is judged one
// way everywhere.
//
// A cron spec can be well formed and still never fire ("0 0 30 2 *": the
// 30th of February). The cron library then returns the zero time from
// Next; Parse refuses such a spec, and nothing here loops on Next without
// checking that it moved forward.
package schedule

import (
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"
)

// ErrNeverFires is a well-formed spec that names no time that exists. Its
// text follows the spec in messages: "0 0 30 2 *" never fires.
var ErrNeverFires = errors.New("never fires")

// reference is the fixed instant Parse and MinGap look from, so that a
// verdict never depends on today's date. Any spec that fires at all fires
// within four years of any instant (29 February is the rarest day a spec
// can name), well inside the five years the cron library searches.
var reference = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// Parse parses a standard cron spec or descriptor and checks that it
// fires.
func Parse(spec string) (cron.Schedule, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("bad cron %q: %w", spec, err)
	}
	if Next(sched, reference).IsZero() {
		return nil, fmt.Errorf("%q %w", spec, ErrNeverFires)
	}
	return sched, nil
}

// Next returns the first firing of sched after t, or the zero time when
// there is none (or the schedule would not move forward).
func Next(sched cron.Schedule, t time.Time) time.Time {
	next := sched.Next(t)
	if !next.After(t) {
		return time.Time{}
	}
	return next
}

// Interval returns the gap between sched's next two firings after t, or 0
// when it fires fewer than twice from t.
func Interval(sched cron.Schedule, t time.Time) time.Duration {
	next := Next(sched, t)
	if next.IsZero() {
		return 0
	}
	after := Next(sched, next)
	if after.IsZero() {
		return 0
	}
	return after.Sub(next)
}

// MinGap returns the least time between two firings of sched: exact for
// @every, found over a week of firings for a cron spec. It is 0 for a
// schedule that never fires.
func MinGap(sched cron.Schedule) time.Duration {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return every.Delay
	}
	t := Next(sched, reference)
	if t.IsZero() {
		return 0
	}
	gap := time.Duration(1<<63 - 1)
	// Bounded twice: by a week of firings and by a count no cron spec
	// reaches in a week (one a minute is 10,080), so a schedule whose
	// Next misbehaves can never hold the loop.
	end := t.Add(7 * 24 * time.Hour)
	for range 20_000 {
		next := Next(sched, t)
		if next.IsZero() {
			break
		}
		gap = min(gap, next.Sub(t))
		if !next.Before(end) {
			break
		}
		t = next
	}
	return gap
}
