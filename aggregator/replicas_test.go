package aggregator_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/internal/pgtest"
	"tributary/news"
	"tributary/postgres"
)

// TestReplicasShareSources: replicas on one PostgreSQL store claim each
// poll, so an upstream never sees two polls of its feed at once, and a
// round one replica polled is skipped by the others; the next round is
// polled again, by one of them.
func TestReplicasShareSources(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Database(t, "replicas")
	var mu sync.Mutex
	inFlight, worst, hits := map[string]int{}, 0, map[string]int{}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight[r.URL.Path]++
		hits[r.URL.Path]++
		worst = max(worst, inFlight[r.URL.Path])
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // widen the window two polls could share
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title><link>https://x.example/</link><description>d</description>
			<item><guid>1</guid><title>Story of %s</title><link>https://x.example%s/1</link></item></channel></rss>`, r.URL.Path, r.URL.Path, r.URL.Path)
		mu.Lock()
		inFlight[r.URL.Path]--
		mu.Unlock()
	}))
	defer up.Close()
	var srcs []news.Source
	for i := range 20 {
		srcs = append(srcs, news.Source{Name: fmt.Sprint("s", i), URL: fmt.Sprintf("%s/feed%d", up.URL, i), AllowPrivate: true, Timeout: 5 * time.Second})
	}
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return t0.Add(time.Second) }
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var replicas []*aggregator.Aggregator
	for i := range 3 {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		replicas = append(replicas, aggregator.New(db, aggregator.Fetcher(0, clock), aggregator.MustIndex(t), nil, nil, logger,
			aggregator.Options{Now: clock, Holder: fmt.Sprint("replica", i)}))
	}
	round := func(due time.Time) map[aggregator.Outcome]int {
		var wg sync.WaitGroup
		var omu sync.Mutex
		outcomes := map[aggregator.Outcome]int{}
		for _, a := range replicas {
			for _, src := range srcs {
				wg.Go(func() {
					res, err := a.PollDue(ctx, src, due)
					if err != nil {
						t.Error(err)
					}
					omu.Lock()
					outcomes[res.Outcome]++
					omu.Unlock()
				})
			}
		}
		wg.Wait()
		return outcomes
	}
	first := round(t0)
	if worst != 1 {
		t.Errorf("an upstream saw %d polls of its feed at once", worst)
	}
	for _, src := range srcs {
		if n := hits["/feed"+src.Name[1:]]; n != 1 {
			t.Errorf("%s fetched %d times in one round, want once", src.Name, n)
		}
	}
	if first[aggregator.OutcomePeer] != 2*len(srcs) || first[aggregator.OutcomeChanged] != len(srcs) {
		t.Errorf("first round outcomes %v: want each source polled by one replica, skipped by two", first)
	}
	second := round(t0.Add(time.Minute + 2*time.Second)) // the next round, after the first's polls
	if second[aggregator.OutcomePeer] != 2*len(srcs) || second[aggregator.OutcomeChanged]+second[aggregator.OutcomeUnchanged] != len(srcs) {
		t.Errorf("second round outcomes %v", second)
	}
	if worst != 1 {
		t.Errorf("an upstream saw %d polls of its feed at once", worst)
	}
}
