// Package storetest is the conformance suite of tributary's store
// contract: every store (SQLite and PostgreSQL) passes Run
// unchanged. It is imported by the stores' tests and nowhere else.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// Store is the contract every store passes.
type Store = store.Store

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
		{"HotStories", testHotStories},
		{"FullTextQueue", testFullTextQueue},
		{"MovesAlone", testMovesAlone},
		{"CanonicalURLStories", testCanonicalURLStories},
		{"RecentItems", testRecentItems},
		{"Moves", testMoves},
		{"ItemTopics", testItemTopics},
		{"Alerts", testAlerts},
		{"SetContent", testSetContent},
		{"Refile", testRefile},
		{"RetentionKeepsPublished", testRetentionKeepsPublished},
		{"StoriesReadOneState", testStoriesReadOneState},
		{"Backup", testBackup},
		{"DocumentStates", testDocumentStates},
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

func save(t *testing.T, s Store, p *store.Poll) {
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
func known(t *testing.T, s Store, source, guid string) store.Known {
	t.Helper()
	k, err := s.KnownItems(context.Background(), source, []string{guid})
	if err != nil {
		t.Fatal(err)
	}
	return k[guid]
}
