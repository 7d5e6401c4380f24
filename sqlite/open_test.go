package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tributary/news"
	"tributary/store"
)

// TestOneWriter: a second writer on one state directory is refused with a
// message naming the first; readers open beside it; closing frees it.
func TestOneWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, dir)
	want := fmt.Sprintf("%s is used by another tributary (pid %d)", dir, os.Getpid())
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("second writer: err = %v, want ErrLocked saying %q", err, want)
	}
	reader, err := OpenExisting(ctx, dir)
	if err != nil {
		t.Fatalf("a reader beside the writer: %v", err)
	}
	if _, err := reader.Sources(ctx); err != nil {
		t.Errorf("reader: %v", err)
	}
	reader.Close()
	first.Close()
	again, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("after the first writer closed: %v", err)
	}
	again.Close()
}

// TestOpenExistingNeverCreates: a reader finds no store rather than
// making an empty one.
func TestOpenExistingNeverCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	_, err := OpenExisting(context.Background(), dir)
	want := "no store at " + dir + " (is state_dir or $STATE_DIRECTORY set?)"
	if !errors.Is(err, ErrNoStore) || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the state directory was created: %v", err)
	}
}

// TestAwkwardStatePath: '?', '#' and '%' in the state directory's path
// are part of the path, not of the database URI.
func TestAwkwardStatePath(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "a?b#c%3Fd e")
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SavePoll(ctx, &store.Poll{Source: "a", New: []news.Item{mkItem("a", "1", "s1", 0)}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Errorf("database not at its path: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("files beside the state directory: %v", entries)
	}
	db, err = OpenExisting(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if items, err := db.StoryItems(ctx, "s1"); err != nil || len(items) != 1 {
		t.Errorf("read back: %v, %v", items, err)
	}
}

// TestPingNoticesFileGone: a database file deleted or replaced under a
// running process makes Ping fail, saying which.
func TestPingNoticesFileGone(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, want string
		do         func(path string) error
	}{
		{"deleted", "was deleted while in use", os.Remove},
		{"replaced", "was replaced while in use", func(path string) error {
			other := filepath.Join(t.TempDir(), "other")
			db, err := Open(ctx, other)
			if err != nil {
				return err
			}
			db.Close()
			return os.Rename(filepath.Join(other, FileName), path)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := openTest(t, t.TempDir())
			if err := db.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			if err := tt.do(db.Path()); err != nil {
				t.Fatal(err)
			}
			if err := db.Ping(ctx); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), db.Path()) {
				t.Errorf("Ping = %v, want %q naming the file", err, tt.want)
			}
		})
	}
}

// TestDiskFullNamesTheFile: a write that cannot grow the database fails
// whole, with an error naming the file; nothing of the poll is kept.
func TestDiskFullNamesTheFile(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	db.db.SetMaxOpenConns(1) // the page limit is per connection
	var pages int
	if err := db.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	var items []news.Item
	for i := range 200 {
		it := mkItem("a", fmt.Sprint(i), fmt.Sprint("s", i), time.Duration(i)*time.Second)
		it.Summary = strings.Repeat("x", 2000)
		items = append(items, it)
	}
	err := db.SavePoll(ctx, &store.Poll{Source: "a", New: items})
	if err == nil || !strings.Contains(err.Error(), "database or disk is full") || !strings.HasPrefix(err.Error(), "sqlite "+db.Path()+": save poll a") {
		t.Fatalf("err = %v, want a full disk naming %s", err, db.Path())
	}
	if srcs, _ := db.Sources(ctx); len(srcs) != 0 {
		t.Errorf("part of the failed poll was kept: %+v", srcs)
	}
}
