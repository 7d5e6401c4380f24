package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tributary/internal/fixture"
	"tributary/news"
	"tributary/store"
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

func TestPruneReclaimsSpace(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, t.TempDir())
	var old []news.Item
	for i := range 300 {
		it := mkItem("s", fmt.Sprint("old", i), fmt.Sprint("o", i), -time.Duration(40*24+i)*time.Hour)
		it.Summary = strings.Repeat("words ", 200)
		old = append(old, it)
	}
	if err := db.SavePoll(ctx, &store.Poll{Source: "s", New: old}); err != nil {
		t.Fatal(err)
	}
	if items, _, err := db.Prune(ctx, t0.Add(-30*24*time.Hour), 6); err != nil || items != 294 {
		t.Fatalf("prune = %d, %v; want 294 deleted", items, err)
	}
	var free int
	db.db.QueryRow("PRAGMA freelist_count").Scan(&free)
	if free != 0 {
		t.Errorf("%d free pages left after prune: the space was not given back", free)
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
		p := &store.Poll{Source: "s"}
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

// TestCheckIntegrity: a sound store passes; one whose index page was
// overwritten still opens and reads, and the check names the damage.
func TestCheckIntegrity(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var items []news.Item
	for i := range 20 {
		at := time.Date(2026, 11, 27, 8, i, 0, 0, time.UTC)
		items = append(items, news.Item{Source: "a", GUID: fmt.Sprint(i), Story: fmt.Sprint("s", i), Title: "t", Link: "https://a.example/",
			Published: at, Updated: at, Fetched: at, Hash: "h"})
	}
	if err := db.SavePoll(ctx, &store.Poll{Source: "a", New: items}); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckIntegrity(ctx); err != nil {
		t.Fatalf("a sound store: %v", err)
	}
	db.Close()
	fixture.DamageIndex(t, filepath.Join(dir, FileName), "stories_published")
	db, err = Open(ctx, dir)
	if err != nil {
		t.Fatalf("a damaged index keeps the store from opening: %v", err)
	}
	defer db.Close()
	err = db.CheckIntegrity(ctx)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "page") {
		t.Errorf("damaged: %v, want ErrDamaged naming the page", err)
	}
}
