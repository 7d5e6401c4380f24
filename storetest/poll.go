package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tributary/news"
	"tributary/store"
)

// testSavePollRoundTrip: a poll's state, items, stories and topics are
// read back as written, with their outlets; a story's representative is
// its highest-priority copy, its published time its first item's for
// good, and its update time the poll a copy joined it in; a replayed poll
// adds nothing, and everything survives a reopen.
func testSavePollRoundTrip(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "roundtrip")
	if err := s.SyncSources(ctx, []news.Source{{Name: "a", URL: "https://a.example/rss"}, {Name: "b", URL: "https://b.example/feed", Priority: 10}}); err != nil {
		t.Fatal(err)
	}
	st := news.FetchState{ETag: `"v1"`, LastModified: "Fri, 27 Nov 2026 08:00:00 GMT", LastPoll: t0, LastSuccess: t0}
	p := &store.Poll{Source: "a", URL: "https://a.example/rss", State: st, New: []news.Item{
		item("a", "1", "s1", 0, "ukraine"),
		item("a", "2", "s2", time.Hour),
	}}
	save(t, s, p)
	// b's copy of story s1, later but higher priority: it represents s1.
	bst := news.FetchState{LastPoll: t0.Add(3 * time.Hour)}
	copyB := item("b", "9", "s1", 30*time.Minute, "economy")
	copyB.Image = "https://b.example/9.jpg"
	copyB.Enclosures = []news.Enclosure{{URL: "https://b.example/9.mp3", Type: "audio/mpeg", Length: 1234}}
	save(t, s, &store.Poll{Source: "b", State: bst, Outlet: &news.OutletInfo{Title: "B News", Site: "https://b.example/"},
		New: []news.Item{copyB}})
	save(t, s, p) // replayed: adds nothing

	if got, err := s.FetchState(ctx, "a"); err != nil || !cmp.Equal(st, got) {
		t.Errorf("fetch state = %+v, %v; want %+v", got, err, st)
	}
	stories, err := s.Stories(ctx, news.AllTopic, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 2 || stories[0].Key != "s2" || stories[1].Key != "s1" {
		t.Fatalf("stories = %+v, want s2 (newest) then s1", stories)
	}
	s1 := stories[1]
	if len(s1.Items) != 2 || s1.Items[0].Source != "b" {
		t.Errorf("s1 members = %+v, want b's first (priority 10)", s1.Items)
	}
	if !s1.Published.Equal(t0) || !s1.Updated.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("s1 published %v, updated %v; want its first item's, and the time b's copy joined", s1.Published, s1.Updated)
	}
	if diff := cmp.Diff([]string{"economy", "ukraine"}, s1.Topics); diff != "" {
		t.Errorf("s1 topics (-want +got):\n%s", diff)
	}
	want := copyB
	want.Outlet = news.Outlet{Name: "b", Title: "B News", FeedURL: "https://b.example/feed", Site: "https://b.example/"}
	got := s1.Items[0]
	want.ID, got.Topics, want.Topics = got.ID, nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("item read back (-want +got):\n%s", diff)
	}
	if ukr := keys(t, s, "ukraine", 10); ukr != "[s1]" {
		t.Errorf("ukraine = %s, want [s1]", ukr)
	}
	counts, err := s.TopicCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{news.AllTopic: 2, "ukraine": 1, "economy": 1}, counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}

	s.Close()
	s = open(t, "roundtrip")
	k, err := s.KnownItems(ctx, "a", []string{"1", "2", "3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(k) != 2 || k["1"].Story != "s1" || k["2"].Hash != "h-2" || k["1"].ID == 0 ||
		!k["1"].Published.Equal(t0) || fmt.Sprint(k["1"].Topics) != "[ukraine]" {
		t.Errorf("known after reopen = %+v", k)
	}
}

// testPollWholeOrNothing: a poll cancelled while it is written leaves
// nothing of itself, or all of itself, never a part.
func testPollWholeOrNothing(t *testing.T, open Open) {
	for i, delay := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond, 20 * time.Millisecond} {
		s := open(t, fmt.Sprint("whole", i))
		var items []news.Item
		for j := range 5000 {
			it := item("a", fmt.Sprint(j), fmt.Sprint("s", j), time.Duration(j)*time.Second, "t")
			it.Summary = strings.Repeat("words ", 50)
			items = append(items, it)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(delay, cancel)
		err := s.SavePoll(ctx, &store.Poll{Source: "a", State: news.FetchState{LastPoll: t0, ETag: `"new"`}, New: items})
		cancel()
		counts, cerr := s.TopicCounts(context.Background())
		if cerr != nil {
			t.Fatal(cerr)
		}
		st, _ := s.FetchState(context.Background(), "a")
		t.Logf("cancelled after %v: err %v, %d stories", delay, err, counts[news.AllTopic])
		switch n := counts[news.AllTopic]; {
		case err == nil && (n != len(items) || counts["t"] != len(items) || st.ETag != `"new"`):
			t.Errorf("cancel after %v: saved, yet %d stories (%d filed) and state %+v", delay, n, counts["t"], st)
		case err != nil && (n != 0 || counts["t"] != 0 || st.ETag != ""):
			t.Errorf("cancel after %v: failed (%v), yet %d stories and state %+v kept", delay, err, n, st)
		}
	}
}

// testGUIDUpdate: an item polled again with new content is updated in
// place: content, topics and the story's update time follow.
func testGUIDUpdate(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "update")
	it := item("a", "1", "s1", 0, "ukraine")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{it}})
	k := known(t, s, "a", "1")
	it.ID, it.Title, it.Hash, it.Topics = k.ID, "edited", "h-new", []string{"climate"}
	it.Updated = t0.Add(time.Hour)
	save(t, s, &store.Poll{Source: "a", Updated: []news.Item{it}})
	stories, err := s.Stories(ctx, "climate", 10)
	if err != nil || len(stories) != 1 || stories[0].Items[0].Title != "edited" || !stories[0].Updated.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after the edit: %+v, %v", stories, err)
	}
	if got := keys(t, s, "ukraine", 10); got != "[]" {
		t.Errorf("the old topic still lists the edited item: %s", got)
	}
	if k := known(t, s, "a", "1"); k.Hash != "h-new" || k.ID != it.ID {
		t.Errorf("known after the edit = %+v", k)
	}
}

