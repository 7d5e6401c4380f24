package schedule_test

import (
	"errors"
	"testing"
	"time"

	"tributary/schedule"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		never bool
		bad   bool
		gap   time.Duration
	}{
		{spec: "*/15 * * * *", gap: 15 * time.Minute},
		{spec: "@every 10m", gap: 10 * time.Minute},
		{spec: "@hourly", gap: time.Hour},
		{spec: "0 9 * * 1-5", gap: 24 * time.Hour},
		{spec: "0 0 29 2 *", gap: 4 * 365 * 24 * time.Hour}, // leap days only: fires, rarely
		{spec: "0 0 30 2 *", never: true},
		{spec: "0 0 31 4 *", never: true},
		{spec: "0 0 31 2,4,6 *", never: true},
		{spec: "*/x * * * *", bad: true},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			sched, err := schedule.Parse(tc.spec)
			switch {
			case tc.never:
				if !errors.Is(err, schedule.ErrNeverFires) {
					t.Fatalf("Parse(%q) = %v, want ErrNeverFires", tc.spec, err)
				}
				if want := `"` + tc.spec + `" never fires`; err.Error() != want {
					t.Errorf("error %q, want %q", err, want)
				}
				return
			case tc.bad:
				if err == nil || errors.Is(err, schedule.ErrNeverFires) {
					t.Fatalf("Parse(%q) = %v, want a parse error", tc.spec, err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			gap := schedule.MinGap(sched)
			if tc.spec == "0 0 29 2 *" {
				if gap < 3*365*24*time.Hour {
					t.Errorf("MinGap = %s, want years", gap)
				}
				return
			}
			if gap != tc.gap {
				t.Errorf("MinGap = %s, want %s", gap, tc.gap)
			}
		})
	}
}

// neverSchedule is a schedule as the cron library returns for a spec that
// never fires: the zero time.
type neverSchedule struct{}

func (neverSchedule) Next(time.Time) time.Time { return time.Time{} }

// stuckSchedule returns the time it is given: a Next that never moves.
type stuckSchedule struct{}

func (stuckSchedule) Next(t time.Time) time.Time { return t }

func TestNextNeverLoops(t *testing.T) {
	now := time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, sched := range []interface{ Next(time.Time) time.Time }{neverSchedule{}, stuckSchedule{}} {
		if got := schedule.Next(sched, now); !got.IsZero() {
			t.Errorf("%T: Next = %v, want zero", sched, got)
		}
		if got := schedule.Interval(sched, now); got != 0 {
			t.Errorf("%T: Interval = %v, want 0", sched, got)
		}
		if got := schedule.MinGap(sched); got != 0 { // returns at all: no endless loop
			t.Errorf("%T: MinGap = %v, want 0", sched, got)
		}
	}
}
