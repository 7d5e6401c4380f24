package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"tributary/internal/fixture"
	"tributary/sqlite"
)

func TestEndToEnd(t *testing.T) { fixture.AtClocks(t, testEndToEnd) }

func testEndToEnd(t *testing.T, now time.Time) {
	up := fixture.Upstream(t, now)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))

	d := startDaemon(t, cfg, 6, now)
	// 12 items; the wire story reached all three outlets, and the markets'
	// reaction joins the rate decision it reports (a same-day reaction is
	// the event's, as the judged days define an event): 9 stories.
	for _, format := range []string{"rss", "atom", "json"} {
		all := d.feed(t, "all."+format)
		if len(all.Items) != 9 {
			t.Errorf("all.%s has %d entries, want 9: %q", format, len(all.Items), titles(all))
		}
		ukr := d.feed(t, "ukraine."+format)
		if len(ukr.Items) != 1 || ukr.Items[0].Title != "Ukraine and Russia agree to new round of peace talks in Geneva" {
			t.Errorf("ukraine.%s = %q, want only the collapsed Geneva story (priority source first)", format, titles(ukr))
		} else if body := ukr.Items[0].Description + ukr.Items[0].Content; !strings.Contains(body, ">Daily Meridian<") || !strings.Contains(body, ">Harbor Post<") {
			t.Errorf("ukraine.%s: no also-reported links: %q", format, body)
		}
		if got := titles(d.feed(t, "tech."+format)); len(got) != 2 {
			t.Errorf("tech.%s = %q, want 2 entries", format, got)
		}
		if got := titles(d.feed(t, "climate."+format)); len(got) != 2 {
			t.Errorf("climate.%s = %q, want 2 entries", format, got)
		}
	}
	// Hostile markup in the fixtures never reaches a published feed.
	for _, name := range []string{"all.rss", "all.atom", "all.json"} {
		body, _ := io.ReadAll(d.get(t, "/feeds/"+name).Body)
		for _, bad := range []string{"<script", "&lt;script", "javascript:", "onclick", "<iframe", "&lt;iframe"} {
			if bytes.Contains(body, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}

	resp := d.get(t, "/feeds/ukraine.atom")
	etag := resp.Header.Get("ETag")
	if resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" || etag == "" {
		t.Errorf("headers = %v", resp.Header)
	}
	if r := d.get(t, "/feeds/ukraine.atom", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match round trip = %s, want 304", r.Status)
	}
	if r := d.get(t, "/feeds/nope.rss"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown topic = %s, want 404", r.Status)
	}
	// The public health answers name nothing; the metrics listener's do.
	if r := d.get(t, "/healthz"); r.StatusCode != 200 {
		t.Errorf("healthz = %s", r.Status)
	} else if body, _ := io.ReadAll(r.Body); string(body) != "ok\n" {
		t.Errorf("public healthz says more than ok:\n%s", body)
	}
	if r := d.get(t, "/readyz"); r.StatusCode != 200 {
		body, _ := io.ReadAll(r.Body)
		t.Errorf("readyz = %s %s", r.Status, body)
	}
	ops := d.ops
	if r, err := http.Get(ops + "/healthz"); err != nil {
		t.Fatal(err)
	} else if body, _ := io.ReadAll(r.Body); !bytes.Contains(body, []byte("failing: broken-500 (1 in a row): broken-500: fetch: 500 Internal Server Error")) {
		t.Errorf("operators' healthz lacks the failing source:\n%s", body)
	}
	if r, err := http.Get(ops + "/readyz"); err != nil || r.StatusCode != 200 {
		t.Errorf("operators' readyz = %v, %v", r, err)
	}
	resp, err := http.Get(ops + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`tributary_polls_total{outcome="changed",source="northwind"} 1`,
		`tributary_polls_total{outcome="error",source="broken-500"} 1`,
		`tributary_fetch_http_status_total{code="500",source="broken-500"} 1`,
		`tributary_items_new_total{source="northwind"} 5`,
		`tributary_duplicates_merged_total{source=`,
		`tributary_feed_requests_total{code="304",format="atom"} 1`,
		`tributary_stories 9`,
		`tributary_store_write_seconds_count 3`, // the three sources with items
		`tributary_store_items_written_total 12`,
		`tributary_build_info{version="`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if r := d.get(t, "/metrics"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public listener = %s, want 404", r.Status)
	}
	front, _ := io.ReadAll(d.get(t, "/").Body)
	if !bytes.Contains(front, []byte(`href="http://news.example/feeds/ukraine.rss"`)) {
		t.Errorf("front page lacks the ukraine feed link")
	}
	allBefore, _ := io.ReadAll(d.get(t, "/feeds/all.atom").Body)
	d.stop(t)

	// Broken sources: errors recorded, named, and the rest unaffected.
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "state"))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := db.Sources(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantErr := map[string]string{
		"broken-500":       "broken-500: fetch: 500 Internal Server Error",
		"broken-html":      "broken-html: parse: HTML page, not a feed (Content-Type text/html)",
		"broken-truncated": "broken-truncated: parse: ",
	}
	items := 0
	for _, s := range srcs {
		items += s.Items
		if want, ok := wantErr[s.Name]; ok {
			if !strings.HasPrefix(s.State.LastError, want) || s.State.Failures != 1 {
				t.Errorf("%s: last error %q (failures %d), want %q", s.Name, s.State.LastError, s.State.Failures, want)
			}
		} else if s.State.LastError != "" || s.State.LastSuccess.IsZero() {
			t.Errorf("%s: %+v, want a clean success", s.Name, s.State)
		}
	}
	if items != 12 {
		t.Errorf("stored items = %d, want 12", items)
	}

	// Restart on the same state: nothing duplicated, same bytes.
	d = startDaemon(t, cfg, 6, now)
	if n := len(d.feed(t, "all.json").Items); n != 9 {
		t.Errorf("after restart: all.json has %d entries, want 9", n)
	}
	allAfter, _ := io.ReadAll(d.get(t, "/feeds/all.atom").Body)
	if !bytes.Equal(allBefore, allAfter) {
		t.Errorf("all.atom changed across a restart with no new content")
	}
	if r := d.get(t, "/feeds/ukraine.atom", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("ETag from before the restart = %s, want 304", r.Status)
	}
	d.stop(t)
	for _, res := range d.results {
		if res.New > 0 {
			t.Errorf("the restart stored new items: %+v", res)
		}
	}
}

