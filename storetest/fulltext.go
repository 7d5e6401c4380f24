package storetest

import (
	"context"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// testFullTextQueue: a poll of a full-text source queues its new and
// edited items in its transaction, the longest waiting first, with what
// the extractor needs; another poll queues nothing; done takes an item
// off; an item gone leaves the queue.
func testFullTextQueue(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "fulltext")
	save(t, s, &store.Poll{Source: "a", FullText: true, At: t0, New: []news.Item{
		item("a", "1", "s1", 0, "world"), item("a", "2", "s2", time.Minute)}})
	save(t, s, &store.Poll{Source: "b", At: t0, New: []news.Item{item("b", "3", "s3", 0)}})
	q, err := s.FullTextQueue(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 2 || q[0].GUID != "1" || q[0].Source != "a" || q[0].Link != "https://a.example/1" || q[0].Hash != "h-1" ||
		len(q[0].Topics) != 1 || q[0].Topics[0] != "world" || q[0].ID == 0 {
		t.Fatalf("queue = %+v", q)
	}
	if q, _ := s.FullTextQueue(ctx, 1); len(q) != 1 {
		t.Errorf("limit 1: %d items", len(q))
	}
	if err := s.FullTextDone(ctx, q[0].ID); err != nil {
		t.Fatal(err)
	}
	if q, _ := s.FullTextQueue(ctx, 10); len(q) != 1 || q[0].GUID != "2" {
		t.Errorf("after done: %+v", q)
	}
	// Edited upstream, the first is queued again.
	edited := item("a", "1", "s1", 0, "world")
	edited.ID, edited.Hash, edited.Title = known(t, s, "a", "1").ID, "h-1b", "a 1 edited"
	save(t, s, &store.Poll{Source: "a", FullText: true, At: t0.Add(time.Hour), Updated: []news.Item{edited}})
	if q, _ := s.FullTextQueue(ctx, 10); len(q) != 2 || q[1].GUID != "1" {
		t.Errorf("after an edit: %+v", q)
	}
}
