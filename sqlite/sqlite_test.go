package sqlite

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tributary/news"
)

func openTest(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func mkItem(source, guid, story string, at time.Duration, topics ...string) news.Item {
	return news.Item{
		Source: source, GUID: guid, Story: story,
		Link: "https://" + source + ".example/" + guid, URL: "https://" + source + ".example/" + guid,
		Title: source + " " + guid, Summary: "<p>s</p>", Categories: []string{"World"},
		Published: t0.Add(at), Updated: t0.Add(at), Fetched: t0.Add(at), Hash: "h-" + guid, Topics: topics,
	}
}

func TestSavePollRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openTest(t, dir)
	if err := db.SyncSources(ctx, []news.Source{{Name: "a", Priority: 0}, {Name: "b", Priority: 10}}); err != nil {
		t.Fatal(err)
	}
	st := news.FetchState{ETag: `"v1"`, LastModified: "Fri, 27 Nov 2026 08:00:00 GMT", LastPoll: t0, LastSuccess: t0}
	p := &news.Poll{Source: "a", URL: "https://a.example/rss", State: st, New: []news.Item{
		mkItem("a", "1", "s1", 0, "ukraine"),
		mkItem("a", "2", "s2", time.Hour),
	}}
	if err := db.SavePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	// b's copy of story s1, later but higher priority: it represents s1.
	if err := db.SavePoll(ctx, &news.Poll{Source: "b", State: st, New: []news.Item{mkItem("b", "9", "s1", 30*time.Minute, "economy")}}); err != nil {
		t.Fatal(err)
	}
	// Replaying a poll adds nothing.
	if err := db.SavePoll(ctx, p); err != nil {
		t.Fatal(err)
	}

	got, err := db.FetchState(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, got); diff != "" {
		t.Errorf("fetch state (-want +got):\n%s", diff)
	}

	stories, err := db.Stories(ctx, news.AllTopic, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stories) != 2 {
		t.Fatalf("stories = %d, want 2", len(stories))
	}
	if stories[0].Key != "s2" || stories[1].Key != "s1" {
		t.Errorf("order = %s, %s; want s2 (newest) then s1", stories[0].Key, stories[1].Key)
	}
	s1 := stories[1]
	if len(s1.Items) != 2 || s1.Items[0].Source != "b" {
		t.Errorf("s1 members = %+v, want b first (priority 10)", s1.Items)
	}
	if diff := cmp.Diff([]string{"economy", "ukraine"}, s1.Topics); diff != "" {
		t.Errorf("s1 topics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"World"}, s1.Items[0].Categories); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}

	ukr, err := db.Stories(ctx, "ukraine", 10)
	if err != nil || len(ukr) != 1 || ukr[0].Key != "s1" {
		t.Errorf("ukraine stories = %v, %v; want [s1]", ukr, err)
	}
	counts, err := db.TopicCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"all": 2, "ukraine": 1, "economy": 1}, counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}

	// Everything survives a reopen.
	db.Close()
	db = openTest(t, dir)
	known, err := db.KnownItems(ctx, "a", []string{"1", "2", "3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(known) != 2 || known["1"].Story != "s1" || known["2"].Hash != "h-2" {
		t.Errorf("known = %+v", known)
	}
}

func TestUpdateItemRefilesTopics(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	it := mkItem("a", "1", "s1", 0, "ukraine")
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", New: []news.Item{it}}); err != nil {
		t.Fatal(err)
	}
	known, _ := db.KnownItems(ctx, "a", []string{"1"})
	it.ID, it.Title, it.Hash, it.Topics = known["1"].ID, "edited", "h-new", []string{"climate"}
	it.Updated = t0.Add(time.Hour)
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", Updated: []news.Item{it}}); err != nil {
		t.Fatal(err)
	}
	stories, _ := db.Stories(ctx, "climate", 10)
	if len(stories) != 1 || stories[0].Items[0].Title != "edited" || !stories[0].Updated.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after edit: %+v", stories)
	}
	if s, _ := db.Stories(ctx, "ukraine", 10); len(s) != 0 {
		t.Errorf("the old topic still lists the edited item")
	}
}

