package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tributary/news"
	"tributary/store"
)

// testFetchState: every field of a source's fetch state is kept, a
// failure's state replaces a success's, and an unknown source has none.
func testFetchState(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "state")
	if st, err := s.FetchState(ctx, "nobody"); err != nil || !cmp.Equal(st, news.FetchState{}) {
		t.Errorf("unknown source: %+v, %v", st, err)
	}
	full := news.FetchState{ETag: `W/"x"`, LastModified: "Fri, 27 Nov 2026 08:00:00 GMT", LastPoll: t0.Add(time.Minute),
		LastSuccess: t0, LastError: "a: fetch: 503 Service Unavailable", Failures: 3, NotBefore: t0.Add(time.Hour),
		MovedFrom: "https://a.example/old", MovedTo: "https://a.example/new", Retired: "https://a.example/gone"}
	save(t, s, &store.Poll{Source: "a", URL: "https://a.example/old", State: full})
	if got, _ := s.FetchState(ctx, "a"); !cmp.Equal(full, got) {
		t.Errorf("state (-want +got):\n%s", cmp.Diff(full, got))
	}
	ok := news.FetchState{ETag: `"y"`, LastPoll: t0.Add(2 * time.Minute), LastSuccess: t0.Add(2 * time.Minute)}
	save(t, s, &store.Poll{Source: "a", URL: "https://a.example/old", State: ok})
	if got, _ := s.FetchState(ctx, "a"); !cmp.Equal(ok, got) {
		t.Errorf("state after success (-want +got):\n%s", cmp.Diff(ok, got))
	}
}

// testSources: the configured sources are recorded with their URL and
// priority; one no longer configured keeps its record and its items.
func testSources(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "sources")
	if err := s.SyncSources(ctx, []news.Source{{Name: "a", URL: "https://a.example/1", Priority: 5}, {Name: "b", URL: "https://b.example/"}}); err != nil {
		t.Fatal(err)
	}
	save(t, s, &store.Poll{Source: "a", State: news.FetchState{LastPoll: t0}, New: []news.Item{item("a", "1", "s1", 0), item("a", "2", "s2", 0)}})
	if err := s.SyncSources(ctx, []news.Source{{Name: "a", URL: "https://a.example/2", Priority: 7}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []news.SourceRecord{
		{Name: "a", URL: "https://a.example/2", Priority: 7, State: news.FetchState{LastPoll: t0}, Items: 2},
		{Name: "b", URL: "https://b.example/"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if prio, err := s.Priorities(ctx); err != nil || prio["a"] != 7 || prio["b"] != 0 {
		t.Errorf("priorities = %v, %v", prio, err)
	}
}

// testCanonicalURLStories: items of several sources in one story are
// found by canonical URL, GUID or headline, newest first, and listed
// representative first.
func testCanonicalURLStories(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "canonical")
	if err := s.SyncSources(ctx, []news.Source{{Name: "a"}, {Name: "b", Priority: 3}}); err != nil {
		t.Fatal(err)
	}
	a := item("a", "1", "s1", 0)
	a.Link, a.URL = "https://wire.example/s?utm_source=a", "https://wire.example/s"
	b := item("b", "7", "s1", time.Minute)
	b.Link, b.URL, b.Title = "http://WIRE.example/s/", "https://wire.example/s", "Glacier collapse"
	save(t, s, &store.Poll{Source: "a", New: []news.Item{a}})
	save(t, s, &store.Poll{Source: "b", New: []news.Item{b}})
	for _, q := range []struct{ arg, canonical string }{
		{"https://wire.example/s?utm_source=x", "https://wire.example/s"},
		{"7", "7"},
		{"GLACIER COLLAPSE", "GLACIER COLLAPSE"},
	} {
		found, err := s.FindItems(ctx, q.arg, q.canonical)
		if err != nil || len(found) == 0 || found[0].Source != "b" {
			t.Errorf("FindItems(%q) = %+v, %v; want b's copy first (newest)", q.arg, found, err)
		}
	}
	members, err := s.StoryItems(ctx, "s1")
	if err != nil || len(members) != 2 || members[0].Source != "b" || members[1].Source != "a" {
		t.Errorf("story members = %+v, %v; want b (priority 3) then a", members, err)
	}
	if none, err := s.FindItems(ctx, "https://nowhere.example/", "https://nowhere.example"); err != nil || len(none) != 0 {
		t.Errorf("FindItems of nothing = %+v, %v", none, err)
	}
}

// testRecentItems: the window holds the items published, or first
// fetched, since a time, oldest first by published time.
func testRecentItems(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "recent")
	archived := item("a", "archived", "s3", -96*time.Hour)
	archived.Fetched = t0
	archived.Content = "<article>the article</article>"
	fresh := item("a", "new", "s2", 0)
	save(t, s, &store.Poll{Source: "a", New: []news.Item{fresh, item("a", "old", "s1", -72*time.Hour), archived}})
	// What the dedupe index reads of an item.
	indexed := func(it *news.Item) string {
		return fmt.Sprintf("%s/%s/%s %s %q %q %q published %s fetched %s", it.Source, it.GUID, it.Story, it.URL, it.Title, it.Summary,
			it.Content, it.Published.UTC().Format(time.RFC3339Nano), it.Fetched.UTC().Format(time.RFC3339Nano))
	}
	var got []string
	if err := s.RecentItems(ctx, t0.Add(-48*time.Hour), 2048, func(it *news.Item) { got = append(got, indexed(it)) }); err != nil {
		t.Fatal(err)
	}
	// In the order they were stored (an outlet's templates are read from
	// its earlier items), the old one left out.
	if diff := cmp.Diff([]string{indexed(&fresh), indexed(&archived)}, got); diff != "" {
		t.Errorf("recent (-want +got):\n%s", diff)
	}
	// The summary and the content as far as the index reads them.
	if err := s.RecentItems(ctx, t0.Add(-48*time.Hour), 3, func(it *news.Item) {
		if it.Summary != "<p>" || (it.GUID == "archived" && it.Content != "<ar") {
			t.Errorf("%s: summary %q, content %q, want their first 3 bytes", it.GUID, it.Summary, it.Content)
		}
	}); err != nil {
		t.Fatal(err)
	}
}

// testRefile: new filings replace the old at once with the rules'
// fingerprint, but for an item edited since it was read.
func testRefile(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "refile")
	var items []news.Item
	for i := range 5 {
		items = append(items, item("a", fmt.Sprint(i), fmt.Sprint("s", i), time.Duration(i)*time.Minute, "old"))
	}
	save(t, s, &store.Poll{Source: "a", New: items})
	if fp, err := s.RulesFingerprint(ctx); err != nil || fp != "" {
		t.Errorf("fingerprint before any refile = %q, %v", fp, err)
	}
	var filings []store.Filing
	err := s.EachItem(ctx, func(it *news.Item) error {
		var topics []string
		if it.GUID != "1" && it.GUID != "3" {
			topics = []string{"even"}
		}
		filings = append(filings, store.Filing{ID: it.ID, Hash: it.Hash, Topics: topics})
		return nil
	})
	if err != nil || len(filings) != 5 {
		t.Fatalf("EachItem: %d items, %v", len(filings), err)
	}
	// Item 4 is edited by a poll, filed by it, after the refile read it.
	edited := items[4]
	edited.ID, edited.Hash, edited.Topics = filings[4].ID, "h-edited", []string{"fresh"}
	save(t, s, &store.Poll{Source: "a", Updated: []news.Item{edited}})
	if err := s.Refile(ctx, "v1", filings); err != nil {
		t.Fatal(err)
	}
	if fp, _ := s.RulesFingerprint(ctx); fp != "v1" {
		t.Errorf("fingerprint = %q, want v1", fp)
	}
	if got := keys(t, s, "even", 10); got != "[s2 s0]" {
		t.Errorf("even = %s, want [s2 s0] (s4 was edited since)", got)
	}
	if got := keys(t, s, "fresh", 10); got != "[s4]" {
		t.Errorf("fresh = %s, want the edit's own filing [s4]", got)
	}
	if got := keys(t, s, "old", 10); got != "[]" {
		t.Errorf("old = %s, want it emptied", got)
	}
}

