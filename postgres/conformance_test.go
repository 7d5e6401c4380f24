package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"tributary/internal/pgtest"
	"tributary/postgres"
	"tributary/store"
	"tributary/storetest"
)

// The store keeps the contract, and lets replicas share it.
var (
	_ store.Store    = (*postgres.DB)(nil)
	_ store.Leaser   = (*postgres.DB)(nil)
	_ store.Follower = (*postgres.DB)(nil)
	_ store.Leader   = (*postgres.DB)(nil)
)

// TestConformance runs the store contract's suite against a real
// PostgreSQL, each store a database of its own.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, name string) storetest.Store {
		db, err := postgres.Open(context.Background(), pgtest.Database(t, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkStorePoll: polls of new items and re-polls of stored ones
// (storetest.BenchPoll; the sqlite package runs the same), on PostgreSQL
// over loopback.
func BenchmarkStorePoll(b *testing.B) {
	n := 0
	storetest.BenchPoll(b, func(b *testing.B) storetest.Store {
		n++
		db, err := postgres.Open(context.Background(), pgtest.Database(b, fmt.Sprint("bench", n)))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkStoreGrowth: the cost of a poll's writes as the store grows
// to 135,000 items (storetest.BenchGrowth). Once a lookup planned from
// stale statistics scanned the items table at every poll: 0.16 ms an
// item over the first 15,000, 0.8 over the last.
func BenchmarkStoreGrowth(b *testing.B) {
	n := 0
	storetest.BenchGrowth(b, func(b *testing.B) storetest.Store {
		n++
		db, err := postgres.Open(context.Background(), pgtest.Database(b, fmt.Sprint("growth", n)))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkHotStories ranks the hot stories of a busy window
// (storetest.BenchHot).
func BenchmarkHotStories(b *testing.B) {
	n := 0
	storetest.BenchHot(b, func(b *testing.B) storetest.Store {
		n++
		db, err := postgres.Open(context.Background(), pgtest.Database(b, fmt.Sprint("growth", n)))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
