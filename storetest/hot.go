package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// testHotStories: the hot stories are ranked over every story of the
// window, not its newest few — a story fifteen outlets carried ten hours
// ago beats forty newer ones of two — by outlets halved for every
// quarter of the window; a story of fewer sources than asked, one
// begun before the window, one of another topic, one filed only in a
// private topic are not among them; each comes with its members.
func testHotStories(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "hot")
	now := t0.Add(24 * time.Hour)
	at := func(ago time.Duration) time.Duration { return 24*time.Hour - ago }
	for i := range 15 { // ten hours ago, fifteen outlets
		src := fmt.Sprint("o", i)
		save(t, s, &store.Poll{Source: src, New: []news.Item{item(src, "big", "big", at(10*time.Hour), "world")}})
	}
	for i := range 40 { // newer, two outlets each
		key := fmt.Sprint("pair", i)
		save(t, s, &store.Poll{Source: "a", New: []news.Item{item("a", key, key, at(time.Duration(i)*time.Minute), "world")}})
		save(t, s, &store.Poll{Source: "b", New: []news.Item{item("b", key, key, at(time.Duration(i)*time.Minute), "world")}})
	}
	save(t, s, &store.Poll{Source: "a", New: []news.Item{
		item("a", "solo", "solo", at(time.Minute), "world"),      // one outlet
		item("a", "gone", "gone", at(30*time.Hour), "world"),     // before the window
		item("a", "other", "other", at(time.Minute), "sport"),    // another topic
		item("a", "secret", "secret", at(time.Minute), "vault"),  // a private topic only
		item("b", "secret2", "secret", at(time.Minute), "vault"), // (its second outlet)
		item("a", "twice", "twice", at(2*time.Hour), "world"),    // one outlet twice
		item("a", "twice2", "twice", at(2*time.Hour), "world"),
	}})
	save(t, s, &store.Poll{Source: "b", New: []news.Item{item("b", "other2", "other", at(time.Minute), "sport")}})
	// A copy dated before the window joins a story begun in it: it counts.
	early := item("b", "early2", "early", at(30*time.Hour), "science")
	early.Fetched = now.Add(-time.Hour)
	save(t, s, &store.Poll{Source: "a", New: []news.Item{item("a", "early1", "early", at(2*time.Hour), "science")}})
	save(t, s, &store.Poll{Source: "b", New: []news.Item{early}})
	hot := func(topic string, private []string, limit int) []news.Story {
		t.Helper()
		stories, err := s.HotStories(ctx, topic, private, now, 24*time.Hour, 2, limit)
		if err != nil {
			t.Fatal(err)
		}
		return stories
	}
	got := hot("world", nil, 3)
	// big: 15 × 2^(-4·10/24) = 4.72; pair0: 2 × 2^0 = 2; pair1: 2 × 2^(-4/60/24) < 2.
	if len(got) != 3 || got[0].Key != "big" || got[1].Key != "pair0" || got[2].Key != "pair1" {
		t.Fatalf("hot world = %v, want big pair0 pair1", storyKeys(got))
	}
	if n := news.Outlets(&got[0]); n != 15 || len(got[0].Items) != 15 {
		t.Errorf("big comes with %d items of %d outlets, want 15", len(got[0].Items), n)
	}
	for _, st := range hot("world", nil, 100) {
		if k := st.Key; k == "solo" || k == "gone" || k == "twice" || k == "other" || k == "secret" {
			t.Errorf("world's hot stories hold %s", k)
		}
	}
	if got := hot("world", nil, 100); len(got) != 41 {
		t.Errorf("world: %d hot stories, want 41", len(got))
	}
	if got := storyKeys(hot("science", nil, 10)); len(got) != 1 || got[0] != "early" {
		t.Errorf("science: %v, want the story a copy dated before the window joined", got)
	}
	all := storyKeys(hot(news.AllTopic, nil, 100))
	public := storyKeys(hot(news.AllTopic, []string{"vault"}, 100))
	if !contains(all, "secret") || !contains(all, "other") || contains(public, "secret") || !contains(public, "other") {
		t.Errorf("catch-all: %v; without the private topic: %v", all, public)
	}
}

func storyKeys(stories []news.Story) []string {
	var out []string
	for _, s := range stories {
		out = append(out, s.Key)
	}
	return out
}

func contains(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