// testRetentionKeepsPublished: old items go, but never those of a story
// among a topic's newest keep, nor the catch-all's; empty stories go too.
func testRetentionKeepsPublished(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "retention")
	var all []news.Item
	topics := []string{"a", "b", "c"}
	for i := range 30 { // 30 old stories, one topic each of three
		all = append(all, item("s", fmt.Sprint("old", i), fmt.Sprint("o", i), -time.Duration(40*24+i)*time.Hour, topics[i%3]))
	}
	for i := range 5 { // and 5 new ones in topic a
		all = append(all, item("s", fmt.Sprint("new", i), fmt.Sprint("n", i), time.Duration(i)*time.Minute, "a"))
	}
	save(t, s, &store.Poll{Source: "s", New: all})
	// Feeds of 6 entries: b and c keep their 6 newest old stories each; a
	// its 5 new ones and its newest old one; the catch-all is within those.
	items, stories, err := s.Prune(ctx, t0.Add(-30*24*time.Hour), 6)
	if err != nil {
		t.Fatal(err)
	}
	if items != 17 || stories != 17 {
		t.Errorf("pruned %d items and %d stories, want 17 and 17", items, stories)
	}
	counts, _ := s.TopicCounts(ctx)
	if counts[news.AllTopic] != 18 || counts["a"] != 6 || counts["b"] != 6 || counts["c"] != 6 {
		t.Errorf("counts after prune = %v", counts)
	}
	for _, topic := range []string{news.AllTopic, "a", "b", "c"} {
		st, err := s.Stories(ctx, topic, 6)
		if err != nil || len(st) != 6 {
			t.Errorf("feed %s after prune: %d stories, %v", topic, len(st), err)
		}
		for _, story := range st {
			if len(story.Items) == 0 {
				t.Errorf("feed %s: story %s has no items left", topic, story.Key)
			}
		}
	}
	if items, _, _ := s.Prune(ctx, t0.Add(-30*24*time.Hour), 6); items != 0 {
		t.Errorf("a second prune deleted %d items", items)
	}
}

// testItemTopics: every item's topics, by its id, sorted; an item of no
// topic is absent.
func testItemTopics(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "itemtopics")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{item("a", "1", "s1", 0, "z", "b"), item("a", "2", "s2", time.Minute)}})
	got, err := s.ItemTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	err = s.EachItem(ctx, func(it *news.Item) error { ids = append(ids, it.ID); return nil })
	if err != nil || len(ids) != 2 {
		t.Fatalf("items %v, %v", ids, err)
	}
	if diff := cmp.Diff(map[int64][]string{ids[0]: {"b", "z"}}, got); diff != "" {
		t.Errorf("item topics (-want +got):\n%s", diff)
	}
}
