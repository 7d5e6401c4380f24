// Command merges runs the real daemon over saved feeds and lists every
// story it made of more than one item, for people to judge: `tributary
// fetch` polls each feed once into a fresh store (file: sources), then
// the store is read as the publisher reads it. Run it with
// scripts/merges (README, "Near-duplicate stories").
package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"time"

	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"tributary/config"
	"tributary/publish"

	"tributary/news"
	"tributary/sqlite"
)

func main() {
	bin := flag.String("bin", "", "the tributary binary (scripts/merges builds it)")
	dir := flag.String("feeds", "../shared/data/feeds/rowanmanning-sample-feeds/content/real-world", "a folder of saved feeds: each subfolder's feed.xml, named by its index.md title")
	keep := flag.Bool("keep", false, "keep the working directory (config and store), to ask tributary explain")
	flag.Parse()
	if *bin == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *bin, *dir, *keep); err != nil {
		log.Fatalf("merges: %v", err)
	}
}

func run(ctx context.Context, bin, feeds string, keep bool) error {
	work, err := os.MkdirTemp("", "tributary-merges-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Printf("working directory %s kept\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	if feeds, err = filepath.Abs(feeds); err != nil { // the config lives elsewhere
		return err
	}
	files, err := filepath.Glob(filepath.Join(feeds, "*", "feed.xml"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no */feed.xml under %s", feeds)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "listen: \"127.0.0.1:0\"\nstate_dir: %q\nlog: {level: warn}\nsources:\n", filepath.Join(work, "state"))
	for _, f := range files {
		fmt.Fprintf(&b, "  - {name: %q, url: %q}\n", name(f), "file:"+f)
	}
	cfg := filepath.Join(work, "config.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "fetch", "-config", cfg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tributary fetch: %w", err)
	}
	db, err := sqlite.OpenExisting(ctx, filepath.Join(work, "state"))
	if err != nil {
		return err
	}
	defer db.Close()
	stories, err := db.Stories(ctx, news.AllTopic, 1_000_000)
	if err != nil {
		return err
	}
	items, merged := 0, 0
	var out []news.Story
	for _, s := range stories {
		items += len(s.Items)
		if len(s.Items) > 1 {
			merged += len(s.Items) - 1
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Items[0].Title < out[j].Items[0].Title })
	fmt.Printf("%d feeds, %d items, %d stories, %d merges (items that joined another's story)\n\n", len(files), items, len(stories), merged)
	for _, s := range out {
		for i, it := range s.Items {
			mark := "  +"
			if i == 0 {
				mark = "  *"
			}
			fmt.Printf("%s %s [%s]\n", mark, it.Title, it.Source)
		}
		fmt.Println()
	}
	return printHot(ctx, db, stories)
}

// printHot prints the hot feed as the daemon would have published it
// when the newest story of several outlets was: the publisher over the
// same store, its clock set then (saved feeds are old).
func printHot(ctx context.Context, db *sqlite.DB, stories []news.Story) error {
	var newest time.Time
	for _, s := range stories {
		if news.Outlets(&s) > 1 && s.Published.After(newest) {
			newest = s.Published
		}
	}
	shape := config.Default()
	p, err := publish.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), publish.Options{
		BaseURL: "http://news.example", Version: "merges", Now: func() time.Time { return newest },
		Limit: shape.Publish.Limit, MaxAge: shape.Publish.MaxAge,
		Hot: publish.Hot{Window: shape.Hot.Window, MinSources: shape.Hot.MinSources}})
	if err != nil {
		return err
	}
	if err := p.Refresh(ctx); err != nil {
		return err
	}
	rec := httptest.NewRecorder()
	p.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/feeds/hot.json", nil))
	var feed struct {
		Items []struct {
			Title string   `json:"title"`
			Tags  []string `json:"tags"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		return fmt.Errorf("hot feed: %w", err)
	}
	fmt.Printf("hot at %s (/feeds/hot.json):\n", newest.UTC().Format(time.RFC3339))
	for _, it := range feed.Items {
		fmt.Printf("  %s %s\n", it.Tags[len(it.Tags)-1], it.Title)
	}
	return nil
}

// name is a feed's source name: its folder's index.md title, as a slug,
// or the folder's name.
func name(feed string) string {
	dir := filepath.Dir(feed)
	b, err := os.ReadFile(filepath.Join(dir, "index.md"))
	if m := regexp.MustCompile(`(?m)^title: "(.+)"`).FindSubmatch(b); err == nil && m != nil {
		return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(string(m[1])), "-"), "-")
	}
	return filepath.Base(dir)
}
