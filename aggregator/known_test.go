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

	"tributary/news"
	"tributary/store"
)

// askingStore records which GUIDs polls ask the store about.
type askingStore struct {
	fullStore
	mu    sync.Mutex
	asked [][]string
}

func (s *askingStore) KnownItems(ctx context.Context, source string, guids []string) (map[string]store.Known, error) {
	s.mu.Lock()
	s.asked = append(s.asked, guids)
	s.mu.Unlock()
	return s.fullStore.KnownItems(ctx, source, guids)
}

// TestKnownEntriesSpareTheStore: a poll asks the store only about entries
// it does not remember stored unchanged: all of them the first time, none
// when nothing changed, the edited and the new one after that; a poll the
// store could not take is remembered as nothing.
func TestKnownEntriesSpareTheStore(t *testing.T) {
	var mu sync.Mutex
	titles := []string{"one", "two", "three"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>t</title>`)
		for i, title := range titles {
			fmt.Fprintf(&b, "<item><guid>g%d</guid><title>%s</title></item>", i, title)
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	}))
	defer srv.Close()
	db := &askingStore{fullStore: fullStore{memStore: memStore{states: map[string]news.FetchState{}}}}
	a := New(db, Fetcher(0, nil), MustIndex(t), nil, nil, quietLogger(), Options{})
	src := news.Source{Name: "up", URL: srv.URL}
	poll := func(want string) Result {
		t.Helper()
		db.mu.Lock()
		db.asked = nil
		db.mu.Unlock()
		res, _ := a.Poll(context.Background(), src)
		db.mu.Lock()
		defer db.mu.Unlock()
		if got := fmt.Sprint(db.asked); got != want {
			t.Errorf("asked the store %s, want %s", got, want)
		}
		return res
	}
	if res := poll("[[g0 g1 g2]]"); res.New != 3 {
		t.Errorf("first poll: %+v", res)
	}
	if res := poll("[]"); res.Unchanged != 3 || res.New != 0 {
		t.Errorf("unchanged poll: %+v", res)
	}
	mu.Lock()
	titles = []string{"one", "two, edited", "three", "four"}
	mu.Unlock()
	db.full.Store(true) // this poll's items cannot be stored
	poll("[[g1 g3]]")
	db.full.Store(false)
	// memStore keeps no items: to it the edit is new as well.
	if res := poll("[[g1 g3]]"); res.New != 2 || res.Unchanged != 2 {
		t.Errorf("after the failed poll: %+v; the edit and the new entry are asked about again", res)
	}
	if res := poll("[]"); res.Unchanged != 4 {
		t.Errorf("once stored: %+v", res)
	}
}
