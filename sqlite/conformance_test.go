package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"tributary/sqlite"
	"tributary/store"
	"tributary/storetest"
)

// The store keeps the contract, checks its file and knows its size.
var (
	_ store.Store   = (*sqlite.DB)(nil)
	_ store.Checker = (*sqlite.DB)(nil)
	_ store.Sizer   = (*sqlite.DB)(nil)
)

// TestConformance runs the store contract's suite. A store's name is a
// state directory of the subtest's own, so opening it again reopens it.
func TestConformance(t *testing.T) {
	root := t.TempDir()
	storetest.Run(t, func(t *testing.T, name string) storetest.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(root, filepath.FromSlash(t.Name()), name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkStorePoll: polls of new items and re-polls of stored ones
// (storetest.BenchPoll; the postgres package runs the same).
func BenchmarkStorePoll(b *testing.B) {
	storetest.BenchPoll(b, func(b *testing.B) storetest.Store {
		db, err := sqlite.Open(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}

// BenchmarkStoreGrowth: the cost of a poll's writes as the store grows
// to 135,000 items (storetest.BenchGrowth).
func BenchmarkStoreGrowth(b *testing.B) {
	storetest.BenchGrowth(b, func(b *testing.B) storetest.Store {
		db, err := sqlite.Open(context.Background(), b.TempDir())
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
	storetest.BenchHot(b, func(b *testing.B) storetest.Store {
		db, err := sqlite.Open(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	})
}
