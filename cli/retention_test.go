package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// TestRetentionAfterReloadKeepsPublished: publish.limit lowered by a
// reload takes a restart, so the feeds still serve the old limit's
// stories; retention must keep every one of them.
func TestRetentionAfterReloadKeepsPublished(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	var feed strings.Builder
	feed.WriteString(`<rss version="2.0"><channel><title>old</title><link>https://old.example/</link><description>d</description>`)
	for i := range 80 { // all older than retention.items (30 days)
		fmt.Fprintf(&feed, `<item><guid>%d</guid><title>Archive story number %d about topic%d</title><link>https://old.example/%d</link><pubDate>%s</pubDate></item>`,
			i, i, i%2, i, now.Add(-40*24*time.Hour-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	feed.WriteString(`</channel></rss>`)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed.String()) }))
	defer up.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	write := func(limit int) {
		os.WriteFile(path, []byte(fmt.Sprintf(`listen: "127.0.0.1:0"
metrics_listen: ""
state_dir: ./state
publish: {limit: %d}
sources:
  - name: old
    url: %s
topics:
  - name: odd
    any: [topic1]
`, limit, up.URL)), 0o600)
	}
	write(50)
	cfg, err := loadConfig(testEnv(io.Discard, io.Discard, now), path, false)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(ctx, testEnv(io.Discard, io.Discard, now), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if res, err := d.agg.Poll(ctx, buildSources(cfg)[0]); err != nil || res.New != 80 {
		t.Fatalf("poll = %+v, %v", res, err)
	}
	if err := d.pub.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	write(5)
	if err := d.reload(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := d.retention.Once(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d.pub.Handler())
	defer srv.Close()
	for _, name := range []string{"all.json", "odd.json", "all.atom", "odd.rss"} {
		f, err := gofeed.NewParser().ParseURL(srv.URL + "/feeds/" + name)
		if err != nil {
			t.Fatal(err)
		}
		want := 50
		if strings.HasPrefix(name, "odd") {
			want = 40
		}
		if len(f.Items) != want {
			t.Errorf("%s serves %d entries, want %d (the limit in force)", name, len(f.Items), want)
		}
		for _, it := range f.Items {
			key := it.GUID[strings.LastIndex(it.GUID, "/")+1:]
			if items, err := d.store.StoryItems(ctx, key); err != nil || len(items) == 0 {
				t.Errorf("%s: entry %q (%s) has no stored items: %v", name, it.Title, key, err)
			}
		}
	}
	counts, _ := d.store.TopicCounts(ctx)
	// A render reads four times the limit (its hot feed ranks them, its
	// output controls and mutes make up what they leave out), and
	// retention keeps what renders read: 200 of each topic's newest, so
	// all 80 stay though every one is past retention.items.
	if want := 4 * 50; d.pub.Keep() != want || counts["all"] != 80 {
		t.Errorf("Keep %d, %d stories left; want %d and all 80", d.pub.Keep(), counts["all"], want)
	}
}
