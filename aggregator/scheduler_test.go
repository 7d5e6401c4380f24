package aggregator

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// memStore is the smallest store: fetch state only, items counted. The
// rest of the contract it leaves to a nil store.Store: a poll that asked
// for more would panic.
type memStore struct {
	store.Store
	mu     sync.Mutex
	states map[string]news.FetchState
	items  int
}

func (m *memStore) FetchState(_ context.Context, source string) (news.FetchState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.states[source], nil
}

func (m *memStore) KnownItems(context.Context, string, []string) (map[string]store.Known, error) {
	return nil, nil
}

func (m *memStore) stored() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.items
}

func (m *memStore) SavePoll(_ context.Context, p *store.Poll) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[p.Source] = p.State
	m.items += len(p.New)
	return nil
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestSchedulerNeverOverlapsASource(t *testing.T) {
	var inFlight, maxInFlight, hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	defer srv.Close()
	agg := New(&memStore{states: map[string]news.FetchState{}}, Fetcher(0, nil), MustIndex(t), nil, nil, quietLogger(), Options{})
	s, err := NewScheduler(agg, []news.Source{{Name: "slow", URL: srv.URL, Schedule: "@every 1h"}}, 0, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	j := s.jobs["slow"]
	var wg sync.WaitGroup
	ctx := context.Background()
	wg.Go(func() { s.poll(ctx, j, s.now(), 0) })
	for hits.Load() == 0 { // the first poll is now inside the upstream
		time.Sleep(time.Millisecond)
	}
	for range 3 { // the schedule fires again while it runs: skipped at once
		s.poll(ctx, j, s.now(), 0)
	}
	close(release)
	wg.Wait()
	if hits.Load() != 1 || maxInFlight.Load() != 1 {
		t.Errorf("%d requests, %d at once; want 1 and 1", hits.Load(), maxInFlight.Load())
	}
}

func TestSchedulerRunPollsAtStartAndStops(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>x</title></item></channel></rss>`))
	}))
	defer srv.Close()
	st := &memStore{states: map[string]news.FetchState{}}
	agg := New(st, Fetcher(0, nil), MustIndex(t), nil, nil, quietLogger(), Options{})
	srcs := []news.Source{
		{Name: "a", URL: srv.URL, Schedule: "@daily"},
		{Name: "b", URL: srv.URL + "/b", Schedule: "0 3 * * *"},
	}
	s, err := NewScheduler(agg, srcs, time.Second, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	// Both start-up polls finish and are seen by Running, within seconds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		running, last := s.Running()
		if running && !last.IsZero() && st.stored() == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: Running() = %v, %v; %d items stored", running, last, st.stored())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d polls at start, want one per source", hits.Load())
	}
	if running, _ := s.Running(); running {
		t.Error("Running() after Run returned")
	}
}

func TestSchedulerRejectsBadCron(t *testing.T) {
	for _, spec := range []string{"*/x * * * *", "0 0 30 2 *"} {
		_, err := NewScheduler(nil, []news.Source{{Name: "x", Schedule: spec}}, 0, quietLogger())
		if err == nil {
			t.Errorf("cron %q accepted", spec)
		}
	}
}

func TestJitterBounds(t *testing.T) {
	s := &Scheduler{jitter: 30 * time.Second, now: time.Now}
	tests := []struct {
		spec string
		max  time.Duration
	}{
		{"@every 1m", 6 * time.Second}, // a tenth of the interval
		{"*/15 * * * *", 30 * time.Second},
		{"@hourly", 30 * time.Second},
	}
	for _, tt := range tests {
		sched, err := NewScheduler(nil, []news.Source{{Name: "x", Schedule: tt.spec}}, 0, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		var spread bool
		first := s.delay(sched.jobs["x"])
		for range 200 {
			d := s.delay(sched.jobs["x"])
			if d < 0 || d >= tt.max {
				t.Fatalf("%s: delay %v outside [0, %v)", tt.spec, d, tt.max)
			}
			spread = spread || d != first
		}
		if !spread {
			t.Errorf("%s: 200 delays all %v: no jitter", tt.spec, first)
		}
	}
	hourly, _ := NewScheduler(nil, []news.Source{{Name: "x", Schedule: "@hourly"}}, 0, quietLogger())
	if d := hourly.delay(hourly.jobs["x"]); d != 0 {
		t.Errorf("no jitter configured: delay %v", d)
	}
}

func TestSchedulerUpdate(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title></channel></rss>`))
	}))
	defer srv.Close()
	count := func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return hits[path]
	}
	agg := New(&memStore{states: map[string]news.FetchState{}}, Fetcher(0, nil), MustIndex(t), nil, nil, quietLogger(), Options{})
	s, err := NewScheduler(agg, []news.Source{{Name: "a", URL: srv.URL + "/a", Schedule: "@daily"}}, 0, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	waitFor("the start-up poll of a", func() bool { return count("/a") == 1 })

	if err := s.Update([]news.Source{{Name: "b", URL: srv.URL + "/b", Schedule: "*/x * * * *"}}); err == nil {
		t.Error("a bad schedule was accepted")
	}
	if err := s.Update([]news.Source{
		{Name: "a", URL: srv.URL + "/a", Schedule: "@daily"},
		{Name: "b", URL: srv.URL + "/b", Schedule: "@daily"},
	}); err != nil {
		t.Fatal(err)
	}
	waitFor("the first poll of the added source b", func() bool { return count("/b") == 1 })
	if err := s.Update([]news.Source{{Name: "b", URL: srv.URL + "/b", Schedule: "@hourly"}}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	_, hasA := s.jobs["a"]
	entries := len(s.cron.Entries())
	s.mu.Unlock()
	if hasA || entries != 1 {
		t.Errorf("after removing a: job a present %v, %d cron entries; want none and 1", hasA, entries)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if count("/a") != 1 || count("/b") != 1 {
		t.Errorf("polls: a %d, b %d; want one each (a changed schedule does not poll again)", count("/a"), count("/b"))
	}
}
