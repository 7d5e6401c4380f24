package postgres

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/internal/pgtest"
	"tributary/news"
	"tributary/store"
)

// TestLeases: one replica at a time holds a source; a round one replica
// polled is not polled again; a lease left behind by a dead replica is
// taken over once it expires; of many claiming at once, one wins.
func TestLeases(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.Database(t, "leases"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var last store.Claim
	claim := func(holder string, due, now time.Time) (string, bool) {
		t.Helper()
		c, err := db.Claim(ctx, "src", holder, due, now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		last = c
		return c.LastBy, c.Claimed
	}
	if _, ok := claim("a", t0, t0); !ok {
		t.Fatal("a first claim failed")
	}
	if _, ok := claim("b", t0, t0.Add(time.Second)); ok {
		t.Fatal("b took a source a holds")
	}
	// a polls and stores the round, then lets go.
	if err := db.SavePoll(ctx, &store.Poll{Source: "src", State: news.FetchState{LastPoll: t0.Add(2 * time.Second)}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Release(ctx, "src", "a"); err != nil {
		t.Fatal(err)
	}
	if _, ok := claim("b", t0, t0.Add(20*time.Second)); ok {
		t.Error("b polled again a round a polled")
	}
	by, ok := claim("b", t0.Add(time.Minute), t0.Add(time.Minute))
	if !ok || by != "a" {
		t.Fatalf("next round: claimed %v, last polled by %q", ok, by)
	}
	// b dies holding it: a takes over once the lease has expired.
	if _, ok := claim("a", t0.Add(2*time.Minute), t0.Add(90*time.Second)); ok {
		t.Error("a took b's running lease")
	}
	if _, ok := claim("a", t0.Add(2*time.Minute), t0.Add(2*time.Minute+time.Second)); !ok || !last.TookOver {
		t.Errorf("a did not take over b's expired lease: %+v", last)
	}
	if _, ok := claim("a", t0.Add(3*time.Minute), t0.Add(3*time.Minute)); !ok || last.TookOver {
		t.Errorf("a's own lease again is no takeover: %+v", last)
	}
	// Many at once: one wins.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c, err := db.Claim(ctx, "race", string(rune('a'+i)), t0, t0, time.Minute)
			if err != nil {
				t.Error(err)
			}
			if c.Claimed {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d replicas claimed one source at once", wins.Load())
	}
}