// testStoryTopicsFollowItems: a story is in a topic while any of its
// copies is, ordered by the story's published time, which an earlier copy
// moves back.
func testStoryTopicsFollowItems(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "topics")
	a := item("a", "1", "s1", time.Hour, "ukraine")
	b := item("b", "1", "s1", 2*time.Hour, "ukraine")
	other := item("a", "2", "s2", 90*time.Minute, "ukraine")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{a, other}})
	save(t, s, &store.Poll{Source: "b", New: []news.Item{b}})
	if got := keys(t, s, "ukraine", 10); got != "[s2 s1]" {
		t.Fatalf("ukraine = %s, want [s2 s1] (s2 is newer)", got)
	}
	a.ID, a.Topics, a.Hash = known(t, s, "a", "1").ID, nil, "edited"
	save(t, s, &store.Poll{Source: "a", Updated: []news.Item{a}})
	if got := keys(t, s, "ukraine", 10); got != "[s2 s1]" {
		t.Errorf("after one copy left: ukraine = %s, want [s2 s1]", got)
	}
	// An earlier copy joins s2: its published time, and so its place, stay.
	save(t, s, &store.Poll{Source: "c", New: []news.Item{item("c", "1", "s2", -time.Hour, "climate")}})
	if got := keys(t, s, "ukraine", 10); got != "[s2 s1]" {
		t.Errorf("after an earlier copy joined s2: ukraine = %s, want [s2 s1]", got)
	}
	if counts, _ := s.TopicCounts(ctx); counts["ukraine"] != 2 || counts["climate"] != 1 {
		t.Errorf("counts = %v", counts)
	}
	b.ID, b.Topics, b.Hash = known(t, s, "b", "1").ID, nil, "edited"
	save(t, s, &store.Poll{Source: "b", Updated: []news.Item{b}})
	if got := keys(t, s, "ukraine", 10); got != "[s2]" {
		t.Errorf("after the last copy left: ukraine = %s, want [s2]", got)
	}
	if got := keys(t, s, "climate", 10); got != "[s2]" {
		t.Errorf("climate = %s, want [s2] through c's copy", got)
	}
	if got := keys(t, s, "ukraine", 1); got != "[s2]" {
		t.Errorf("limit 1: %s", got)
	}
}

// testPublicStories: the public catch-all leaves out the stories filed
// only in private topics, and keeps those with no topic or a public one.
func testPublicStories(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "public")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{
		item("a", "1", "only-private", time.Hour, "secret"),
		item("a", "2", "two-private", 2*time.Hour, "secret", "vault"),
		item("a", "3", "mixed", 3*time.Hour, "secret", "open"),
		item("a", "4", "untopiced", 4*time.Hour),
		item("a", "5", "public", 5*time.Hour, "open"),
	}})
	get := func(private []string, limit int) string {
		t.Helper()
		stories, err := s.PublicStories(ctx, private, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, st := range stories {
			if len(st.Items) == 0 {
				t.Errorf("%s: no items", st.Key)
			}
			out = append(out, st.Key)
		}
		return fmt.Sprint(out)
	}
	if got, want := get([]string{"secret", "vault"}, 10), "[public untopiced mixed]"; got != want {
		t.Errorf("public stories = %s, want %s", got, want)
	}
	if got, want := get([]string{"secret"}, 10), "[public untopiced mixed two-private]"; got != want {
		t.Errorf("with vault public = %s, want %s", got, want)
	}
	if got, want := get([]string{"secret", "vault"}, 2), "[public untopiced]"; got != want {
		t.Errorf("limit 2 = %s, want %s", got, want)
	}
	if got, want := get(nil, 10), keys(t, s, news.AllTopic, 10); got != want {
		t.Errorf("no private topic = %s, want the catch-all %s", got, want)
	}
}