// hostileFeed carries item links a reader must never get as links: every
// case of javascript:, data: and vbscript:, encoded and padded, one of
// them on a copy of a fixture story it represents (priority 20).
const hostileFeed = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link><description>d</description>
<item><guid>h1</guid><title>Glaciers in the Alps lost 4% of their ice this year</title><link>JaVaScRiPt:alert(4)</link></item>
<item><guid>h2</guid><title>Hostile two</title><link>javascript&#58;alert(1)</link></item>
<item><guid>h3</guid><title>Hostile three</title><link>   javascript:alert(2)</link></item>
<item><guid>h4</guid><title>Hostile four</title><link>vbscript:msgbox(1)</link></item>
<item><guid>h5</guid><title>Hostile five</title><link>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</link></item>
<item><guid>h6</guid><title>Hostile six</title><link>java&#x09;script:alert(5)</link></item>
</channel></rss>`

// TestHostileLinksInEveryOutput: through the daemon, no published feed
// of any topic, nor the front page, carries an unsafe link, and every
// hostile item is still stored and published.
func TestHostileLinksInEveryOutput(t *testing.T) {
	now := time.Now()
	up := fixture.Upstream(t, now)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, hostileFeed) }))
	defer hostile.Close()
	cfg := writeConfig(t, t.TempDir(), up.URL, "  - name: hostile\n    url: "+hostile.URL+"\n    priority: 20")
	d := startDaemon(t, cfg, 4, now)
	defer d.stop(t)
	if n := len(d.feed(t, "all.json").Items); n != 9+5 {
		t.Errorf("all.json has %d entries, want the fixtures' 9 and 5 of the 6 hostile items (one joined a story)", n)
	}
	paths := []string{"/"}
	for _, topic := range []string{"all", "ukraine", "climate", "tech"} {
		for _, f := range []string{"rss", "atom", "json"} {
			paths = append(paths, "/feeds/"+topic+"."+f)
		}
	}
	for _, p := range paths {
		body, _ := io.ReadAll(d.get(t, p).Body)
		low := strings.ToLower(string(body))
		for _, bad := range []string{"javascript", "vbscript", "data:text", "alert("} {
			if strings.Contains(low, bad) {
				t.Errorf("%s carries %q", p, bad)
			}
		}
	}
}
