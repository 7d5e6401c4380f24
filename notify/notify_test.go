package notify_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/news"
	"tributary/notify"
	"tributary/sqlite"
	"tributary/store"
)

// receiver is a webhook endpoint that checks signatures and can be down.
type receiver struct {
	mu       sync.Mutex
	down     bool
	payloads []notify.Payload
	ids      []string // every attempt's delivery id, refused ones too
	badSig   int
	srv      *httptest.Server
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.ids = append(r.ids, req.Header.Get(notify.DeliveryHeader))
		if r.down {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		if req.Header.Get(notify.SignatureHeader) != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			r.badSig++
		}
		var p notify.Payload
		json.Unmarshal(body, &p)
		r.payloads = append(r.payloads, p)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func item(source, guid, story string, at time.Time) news.Item {
	return news.Item{Source: source, GUID: guid, Story: story, Link: "https://" + source + ".example/" + guid,
		URL: "https://" + source + ".example/" + guid, Title: source + " on " + story, Published: at, Updated: at, Fetched: at,
		Hash: guid, Topics: []string{"world"}}
}

// TestDelivery: alerts are sent once each, signed; a receiver that is down
// gets them later, after backoff; what was committed and not yet sent
// (the daemon killed between the two) is sent by the next deliverer; a
// topic that batches gets one digest per window.
func TestDelivery(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hook := newReceiver(t, "s3cret")
	digest := newReceiver(t, "")
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	now := t0
	clock := func() time.Time { return now }
	rules := []store.AlertRule{{Topic: "world", MinSources: 1, Targets: []string{hook.srv.URL}},
		{Topic: "digest", MinSources: 1, Targets: []string{digest.srv.URL}}}
	save := func(source, guid, story string, topic string) {
		it := item(source, guid, story, now)
		it.Topics = []string{topic}
		if err := db.SavePoll(ctx, &store.Poll{Source: source, At: now, Alerts: rules, New: []news.Item{it}}); err != nil {
			t.Fatal(err)
		}
	}
	// Three outlets carry one story: one alert.
	save("a", "1", "s1", "world")
	save("b", "2", "s1", "world")
	save("c", "3", "s1", "world")
	// The daemon dies here: committed, not delivered. A new one starts.
	hook.mu.Lock()
	hook.down = true
	hook.mu.Unlock()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	d := notify.New(db, logger, notify.Options{Now: clock, Targets: map[string]notify.Target{
		hook.srv.URL:   {URL: hook.srv.URL, Secret: "s3cret"},
		digest.srv.URL: {URL: digest.srv.URL},
	}, Batch: map[string]time.Duration{"digest": 10 * time.Minute}})
	if err := d.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if o, _ := db.Outbox(ctx); o.Pending != 1 || o.Failing != 1 {
		t.Fatalf("receiver down: outbox %+v, want one alert failing", o)
	}
	hook.mu.Lock()
	hook.down = false
	hook.mu.Unlock()
	now = now.Add(10 * time.Second)
	d.Once(ctx) // backing off: not yet
	if len(hook.payloads) != 0 {
		t.Fatal("retried before its backoff")
	}
	now = now.Add(time.Minute)
	d.Once(ctx)
	d.Once(ctx) // nothing twice
	hook.mu.Lock()
	if len(hook.payloads) != 1 || hook.badSig != 0 {
		t.Fatalf("%d alerts, %d bad signatures; want one signed alert", len(hook.payloads), hook.badSig)
	}
	p := hook.payloads[0]
	hook.mu.Unlock()
	if p.Topic != "world" || p.Story.Story != "s1" || p.Kind != "new" || len(p.Outlets) != 3 || p.Title == "" {
		t.Errorf("payload %+v", p)
	}
	// The refused attempt and the retry carry one delivery id, in the
	// header and the body: a receiver that handled the first can drop
	// the second.
	if len(hook.ids) != 2 || hook.ids[0] == "" || hook.ids[0] != hook.ids[1] || p.Delivery != hook.ids[0] {
		t.Errorf("delivery ids %q, body %q: want one id on both attempts", hook.ids, p.Delivery)
	}
	// A batching topic: one digest per window.
	save("a", "4", "s2", "digest")
	save("b", "5", "s3", "digest")
	d.Once(ctx)
	if len(digest.payloads) != 0 {
		t.Fatal("a digest before its window closed")
	}
	now = now.Add(11 * time.Minute)
	d.Once(ctx)
	d.Once(ctx)
	if len(digest.payloads) != 1 || len(digest.payloads[0].Stories) != 2 {
		t.Fatalf("digests %+v, want one of two stories", digest.payloads)
	}
	if dp := digest.payloads[0]; dp.Delivery == "" || dp.Delivery != digest.ids[0] || dp.Stories[0].Delivery == "" ||
		dp.Stories[0].Delivery == dp.Stories[1].Delivery || dp.Stories[0].Delivery == p.Delivery {
		t.Errorf("digest delivery ids: %q (header %q), stories %q %q", dp.Delivery, digest.ids, dp.Stories[0].Delivery, dp.Stories[1].Delivery)
	}
	if o, _ := db.Outbox(ctx); o.Pending != 0 || o.Delivered != 3 {
		t.Errorf("outbox %+v", o)
	}
}

// TestNtfy: an ntfy target gets the headline and its outlet count, the
// topic as its title and the story's link to click.
func TestNtfy(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	var title, click, body string
	ntfy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		title, click, body = r.Header.Get("Title"), r.Header.Get("Click"), string(b)
		mu.Unlock()
	}))
	defer ntfy.Close()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	rules := []store.AlertRule{{Topic: "world", MinSources: 1, Targets: []string{ntfy.URL + "/mytopic"}}}
	if err := db.SavePoll(ctx, &store.Poll{Source: "a", At: now, Alerts: rules, New: []news.Item{item("a", "1", "s1", now)}}); err != nil {
		t.Fatal(err)
	}
	d := notify.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), notify.Options{Now: func() time.Time { return now },
		Targets: map[string]notify.Target{ntfy.URL + "/mytopic": {URL: ntfy.URL + "/mytopic", Ntfy: true}}})
	if err := d.Once(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if title != "tributary: world" || click != "https://a.example/1" || body != "a on s1 (1 outlet)" {
		t.Errorf("ntfy got title %q click %q body %q", title, click, body)
	}
}

