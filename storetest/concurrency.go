package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// testStoriesReadOneState reads stories while polls add copies to them:
// each read sees one state of the store, never a topic of a member it
// did not load (which once crashed the publisher).
func testStoriesReadOneState(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "onestate")
	var first []news.Item
	for i := range 20 {
		first = append(first, item("a", fmt.Sprint("a", i), fmt.Sprint("s", i), time.Duration(i)*time.Minute, "world"))
	}
	save(t, s, &store.Poll{Source: "a", New: first})
	done := make(chan error, 1)
	go func() {
		for n := range 100 {
			var copies []news.Item
			for i := range 20 {
				copies = append(copies, item("b", fmt.Sprint("b", n, "-", i), fmt.Sprint("s", i), time.Duration(i)*time.Minute, "world"))
			}
			if err := s.SavePoll(ctx, &store.Poll{Source: "b", New: copies}); err != nil {
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
		stories, err := s.Stories(ctx, "world", 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stories {
			for _, it := range st.Items {
				if len(it.Topics) != 1 {
					t.Fatalf("story %s: item %s has topics %v, want [world]", st.Key, it.GUID, it.Topics)
				}
			}
		}
	}
}

// testBackup: a backup is written whole and never over an existing file.
func testBackup(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "backup")
	save(t, s, &store.Poll{Source: "a", New: []news.Item{item("a", "1", "s1", 0)}})
	path := filepath.Join(t.TempDir(), "copy")
	n, err := s.Backup(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Size() != n || n == 0 {
		t.Errorf("backup of %d bytes: %v, %v", n, info, err)
	}
	if _, err := s.Backup(ctx, path); err == nil {
		t.Error("a backup overwrote an existing file")
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping after backup: %v", err)
	}
}

// testDocumentStates: the publisher's record of its documents is kept, and
// replaced by name.
func testDocumentStates(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t, "feeds")
	if got, err := s.DocumentStates(ctx); err != nil || len(got) != 0 {
		t.Errorf("feed states of a new store = %v, %v", got, err)
	}
	a := news.DocumentState{Name: "all.rss", ETag: `"1"`, Modified: t0}
	b := news.DocumentState{Name: "all.atom", ETag: `"2"`, Modified: t0.Add(time.Second)}
	if err := s.SaveDocumentStates(ctx, []news.DocumentState{a, b}); err != nil {
		t.Fatal(err)
	}
	a.ETag, a.Modified = `"3"`, t0.Add(time.Minute)
	if err := s.SaveDocumentStates(ctx, []news.DocumentState{a}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, "feeds")
	got, err := s.DocumentStates(ctx)
	if err != nil || len(got) != 2 || got["all.rss"] != a || got["all.atom"] != b {
		t.Errorf("feed states after reopen = %v, %v; want %v and %v", got, err, a, b)
	}
}
