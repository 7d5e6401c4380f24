// Package storetest is the conformance suite of tributary's store
// contract: every store (SQLite and PostgreSQL) passes Run
// unchanged. It is imported by the stores' tests and nowhere else.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/news"
	"tributary/publish"
)

// Store is the whole store contract: the union of the interfaces the
// program declares where it uses a store, and what the commands need.
type Store interface {
	aggregator.Store          // one poll: fetch state, known items, save
	aggregator.IndexStore     // the dedupe index rebuilt at start
	aggregator.RefileStore    // filings redone when topic rules change
	aggregator.RetentionStore // old items deleted, published stories kept
	aggregator.ExplainStore   // why an item is in its story
	publish.Store             // stories, counts and feed states to publish

	// SyncSources records the configured sources' URL and priority.
	SyncSources(ctx context.Context, srcs []news.Source) error
	// Sources returns every source the store knows, by name.
	Sources(ctx context.Context) ([]news.SourceRecord, error)
	// Backup writes a consistent copy of the store to path, refusing to
	// overwrite a file, and returns its size.
	Backup(ctx context.Context, path string) (int64, error)
	// DueAlerts, AlertDelivered, AlertFailed and Outbox work the outbox
	// SavePoll fills (news.Poll.Alerts).
	DueAlerts(ctx context.Context, now time.Time, limit int) ([]news.Alert, error)
	AlertDelivered(ctx context.Context, id int64, at time.Time) error
	AlertFailed(ctx context.Context, id int64, msg string, next time.Time) error
	Outbox(ctx context.Context) (news.Outbox, error)
	// SetContent keeps an item's extracted article, unless it changed.
	SetContent(ctx context.Context, id int64, hash, content string) error
	// ItemTopics returns every stored item's topics by item id, sorted.
	ItemTopics(ctx context.Context) (map[int64][]string, error)
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
	Close() error
}

// Open returns the store called name, created empty the first time that
// name is opened in a test; opening it again after Close opens the same
// store, as a restart does. The store is closed when the test ends.
type Open func(t *testing.T, name string) Store

// Run runs the whole suite against the stores open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		test func(t *testing.T, open Open)
	}{
		{"SavePollRoundTrip", testSavePollRoundTrip},
		{"PollWholeOrNothing", testPollWholeOrNothing},
		{"FetchState", testFetchState},
		{"Sources", testSources},
		{"GUIDUpdate", testGUIDUpdate},
		{"StoryTopicsFollowItems", testStoryTopicsFollowItems},
		{"PublicStories", testPublicStories},
		{"CanonicalURLStories", testCanonicalURLStories},
		{"RecentItems", testRecentItems},
		{"ItemTopics", testItemTopics},
		{"Alerts", testAlerts},
		{"SetContent", testSetContent},
		{"Refile", testRefile},
		{"RetentionKeepsPublished", testRetentionKeepsPublished},
		{"StoriesReadOneState", testStoriesReadOneState},
		{"Backup", testBackup},
		{"FeedStates", testFeedStates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, open) })
	}
}

// t0 is the fixtures' time. A store never reads the clock, so its tests
// need none.
var t0 = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// item returns an item of source published at t0+at, in story, filed
// under topics.
func item(source, guid, story string, at time.Duration, topics ...string) news.Item {
	return news.Item{
		Source: source, GUID: guid, Story: story,
		Link: "https://" + source + ".example/" + guid, URL: "https://" + source + ".example/" + guid,
		Title: source + " " + guid, Summary: "<p>s</p>", Categories: []string{"World"},
		Published: t0.Add(at), Updated: t0.Add(at), Fetched: t0.Add(at), Hash: "h-" + guid, Topics: topics,
	}
}

func save(t *testing.T, s Store, p *news.Poll) {
	t.Helper()
	if err := s.SavePoll(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// keys returns the keys of a topic's newest stories, newest first.
func keys(t *testing.T, s Store, topic string, limit int) string {
	t.Helper()
	stories, err := s.Stories(context.Background(), topic, limit)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, st := range stories {
		out = append(out, st.Key)
	}
	return fmt.Sprint(out)
}

// known returns the store's record of one item.
func known(t *testing.T, s Store, source, guid string) news.Known {
	t.Helper()
	k, err := s.KnownItems(context.Background(), source, []string{guid})
	if err != nil {
		t.Fatal(err)
	}
	return k[guid]
}