func TestRefile(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	var items []news.Item
	for i := range 5 {
		items = append(items, mkItem("a", fmt.Sprint(i), fmt.Sprint("s", i), time.Duration(i)*time.Minute))
	}
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", New: items}); err != nil {
		t.Fatal(err)
	}
	even := func(it *news.Item) []string {
		if it.GUID == "0" || it.GUID == "2" || it.GUID == "4" {
			return []string{"even"}
		}
		return nil
	}
	n, err := db.Refile(ctx, "v1", even)
	if err != nil || n != 5 {
		t.Fatalf("Refile = %d, %v; want 5", n, err)
	}
	if n, _ := db.Refile(ctx, "v1", even); n != 0 {
		t.Errorf("Refile with the same fingerprint = %d, want 0", n)
	}
	if s, _ := db.Stories(ctx, "even", 10); len(s) != 3 {
		t.Errorf("even stories = %d, want 3", len(s))
	}
}

func TestRecentItems(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	// An old story first fetched just now is recent too: its copies from
	// other outlets must still find it.
	archived := mkItem("a", "archived", "s3", -96*time.Hour)
	archived.Fetched = t0
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", New: []news.Item{
		mkItem("a", "old", "s1", -72*time.Hour), mkItem("a", "new", "s2", 0), archived,
	}}); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := db.RecentItems(ctx, t0.Add(-48*time.Hour), func(it *news.Item) { got = append(got, it.GUID) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"archived", "new"}, got); diff != "" {
		t.Errorf("recent (-want +got):\n%s", diff)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir).Close()
	db := openTest(t, dir)
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	var v int
	if err := db.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(names) || v < 4 {
		t.Errorf("user_version = %d, %v; want %d, one per migration", v, err, len(names))
	}
	var mode string
	if err := db.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestStoryTopicsFollowItems checks the triggers that keep story_topics in
// step with item_topics and the stories' published times.
func TestStoryTopicsFollowItems(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	a := mkItem("a", "1", "s1", time.Hour, "ukraine")
	b := mkItem("b", "1", "s1", 2*time.Hour, "ukraine")
	other := mkItem("a", "2", "s2", 90*time.Minute, "ukraine")
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", New: []news.Item{a, other}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePoll(ctx, &news.Poll{Source: "b", New: []news.Item{b}}); err != nil {
		t.Fatal(err)
	}
	keys := func() string {
		s, err := db.Stories(ctx, "ukraine", 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, st := range s {
			out = append(out, st.Key)
		}
		return fmt.Sprint(out)
	}
	if got := keys(); got != "[s2 s1]" {
		t.Fatalf("ukraine = %s, want [s2 s1] (s2 is newer)", got)
	}

	// One copy leaves the topic: the story stays, through the other.
	known, _ := db.KnownItems(ctx, "a", []string{"1"})
	a.ID, a.Topics, a.Hash = known["1"].ID, nil, "edited"
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", Updated: []news.Item{a}}); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "[s2 s1]" {
		t.Errorf("after one copy left: ukraine = %s, want [s2 s1]", got)
	}

	// An earlier copy moves s2's published time back: the order follows.
	early := mkItem("c", "1", "s2", -time.Hour, "climate")
	if err := db.SavePoll(ctx, &news.Poll{Source: "c", New: []news.Item{early}}); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "[s1 s2]" {
		t.Errorf("after s2 moved back: ukraine = %s, want [s1 s2]", got)
	}
	counts, _ := db.TopicCounts(ctx)
	if counts["ukraine"] != 2 || counts["climate"] != 1 {
		t.Errorf("counts = %v", counts)
	}

	// The last copy leaves: the story leaves the topic.
	known, _ = db.KnownItems(ctx, "b", []string{"1"})
	b.ID, b.Topics, b.Hash = known["1"].ID, nil, "edited"
	if err := db.SavePoll(ctx, &news.Poll{Source: "b", Updated: []news.Item{b}}); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "[s2]" {
		t.Errorf("after the last copy left: ukraine = %s, want [s2]", got)
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	// 30 old stories, one topic each of three, and 5 new ones.
	var old, fresh []news.Item
	topics := []string{"a", "b", "c"}
	for i := range 30 {
		old = append(old, mkItem("s", fmt.Sprint("old", i), fmt.Sprint("o", i), -time.Duration(40*24+i)*time.Hour, topics[i%3]))
	}
	for i := range 5 {
		fresh = append(fresh, mkItem("s", fmt.Sprint("new", i), fmt.Sprint("n", i), time.Duration(i)*time.Minute, "a"))
	}
	if err := db.SavePoll(ctx, &news.Poll{Source: "s", New: append(old, fresh...)}); err != nil {
		t.Fatal(err)
	}
	// With feeds of 6 entries, topic b and c keep their 6 newest old stories
	// each; topic a's feed is the 5 new ones and its newest old one; the
	// catch-all holds only new ones and a's.
	items, stories, err := db.Prune(ctx, t0.Add(-30*24*time.Hour), 6)
	if err != nil {
		t.Fatal(err)
	}
	if items != 30-13 || stories != 30-13 {
		t.Errorf("pruned %d items and %d stories, want 17 and 17", items, stories)
	}
	counts, _ := db.TopicCounts(ctx)
	if counts["all"] != 18 || counts["b"] != 6 || counts["c"] != 6 || counts["a"] != 6 {
		t.Errorf("counts after prune = %v", counts)
	}
	for _, topic := range []string{"all", "a", "b", "c"} {
		s, err := db.Stories(ctx, topic, 6)
		if err != nil || len(s) != 6 {
			t.Errorf("feed %s after prune: %d stories, %v", topic, len(s), err)
		}
	}
	var free int
	db.db.QueryRow("PRAGMA freelist_count").Scan(&free)
	if free != 0 {
		t.Errorf("%d free pages left after prune", free)
	}
	if items, _, _ := db.Prune(ctx, t0.Add(-30*24*time.Hour), 6); items != 0 {
		t.Errorf("a second prune deleted %d items", items)
	}
}

