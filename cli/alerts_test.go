package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/internal/fixture"
)

// TestAlertsOnePerStory: a topic that notifies a webhook announces a
// story once, however many outlets carry it, and never its sources'
// first documents (their backlog).
func TestAlertsOnePerStory(t *testing.T) {
	now := fixture.Now()
	var round atomic.Int32
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		items := `<item><guid>old</guid><title>Old story of ` + r.URL.Path + `</title><link>https://x.example` + r.URL.Path + `/old</link></item>`
		if round.Load() > 0 {
			items += `<item><guid>flood</guid><title>River Severn bursts its banks in Shrewsbury</title><link>https://wire.example/flood</link></item>`
		}
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title><link>https://x.example/</link><description>d</description>%s</channel></rss>`, r.URL.Path, items)
	}))
	defer feeds.Close()
	var mu sync.Mutex
	var got int
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got++
		mu.Unlock()
	}))
	defer hook.Close()
	extra := fmt.Sprintf("  - {name: one, url: \"%[1]s/one\", allow_private: true}\n  - {name: two, url: \"%[1]s/two\", allow_private: true}\n  - {name: three, url: \"%[1]s/three\", allow_private: true}\n", feeds.URL)
	cfg := writeConfig(t, t.TempDir(), fixture.Upstream(t, now).URL, extra)
	appendTopic(t, cfg, fmt.Sprintf("  - {name: floods, any: [flood, floods, banks], notify: [{webhook: %q}]}\n", hook.URL))
	r := startDaemon(t, cfg, 6, now)
	defer r.stop(t)
	round.Store(1)
	ctx := context.Background()
	for _, src := range buildSources(r.d.cfg.Load())[3:] {
		if res, err := r.d.agg.Poll(ctx, src); err != nil || res.New != 1 {
			t.Fatalf("%s: %+v, %v", src.Name, res, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := got
		mu.Unlock()
		if n >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // another delivery round: nothing more
	mu.Lock()
	defer mu.Unlock()
	if got != 1 {
		t.Errorf("%d alerts for one story three outlets carry, want 1", got)
	}
	if o, err := r.d.store.Outbox(ctx); err != nil || o.Delivered != 1 || o.Pending != 0 {
		t.Errorf("outbox %+v, %v", o, err)
	}
}

// appendTopic adds a topic, written as a YAML list entry, to the config
// writeConfig wrote (its topics: list is last).
func appendTopic(t *testing.T, cfg, entry string) {
	t.Helper()
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(entry); err != nil {
		t.Fatal(err)
	}
}
