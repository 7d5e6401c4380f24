package aggregator_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/internal/pgtest"
	"tributary/internal/shared"
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
	for _, a := range replicas {
		if r := a.Replica(); !r.Shared || r.Leases != 0 || r.Takeovers != 0 {
			t.Errorf("after a round: %+v, want a shared store and no lease held or taken over", r)
		}
	}
	second := round(t0.Add(time.Minute + 2*time.Second)) // the next round, after the first's polls
	if second[aggregator.OutcomePeer] != 2*len(srcs) || second[aggregator.OutcomeChanged]+second[aggregator.OutcomeUnchanged] != len(srcs) {
		t.Errorf("second round outcomes %v", second)
	}
	if worst != 1 {
		t.Errorf("an upstream saw %d polls of its feed at once", worst)
	}
}

// changes hears a publisher's notifications.
type changes struct{ ch chan []string }

func (c *changes) Changed(_ context.Context, topics []string) { c.ch <- topics }

// TestReplicasMakeOneStory: two replicas polling two outlets' copies of
// one story put them in one story — the second assigns after catching up
// with what the first stored, under the store's lock — and a replica that
// polls nothing still hears of the others' items (Follow) and tells its
// publisher.
func TestReplicasMakeOneStory(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Database(t, "onestory")
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%[1]s</title><link>https://%[1]s.example/</link><description>d</description>
			<item><guid>1</guid><title>Glacier collapse in the Alps forces evacuation of three villages</title>
			<link>https://%[1]s.example/glacier</link><category>climate</category></item></channel></rss>`, r.URL.Path[1:])
	}))
	defer up.Close()
	clock := func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var replicas []*aggregator.Aggregator
	var stores []*postgres.DB
	spy := &changes{ch: make(chan []string, 8)}
	for i := range 3 {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		stores = append(stores, db)
		replicas = append(replicas, aggregator.New(db, aggregator.Fetcher(0, clock), aggregator.MustIndex(t), nil, spy, logger,
			aggregator.Options{Now: clock, Holder: fmt.Sprint("replica", i)}))
	}
	follow, cancel := context.WithCancel(ctx)
	defer cancel()
	go replicas[2].Follow(follow, 10*time.Millisecond)
	for i, name := range []string{"alpine", "valley"} {
		src := news.Source{Name: name, URL: up.URL + "/" + name, AllowPrivate: true, Timeout: 5 * time.Second}
		if res, err := replicas[i].Poll(ctx, src); err != nil || res.New != 1 {
			t.Fatalf("%s: %+v, %v", name, res, err)
		}
	}
	stories, err := stores[0].Stories(ctx, news.AllTopic, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 1 || len(stories[0].Items) != 2 {
		t.Fatalf("%d stories, want one story of both copies", len(stories))
	}
	select {
	case <-spy.ch: // the pollers' own notifications, then the follower's
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case <-spy.ch:
		case <-deadline:
			t.Fatal("the replica that polled nothing never heard of the others' items")
		}
		if replicas[2].IndexLen() == 2 {
			return
		}
	}
}

// TestReplicasDecideAsOne: the real saved feeds polled by two replicas
// of one store, each polling half of them in turn, end — once settled —
// in the stories one process polling them all makes: each replica
// follows the other's items and the stories the other moved.
func TestReplicasDecideAsOne(t *testing.T) {
	ctx := context.Background()
	feeds, err := filepath.Glob(filepath.Join(shared.Path(t, "feeds/rowanmanning-sample-feeds/content/real-world"), "*", "feed.xml"))
	if err != nil || len(feeds) < 20 {
		t.Fatalf("saved feeds: %d, %v", len(feeds), err)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var sources []news.Source
	for _, f := range feeds {
		sources = append(sources, news.Source{Name: filepath.Base(filepath.Dir(f)), URL: "file:" + f, Timeout: 5 * time.Second})
	}
	partition := func(db *postgres.DB) []string {
		stories, err := db.Stories(ctx, news.AllTopic, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range stories {
			var items []string
			for _, it := range s.Items {
				items = append(items, it.Source+"/"+it.GUID)
			}
			slices.Sort(items)
			out = append(out, strings.Join(items, " "))
		}
		slices.Sort(out)
		return out
	}
	run := func(name string, replicas int) []string {
		dsn := pgtest.Database(t, name)
		var aggs []*aggregator.Aggregator
		var first *postgres.DB
		for i := range replicas {
			db, err := postgres.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if first == nil {
				first = db
			}
			aggs = append(aggs, aggregator.New(db, aggregator.Fetcher(0, clock), aggregator.MustIndex(t), nil, nil, logger,
				aggregator.Options{Now: clock, Holder: fmt.Sprint("replica", i)}))
		}
		for i, src := range sources {
			if _, err := aggs[i%replicas].Poll(ctx, src); err != nil {
				t.Fatalf("%s: %v", src.Name, err)
			}
		}
		for _, a := range aggs { // each settles what is due, the second after catching up with the first
			if err := a.Settle(ctx, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		return partition(first)
	}
	one, two := run("decide-one", 1), run("decide-two", 2)
	if !slices.Equal(one, two) {
		t.Errorf("two replicas made %d stories, one process %d; they differ", len(two), len(one))
		for _, s := range one {
			if !slices.Contains(two, s) && strings.Contains(s, " ") {
				t.Logf("one only: %s", s)
			}
		}
		for _, s := range two {
			if !slices.Contains(one, s) && strings.Contains(s, " ") {
				t.Logf("two only: %s", s)
			}
		}
	}
}