// TestSteadyInputSteadySize feeds the store a day of items at a time and
// prunes as the daemon does: the file stops growing once retention bites.
func TestSteadyInputSteadySize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openTest(t, dir)
	size := func() int64 {
		info, err := os.Stat(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	var sizes []int64
	for day := range 8 {
		p := &news.Poll{Source: "s"}
		for i := range 400 {
			it := mkItem("s", fmt.Sprint(day, "-", i), fmt.Sprint("st", day, "-", i), time.Duration(day*24)*time.Hour+time.Duration(i)*time.Minute)
			it.Summary = strings.Repeat("words ", 100)
			p.New = append(p.New, it)
		}
		if err := db.SavePoll(ctx, p); err != nil {
			t.Fatal(err)
		}
		now := t0.Add(time.Duration(day*24+23) * time.Hour)
		if _, _, err := db.Prune(ctx, now.Add(-2*24*time.Hour), 50); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, size())
	}
	t.Logf("file sizes by day: %v", sizes)
	if last, settled := sizes[7], sizes[3]; float64(last) > 1.1*float64(settled) {
		t.Errorf("the database grows on a steady input: %v", sizes)
	}
}

// TestStoriesReadOneState reads stories while polls add copies to them:
// each read must see one state of the store, never a topic row of a
// member it did not load (which once crashed the publisher).
func TestStoriesReadOneState(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	var first []news.Item
	for i := range 20 {
		first = append(first, mkItem("a", fmt.Sprint("a", i), fmt.Sprint("s", i), time.Duration(i)*time.Minute, "world"))
	}
	if err := db.SavePoll(ctx, &news.Poll{Source: "a", New: first}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for n := range 100 {
			var copies []news.Item
			for i := range 20 {
				copies = append(copies, mkItem("b", fmt.Sprint("b", n, "-", i), fmt.Sprint("s", i), time.Duration(i)*time.Minute, "world"))
			}
			if err := db.SavePoll(ctx, &news.Poll{Source: "b", New: copies}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for reads := 0; ; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if reads == 0 {
				t.Error("no read overlapped the writes")
			}
			return
		default:
		}
		stories, err := db.Stories(ctx, "world", 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stories {
			for _, it := range s.Items {
				if len(it.Topics) != 1 {
					t.Fatalf("story %s: item %s has topics %v, want [world]", s.Key, it.GUID, it.Topics)
				}
			}
		}
	}
}