// TestTargetsSideBySide: a slow target delays only its own alerts — a
// fast one is served while the slow one still holds its request (they
// once went one at a time, a slow first target holding back the rest) —
// and a failing target's URL, whose path is its secret, shows in no log
// and no recorded error.
func TestTargetsSideBySide(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fastSeen := make(chan struct{})
	var once sync.Once
	var slowSawFast atomic.Bool
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-fastSeen:
			slowSawFast.Store(true)
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(fastSeen) })
	}))
	defer fast.Close()
	secretURL := fast.URL + "/hook-s3cret-path-77?token=t0k3n-88"
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer broken.Close()
	brokenURL := broken.URL + "/hook-s3cret-path-77?token=t0k3n-88"
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	rules := []store.AlertRule{{Topic: "world", MinSources: 1, Targets: []string{slow.URL, secretURL, brokenURL}}}
	if err := db.SavePoll(ctx, &store.Poll{Source: "a", At: now, Alerts: rules, New: []news.Item{item("a", "1", "s1", now)}}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	d := notify.New(db, slog.New(slog.NewTextHandler(&logs, nil)), notify.Options{Now: func() time.Time { return now },
		Targets: map[string]notify.Target{slow.URL: {URL: slow.URL}, secretURL: {URL: secretURL}, brokenURL: {URL: brokenURL}}})
	if err := d.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if !slowSawFast.Load() {
		t.Error("the fast target waited for the slow one")
	}
	rows, err := db.DueAlerts(ctx, now.Add(24*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Attempts != 1 {
		t.Fatalf("outbox after one round: %+v, want the broken target's alert waiting", rows)
	}
	seen := logs.String() + rows[0].LastError
	if !strings.Contains(logs.String(), "alert not delivered") || !strings.Contains(seen, "500") {
		t.Fatalf("the failure was not logged and recorded: %s", seen)
	}
	for _, secret := range []string{"hook-s3cret-path-77", "t0k3n-88"} {
		if strings.Contains(seen, secret) {
			t.Errorf("the target's secret %q shows: %s", secret, seen)
		}
	}
}

// TestRateLimit: a target gets at most PerMinute requests a minute: of
// five alerts due at once with three requests left, two go alone and the
// rest in one digest; with the minute spent, the next alert waits for
// the next minute.
func TestRateLimit(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hook := newReceiver(t, "")
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	rules := []store.AlertRule{{Topic: "world", MinSources: 1, Targets: []string{hook.srv.URL}}}
	for i := range 5 {
		it := item("a", fmt.Sprint(i), fmt.Sprint("s", i), now)
		if err := db.SavePoll(ctx, &store.Poll{Source: "a", At: now, Alerts: rules, New: []news.Item{it}}); err != nil {
			t.Fatal(err)
		}
	}
	d := notify.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), notify.Options{Now: func() time.Time { return now },
		PerMinute: 3, Targets: map[string]notify.Target{hook.srv.URL: {URL: hook.srv.URL}}})
	if err := d.Once(ctx); err != nil {
		t.Fatal(err)
	}
	hook.mu.Lock()
	got := len(hook.payloads)
	var stories []int
	for _, p := range hook.payloads {
		stories = append(stories, max(1, len(p.Stories)))
	}
	hook.mu.Unlock()
	if got != 3 || fmt.Sprint(stories) != "[1 1 3]" {
		t.Fatalf("%d requests of %v stories; want 3: two alone, then a digest of 3", got, stories)
	}
	if o, _ := db.Outbox(ctx); o.Pending != 0 || o.Delivered != 5 {
		t.Errorf("outbox %+v", o)
	}
	it := item("a", "late", "s-late", now)
	if err := db.SavePoll(ctx, &store.Poll{Source: "a", At: now, Alerts: rules, New: []news.Item{it}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(30 * time.Second)
	d.Once(ctx)
	if o, _ := db.Outbox(ctx); o.Pending != 1 || o.Failing != 0 {
		t.Errorf("the minute spent: outbox %+v, want the alert waiting (not failed)", o)
	}
	now = now.Add(31 * time.Second)
	d.Once(ctx)
	if o, _ := db.Outbox(ctx); o.Pending != 0 || o.Delivered != 6 {
		t.Errorf("the next minute: outbox %+v", o)
	}
}
