package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tributary/internal/shared"
	"tributary/news"
	"tributary/sqlite"
)

// TestSavedFeedsAnyOrder: the real feeds saved beside the project, each
// fetched once into a fresh store with the sources listed in five random
// orders (and polled at once, finishing in any order), end in the same
// stories.
func TestSavedFeedsAnyOrder(t *testing.T) {
	feeds := shared.Path(t, "feeds/rowanmanning-sample-feeds/content/real-world")
	files, err := filepath.Glob(filepath.Join(feeds, "*", "feed.xml"))
	if err != nil || len(files) < 20 {
		t.Fatalf("saved feeds: %d, %v", len(files), err)
	}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var want []string
	for seed := uint64(1); seed <= 5; seed++ {
		rand.New(rand.NewPCG(seed, 3)).Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
		dir := t.TempDir()
		var b strings.Builder
		fmt.Fprintf(&b, "listen: \"127.0.0.1:0\"\nstate_dir: %q\nlog: {level: warn}\nsources:\n", filepath.Join(dir, "state"))
		for _, f := range files {
			fmt.Fprintf(&b, "  - {name: %q, url: %q}\n", filepath.Base(filepath.Dir(f)), "file:"+f)
		}
		cfg := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := runCmd([]string{"fetch", "-config", cfg}, io.Discard, io.Discard, now); err != nil {
			t.Fatal(err)
		}
		got := storyMembers(t, filepath.Join(dir, "state"))
		if want == nil {
			want = got
			t.Logf("%d feeds: %d stories", len(files), len(got))
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("order %d: %d stories, want the first order's %d; they differ", seed, len(got), len(want))
		}
	}
}

// storyMembers returns every story of a store as its items, sorted: the
// stories' membership, whatever their keys.
func storyMembers(t *testing.T, state string) []string {
	t.Helper()
	db, err := sqlite.OpenExisting(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stories, err := db.Stories(context.Background(), news.AllTopic, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(stories))
	for _, s := range stories {
		var items []string
		for _, it := range s.Items {
			items = append(items, it.Source+"/"+it.GUID)
		}
		slices.Sort(items)
		out = append(out, strings.Join(items, " "))
	}
	slices.Sort(out)
	return out
}
