package aggregator

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// parseBudgetFactor sizes the parse budget: documents of this many times
// the body cap may be parsed and stored at once. A parse costs up to about
// five times its document (TestParseMemory), so with the default 10 MiB
// cap some 200 MB at most, whatever fetch.concurrency is.
const parseBudgetFactor = 4

// parseBudget bounds the memory of concurrent parses: each document
// weighs its size, and waits while the others being parsed weigh too
// much. Fetching goes on meanwhile; only parsing waits.
type parseBudget struct {
	sem  *semaphore.Weighted
	size int64

	mu         sync.Mutex
	inUse, max int64 // weight held now and at most, for tests
}

func newParseBudget(size int64) *parseBudget {
	return &parseBudget{sem: semaphore.NewWeighted(size), size: size}
}

// acquire waits until a document of n bytes may be parsed; done gives its
// weight back.
func (b *parseBudget) acquire(ctx context.Context, n int) (done func(), err error) {
	w := min(max(int64(n), 1), b.size)
	if err := b.sem.Acquire(ctx, w); err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.inUse += w
	b.max = max(b.max, b.inUse)
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.inUse -= w
		b.mu.Unlock()
		b.sem.Release(w)
	}, nil
}

// peak returns the most weight ever held at once.
func (b *parseBudget) peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.max
}
