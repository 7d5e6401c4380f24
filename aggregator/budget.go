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

// parseBudget bounds the memory of the documents being parsed and stored:
// at most parsers of them at once (parsing takes a core, storing takes
// the one writer: more would only wait, holding their documents), and
// their sizes together at most size. A fetched document waits for it in
// its fetch slot (fetch.Admit), so documents waiting are bounded too.
type parseBudget struct {
	slots chan struct{}
	sem   *semaphore.Weighted
	size  int64

	mu         sync.Mutex
	inUse, max int64 // weight held now and at most, for tests
}

func newParseBudget(size int64, parsers int) *parseBudget {
	return &parseBudget{slots: make(chan struct{}, max(parsers, 1)), sem: semaphore.NewWeighted(size), size: size}
}

// acquire waits until a document of n bytes may be parsed; done gives its
// place back. It is a fetch.Admit.
func (b *parseBudget) acquire(ctx context.Context, n int) (done func(), err error) {
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	w := min(max(int64(n), 1), b.size)
	if err := b.sem.Acquire(ctx, w); err != nil {
		<-b.slots
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
		<-b.slots
	}, nil
}

// peak returns the most weight ever held at once.
func (b *parseBudget) peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.max
}
