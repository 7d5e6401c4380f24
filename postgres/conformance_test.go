package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"tributary/aggregator"
	"tributary/internal/pgtest"
	"tributary/postgres"
	"tributary/publish"
	"tributary/storetest"
)

// The store satisfies every interface the program declares for it.
var (
	_ aggregator.Store          = (*postgres.DB)(nil)
	_ aggregator.IndexStore     = (*postgres.DB)(nil)
	_ aggregator.RefileStore    = (*postgres.DB)(nil)
	_ aggregator.RetentionStore = (*postgres.DB)(nil)
	_ aggregator.ExplainStore   = (*postgres.DB)(nil)
	_ publish.Store             = (*postgres.DB)(nil)
	_ storetest.Store           = (*postgres.DB)(nil)
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

var _ aggregator.Leaser = (*postgres.DB)(nil)
var _ aggregator.Serializer = (*postgres.DB)(nil)

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
