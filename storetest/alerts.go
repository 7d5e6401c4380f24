package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// testAlerts: a story is announced once, when its topic holds it from
// enough outlets, and once more when another outlet joins (with
// Updates); the outbox hands out what is due, remembers failures and
// deliveries, and a replayed poll adds nothing.
func testAlerts(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "alerts")
	rule := store.AlertRule{Topic: "world", MinSources: 2, Updates: true, Targets: []string{"https://hook.example/a", "https://ntfy.example/t"}}
	n := 0
	poll := func(source string, at time.Duration) *store.Poll {
		n++
		p := &store.Poll{Source: source, At: t0.Add(at), Alerts: []store.AlertRule{rule},
			New: []news.Item{item(source, fmt.Sprint("g", n), "s1", at, "world")}}
		save(t, s, p)
		return p
	}
	count := func() map[string]int {
		due, err := s.DueAlerts(ctx, t0.Add(time.Hour), 100)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, a := range due {
			out[a.Kind]++
			if a.Story != "s1" || a.Topic != "world" {
				t.Errorf("alert %+v", a)
			}
		}
		return out
	}
	poll("a", time.Minute)
	if got := count(); len(got) != 0 {
		t.Fatalf("one outlet: %v, want no alert", got)
	}
	again := poll("b", 2*time.Minute)
	if got := count(); got["new"] != 2 || got["update"] != 0 {
		t.Fatalf("two outlets: %v, want one new alert per target", got)
	}
	save(t, s, again) // replayed: nothing more
	poll("b", 3*time.Minute)
	if got := count(); got["new"] != 2 || got["update"] != 0 {
		t.Fatalf("the same outlet again: %v", got)
	}
	poll("c", 4*time.Minute)
	poll("d", 5*time.Minute)
	if got := count(); got["new"] != 2 || got["update"] != 2 {
		t.Fatalf("more outlets: %v, want one update per target, once", got)
	}
	due, _ := s.DueAlerts(ctx, t0.Add(time.Hour), 100)
	if err := s.AlertFailed(ctx, due[0].ID, "503 from the hook", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.AlertDelivered(ctx, due[1].ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := count(); got["new"]+got["update"] != 2 {
		t.Errorf("after a failure and a delivery: %v due, want 2", got)
	}
	later, _ := s.DueAlerts(ctx, t0.Add(3*time.Hour), 100)
	if len(later) != 3 || later[0].Attempts != 1 || later[0].LastError != "503 from the hook" {
		t.Errorf("retried later: %+v", later)
	}
	if o, err := s.Outbox(ctx); err != nil || o.Pending != 3 || o.Failing != 1 || o.Delivered != 1 {
		t.Errorf("outbox %+v, %v", o, err)
	}
}

// testSetContent: an extracted article replaces the item's content, but
// not once the item has changed (another hash) since it was read.
func testSetContent(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "content")
	it := item("a", "1", "s1", 0)
	p := &store.Poll{Source: "a", New: []news.Item{it}}
	save(t, s, p)
	id := p.New[0].ID
	if err := s.SetContent(ctx, id, it.Hash, "<p>the article</p>"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetContent(ctx, id, "an older hash", "<p>stale</p>"); err != nil {
		t.Fatal(err)
	}
	items, err := s.StoryItems(ctx, "s1")
	if err != nil || len(items) != 1 || items[0].Content != "<p>the article</p>" {
		t.Errorf("content %+v, %v", items, err)
	}
}
