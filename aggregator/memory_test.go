package aggregator

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// TestParseBudget: however many polls finish fetching at once, the
// documents being parsed and stored together never weigh more than the
// budget, and every poll gets its turn.
func TestParseBudget(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(`<rss version="2.0"><channel><title>t</title>`)
	for i := 0; doc.Len() < 900<<10; i++ {
		fmt.Fprintf(&doc, "<item><guid>%d</guid><title>Story %d</title><description>%s</description></item>", i, i, strings.Repeat("text ", 100))
	}
	doc.WriteString(`</channel></rss>`)
	body := doc.String()
	const polls = 16
	var arrived sync.WaitGroup // every request answered together
	arrived.Add(polls)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		arrived.Wait()
		io.WriteString(w, body)
	}))
	defer srv.Close()
	db := &slowStore{memStore{states: map[string]news.FetchState{}}}
	a := New(db, Fetcher(1<<20, nil), MustIndex(t), nil, nil, quietLogger(), Options{MaxItems: 20})
	var wg sync.WaitGroup
	for i := range polls {
		wg.Go(func() {
			res, err := a.Poll(context.Background(), news.Source{Name: fmt.Sprint("s", i), URL: srv.URL, AllowPrivate: true})
			if err != nil || res.Outcome != OutcomeChanged {
				t.Errorf("poll %d: %+v, %v", i, res, err)
			}
		})
	}
	wg.Wait()
	if peak := a.parsing.peak(); peak == 0 || peak > parseBudgetFactor<<20 {
		t.Errorf("documents parsed at once weighed %d bytes, want at most %d", peak, parseBudgetFactor<<20)
	}
}

// slowStore takes a moment to save a poll, as a disk does.
type slowStore struct{ memStore }

func (s *slowStore) SavePoll(ctx context.Context, p *store.Poll) error {
	time.Sleep(20 * time.Millisecond)
	return s.memStore.SavePoll(ctx, p)
}
