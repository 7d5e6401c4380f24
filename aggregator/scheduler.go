package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"tributary/news"
	"tributary/schedule"
)

// Scheduler polls every source on its cron schedule, once at start-up (and
// once when a reload adds it), and never runs two polls of one source at
// once.
type Scheduler struct {
	agg    *Aggregator
	log    *slog.Logger
	jitter time.Duration
	now    func() time.Time // the aggregator's clock

	mu       sync.Mutex
	jobs     map[string]*job        // by source name
	busy     map[string]*sync.Mutex // by source name; outlives reloads
	cron     *cron.Cron             // while Run runs
	ctx      context.Context        // Run's, for polls a reload starts
	wg       sync.WaitGroup         // every poll started
	running  bool
	lastPoll time.Time
}

type job struct {
	src      news.Source
	schedule cron.Schedule
	entry    cron.EntryID
	busy     *sync.Mutex // held while a poll of src runs
}

// NewScheduler checks every source's schedule and returns a scheduler. A
// scheduled poll waits a random delay of up to jitter (and at most a tenth
// of the source's interval) first, so sources sharing a schedule do not all
// fire in the same second.
func NewScheduler(agg *Aggregator, sources []news.Source, jitter time.Duration, logger *slog.Logger) (*Scheduler, error) {
	s := &Scheduler{agg: agg, log: logger.With("component", "scheduler"), jitter: jitter,
		jobs: map[string]*job{}, busy: map[string]*sync.Mutex{}, now: time.Now}
	if agg != nil {
		s.now = agg.now
	}
	jobs, err := s.plan(sources)
	if err != nil {
		return nil, err
	}
	s.jobs = jobs
	return s, nil
}

// plan parses every source's schedule into a job, sharing each source's
// busy lock with the job it replaces. It changes nothing on error.
func (s *Scheduler) plan(sources []news.Source) (map[string]*job, error) {
	jobs := map[string]*job{}
	for _, src := range sources {
		sched, err := schedule.Parse(src.Schedule)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", src.Name, err)
		}
		jobs[src.Name] = &job{src: src, schedule: sched}
	}
	for name, j := range jobs {
		if s.busy[name] == nil {
			s.busy[name] = &sync.Mutex{}
		}
		j.busy = s.busy[name]
	}
	return jobs, nil
}

// Run polls every source once, then on schedule, until ctx is done. It
// returns after every poll it started has returned.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	s.cron, s.ctx, s.running = cron.New(), ctx, true
	for _, j := range s.jobs {
		s.schedule(j)
		s.pollNow(j)
	}
	s.cron.Start()
	s.mu.Unlock()

	<-ctx.Done()
	s.mu.Lock()
	c := s.cron
	s.cron, s.running = nil, false
	s.mu.Unlock()
	<-c.Stop().Done()
	s.wg.Wait()
	return nil
}

// schedule adds j's cron entry; s.mu is held and Run is running.
func (s *Scheduler) schedule(j *job) {
	ctx := s.ctx
	j.entry = s.cron.Schedule(j.schedule, cron.FuncJob(func() {
		if !s.startPoll() {
			return
		}
		defer s.wg.Done()
		s.poll(ctx, j, s.now(), s.delay(j)) // the round is due now, whatever the jitter
	}))
}

// pollNow starts a poll of j at once; s.mu is held and Run is running.
func (s *Scheduler) pollNow(j *job) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.poll(s.ctx, j, s.now(), 0)
	}()
}

// startPoll counts a scheduled poll in, unless Run is stopping.
func (s *Scheduler) startPoll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return false
	}
	s.wg.Add(1)
	return true
}

// Update applies a reloaded source list: removed sources stop being
// polled, new ones are polled at once and then on schedule, changed ones
// (URL, schedule, priority, timeout) take effect from their next poll.
// A poll in flight finishes as it began. On a bad schedule nothing
// changes.
func (s *Scheduler) Update(sources []news.Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	jobs, err := s.plan(sources)
	if err != nil {
		return err
	}
	for name, old := range s.jobs {
		if nj, ok := jobs[name]; ok && reflect.DeepEqual(nj.src, old.src) {
			jobs[name] = old // unchanged: keep its cron entry
			continue
		}
		if s.cron != nil {
			s.cron.Remove(old.entry)
		}
	}
	for name, j := range jobs {
		if old, ok := s.jobs[name]; ok && old == j {
			continue
		}
		if s.cron != nil {
			s.schedule(j)
			if _, existed := s.jobs[name]; !existed {
				s.pollNow(j)
			}
		}
	}
	s.jobs = jobs
	return nil
}

// Running reports whether Run is in progress, and the end of the last poll.
func (s *Scheduler) Running() (bool, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running, s.lastPoll
}

// delay is the random wait before a scheduled poll of j.
func (s *Scheduler) delay(j *job) time.Duration {
	limit := s.jitter
	if interval := schedule.Interval(j.schedule, s.now()); interval/10 < limit {
		limit = interval / 10
	}
	if limit <= 0 {
		return 0
	}
	return rand.N(limit)
}

func (s *Scheduler) poll(ctx context.Context, j *job, due time.Time, delay time.Duration) {
	if !j.busy.TryLock() {
		s.log.Info("poll skipped: previous poll still running", "source", j.src.Name)
		return
	}
	defer j.busy.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
	res, err := s.agg.PollDue(ctx, j.src, due)
	s.mu.Lock()
	s.lastPoll = s.now()
	s.mu.Unlock()
	switch {
	case err != nil && ctx.Err() != nil:
		s.log.Debug("poll cancelled", "source", j.src.Name)
	case err != nil:
		s.log.Error("poll not recorded", "source", j.src.Name, slog.Any("err", err))
	case res.Outcome == OutcomeWaiting || res.Outcome == OutcomeRetired || res.Outcome == OutcomePeer || res.Outcome == OutcomeHalted:
		s.log.Debug("poll skipped", "source", j.src.Name, "outcome", string(res.Outcome))
	case res.Outcome != OutcomeError: // failures were logged by the aggregator
		s.log.Info("polled", "source", j.src.Name, "outcome", string(res.Outcome), "items_new", res.New,
			"items_updated", res.Updated, "items_merged", res.Merged, "duration", res.Duration.Round(time.Millisecond))
	}
}

// Healthy returns nil while Run runs and a poll ended within twice the
// longest interval between a source's scheduled polls (and at least five
// minutes), so a stalled scheduler shows.
func (s *Scheduler) Healthy(now time.Time) error {
	running, last := s.Running()
	switch {
	case !running:
		return errors.New("scheduler not running")
	case last.IsZero():
		return errors.New("no poll has finished yet")
	}
	var longest time.Duration
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.jobs {
		longest = max(longest, schedule.Interval(j.schedule, now))
	}
	if limit := max(2*longest, 5*time.Minute); now.Sub(last) > limit {
		return fmt.Errorf("last poll ended %s ago (limit %s)", now.Sub(last).Round(time.Second), limit)
	}
	return nil
}
