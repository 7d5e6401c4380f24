package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/internal/fixture"
)

// TestLastModifiedMoves: a copy joining an older story changes the feed's
// body, ETag and Last-Modified, and the entry's updated time but not its
// published one; a reader sending only If-Modified-Since sees the change;
// a restart serves the same bytes, ETag and Last-Modified.
func TestLastModifiedMoves(t *testing.T) { fixture.AtClocks(t, testLastModifiedMoves) }

func testLastModifiedMoves(t *testing.T, now time.Time) {
	up := fixture.Upstream(t, now)
	var mu sync.Mutex
	late := `<rss version="2.0"><channel><title>Late Wire</title><link>https://late.example/</link><description>d</description></channel></rss>`
	lateSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		io.WriteString(w, late)
	}))
	defer lateSrv.Close()
	cfg := writeConfig(t, t.TempDir(), up.URL, "  - name: late\n    url: "+lateSrv.URL)
	clk := &clock{now: now}
	d := startDaemonClock(t, cfg, 4, clk.Now)
	const geneva = "Ukraine and Russia agree to new round of peace talks in Geneva"

	first := d.get(t, "/feeds/all.rss")
	body1, _ := io.ReadAll(first.Body)
	etag1, lm1 := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	before := genevaEntry(t, d, geneva)

	// The wire story, older than the feed's newest, reaches one more outlet.
	mu.Lock()
	late = fmt.Sprintf(`<rss version="2.0"><channel><title>Late Wire</title><link>https://late.example/</link><description>d</description>
<item><guid>late-1</guid><title>Geneva talks confirmed</title><link>https://wire.example/2026/11/27/ukraine-russia-geneva-talks</link><pubDate>%s</pubDate></item>
</channel></rss>`, now.Add(-4*time.Hour).Format(time.RFC1123Z))
	mu.Unlock()
	clk.Add(10 * time.Minute)
	ctx := context.Background()
	src := buildSources(d.d.cfg.Load())[3]
	if res, err := d.d.agg.Poll(ctx, src); err != nil || res.Merged != 1 {
		t.Fatalf("the late copy: %+v, %v; want it merged", res, err)
	}
	if err := d.d.pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	second := d.get(t, "/feeds/all.rss")
	body2, _ := io.ReadAll(second.Body)
	etag2, lm2 := second.Header.Get("ETag"), second.Header.Get("Last-Modified")
	if string(body2) == string(body1) || etag2 == etag1 || lm2 == lm1 {
		t.Fatalf("after a merge: body changed %v, ETag %s → %s, Last-Modified %s → %s", string(body2) != string(body1), etag1, etag2, lm1, lm2)
	}
	if r := d.get(t, "/feeds/all.rss", "If-Modified-Since", lm1); r.StatusCode != http.StatusOK {
		t.Errorf("If-Modified-Since the old time = %s, want 200", r.Status)
	}
	if r := d.get(t, "/feeds/all.rss", "If-Modified-Since", lm2); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since the new time = %s, want 304", r.Status)
	}
	after := genevaEntry(t, d, geneva)
	// atom:updated carries milliseconds drawn from the story's key: its second is the join's.
	if want := clk.Now().UTC().Format(time.RFC3339); after.Published != before.Published || !strings.HasPrefix(after.Updated, strings.TrimSuffix(want, "Z")+".") {
		t.Errorf("the entry: published %s → %s, updated %s → %s; want published kept and updated when the copy joined (%s)",
			before.Published, after.Published, before.Updated, after.Updated, want)
	}
	d.stop(t)

	clk.Add(time.Hour) // nothing changes meanwhile: nothing moves
	d = startDaemonClock(t, cfg, 4, clk.Now)
	defer d.stop(t)
	third := d.get(t, "/feeds/all.rss")
	body3, _ := io.ReadAll(third.Body)
	if string(body3) != string(body2) || third.Header.Get("ETag") != etag2 || third.Header.Get("Last-Modified") != lm2 {
		t.Errorf("after a restart: same body %v, ETag %s (was %s), Last-Modified %s (was %s)",
			string(body3) == string(body2), third.Header.Get("ETag"), etag2, third.Header.Get("Last-Modified"), lm2)
	}
}

type atomTimes struct{ Published, Updated string }

func genevaEntry(t *testing.T, d *running, title string) atomTimes {
	t.Helper()
	var feed atomOut
	d.decode(t, "all.atom", &feed)
	for _, e := range feed.Entries {
		if e.Title == title {
			return atomTimes{e.Published, e.Updated}
		}
	}
	t.Fatalf("no entry %q", title)
	return atomTimes{}
}
