package aggregator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// fullStore is a store whose disk can fill up: every write fails then.
type fullStore struct {
	memStore
	full atomic.Bool
}

var errFull = errors.New("sqlite /state/tributary.db: save poll up: database or disk is full")

func (s *fullStore) SavePoll(ctx context.Context, p *store.Poll) error {
	if s.full.Load() {
		return errFull
	}
	return s.memStore.SavePoll(ctx, p)
}

// TestFullDiskIsVisible: polls the store cannot take count as failures
// (metrics hear them), readiness says why, the next scheduled poll backs
// off though nothing could be recorded, and all clears once the store
// takes writes again.
func TestFullDiskIsVisible(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<rss version="2.0"><channel><title>t</title><item><guid>`+
			strings.Repeat("x", int(n.Add(1)))+`</guid><title>News</title></item></channel></rss>`)
	}))
	defer srv.Close()
	db := &fullStore{memStore: memStore{states: map[string]news.FetchState{}}}
	var mu sync.Mutex
	var heard []Result
	now := time.Now()
	clock := func() time.Time { return now }
	a := New(db, Fetcher(0, clock), MustIndex(t), nil, nil, quietLogger(), Options{Now: clock,
		OnPoll: func(r Result) { mu.Lock(); heard = append(heard, r); mu.Unlock() }})
	src := news.Source{Name: "up", URL: srv.URL, AllowPrivate: true}
	ctx := context.Background()

	if res, err := a.PollScheduled(ctx, src); err != nil || res.Outcome != OutcomeChanged || a.StoreHealth() != nil {
		t.Fatalf("healthy poll: %+v, %v, health %v", res, err, a.StoreHealth())
	}
	db.full.Store(true)
	res, err := a.PollScheduled(ctx, src)
	if err == nil || res.Outcome != OutcomeError || !strings.Contains(res.Err.Error(), "up: store: ") {
		t.Errorf("poll on a full disk: %+v, %v; want a store failure", res, err)
	}
	if h := a.StoreHealth(); h == nil || !strings.Contains(h.Error(), "database or disk is full") {
		t.Errorf("store health = %v, want the full disk", h)
	}
	mu.Lock()
	if len(heard) != 2 || heard[1].Outcome != OutcomeError {
		t.Errorf("metrics heard %+v, want the failure too", heard)
	}
	mu.Unlock()
	if res, _ := a.PollScheduled(ctx, src); res.Outcome != OutcomeWaiting {
		t.Errorf("next scheduled poll = %+v, want it backing off", res)
	}
	if st, _ := a.states.get("up"); st.Failures != 1 || !st.NotBefore.After(now) {
		t.Errorf("held state %+v, want one failure and a backoff", st)
	}

	db.full.Store(false)
	now = now.Add(time.Hour) // the backoff has passed
	if res, err := a.PollScheduled(ctx, src); err != nil || res.Outcome != OutcomeChanged {
		t.Fatalf("poll once the disk has room: %+v, %v", res, err)
	}
	if h := a.StoreHealth(); h != nil {
		t.Errorf("store health after recovery = %v", h)
	}
	if st, _ := db.FetchState(ctx, "up"); st.Failures != 0 || st.LastError != "" || db.stored() != 2 {
		t.Errorf("after recovery: %+v, %d items stored", st, db.stored())
	}
}
