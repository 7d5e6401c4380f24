package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tributary/internal/fixture"
)

// TestFullText: a teaser feed's items carry their article pages' text
// once extracted — by readability, or by the source's selector — with
// hostile markup stripped; a page that fails (404) leaves the feed's own
// summary; the poll that found the items finished first.
func TestFullText(t *testing.T) {
	now := fixture.Now()
	paragraph := strings.Repeat("The council voted late on Tuesday to rebuild the harbour wall after the winter storms, a project the mayor called overdue. ", 6)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Teasers</title><link>%[1]s/</link><description>d</description>
<item><guid>1</guid><title>Harbour wall to be rebuilt</title><link>%[1]s/article</link><description>A teaser.</description></item>
<item><guid>2</guid><title>Page that is gone</title><link>%[1]s/gone</link><description>Only a teaser here.</description></item>
<item><guid>3</guid><title>Page that is slow</title><link>%[1]s/slow</link><description>Slow teaser.</description></item>
</channel></rss>`, "http://"+r.Host)
		case "/selected":
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Sel</title><link>%[1]s/</link><description>d</description>
<item><guid>1</guid><title>Selected story</title><link>%[1]s/odd</link><description>A teaser.</description></item></channel></rss>`, "http://"+r.Host)
		case "/article":
			fmt.Fprintf(w, `<html><head><title>Harbour</title></head><body><nav>Home | News | Sport</nav>
<article><h1>Harbour wall to be rebuilt</h1><p>%s</p><p>%s<script>alert(1)</script><img src=x onerror="steal()"></p></article>
<footer>Cookie policy</footer></body></html>`, paragraph, paragraph)
		case "/slow":
			time.Sleep(1500 * time.Millisecond)
			fmt.Fprint(w, `<html><body><article><p>`+paragraph+`</p></article></body></html>`)
		case "/odd":
			fmt.Fprint(w, `<html><body><div class="story-body"><p>Chosen by the selector.</p></div><div class="sidebar"><p>`+paragraph+`</p></div></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	extra := fmt.Sprintf("  - {name: teasers, url: \"%[1]s/feed\", allow_private: true, full_text: true}\n  - {name: selected, url: \"%[1]s/selected\", allow_private: true, full_text_selector: \"div.story-body\"}\n", site.URL)
	cfg := writeConfig(t, t.TempDir(), fixture.Upstream(t, now).URL, extra)
	r := startDaemon(t, cfg, 5, now)
	defer r.stop(t)
	for _, res := range r.results {
		if res.Source == "teasers" && (res.New != 3 || res.Duration > time.Second) {
			t.Errorf("the teasers' poll: %+v; want its 3 items stored without waiting for their pages", res)
		}
	}
	ctx := context.Background()
	content := func(title string) string {
		items, err := r.d.store.FindItems(ctx, title, "")
		if err != nil || len(items) == 0 {
			t.Fatalf("%q: %v", title, err)
		}
		return items[0].Content
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(content("Harbour wall to be rebuilt"), "harbour wall") || !strings.Contains(content("Selected story"), "Chosen") {
		if time.Now().After(deadline) {
			t.Fatalf("not extracted: %q / %q", content("Harbour wall to be rebuilt"), content("Selected story"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	art := content("Harbour wall to be rebuilt")
	for _, bad := range []string{"<script", "onerror", "Cookie policy", "Home | News"} {
		if strings.Contains(art, bad) {
			t.Errorf("the article keeps %q", bad)
		}
	}
	if sel := content("Selected story"); strings.Contains(sel, "mayor") {
		t.Errorf("the selector's article holds the sidebar: %q", sel)
	}
	if c := content("Page that is gone"); c != "" {
		t.Errorf("a page that failed: content %q, want none (the summary stays)", c)
	}
	if !strings.Contains(r.logs.String(), "full text not extracted") {
		t.Error("the failure was not recorded")
	}
}

// TestFullTextCredentialsStayHome: a source's credentials go with the
// full-text fetch of a page on the source's own origin, and with none on
// another origin (another loopback port here), which once received the
// source's API key and cookie.
func TestFullTextCredentialsStayHome(t *testing.T) {
	now := fixture.Now()
	article := `<html><body><article><p>` + strings.Repeat("The ferry timetable changes on Monday, the operator said in a statement on its site. ", 8) + `</p></article></body></html>`
	var mu sync.Mutex
	got := map[string]http.Header{} // by host:path
	record := func(r *http.Request) {
		mu.Lock()
		got[r.Host+r.URL.Path] = r.Header.Clone()
		mu.Unlock()
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		fmt.Fprint(w, article)
	}))
	defer other.Close()
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		if r.Header.Get("X-Api-Key") != "k3y-61" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/feed" {
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Paid</title><link>%[1]s/</link><description>d</description>
<item><guid>1</guid><title>Ferry timetable changes at home</title><link>%[1]s/home-article</link><description>A teaser.</description></item>
<item><guid>2</guid><title>Ferry timetable changes elsewhere</title><link>%[2]s/other-article</link><description>A teaser.</description></item>
</channel></rss>`, "http://"+r.Host, other.URL)
			return
		}
		fmt.Fprint(w, article)
	}))
	defer home.Close()
	extra := fmt.Sprintf("  - {name: paid, url: \"%s/feed\", allow_private: true, full_text: true, headers: {X-Api-Key: k3y-61}, cookie: \"session=c00kie-62\"}\n", home.URL)
	cfg := writeConfig(t, t.TempDir(), fixture.Upstream(t, now).URL, extra)
	r := startDaemon(t, cfg, 4, now)
	defer r.stop(t)
	homeKey := strings.TrimPrefix(home.URL, "http://") + "/home-article"
	otherKey := strings.TrimPrefix(other.URL, "http://") + "/other-article"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		_, a := got[homeKey]
		_, b := got[otherKey]
		mu.Unlock()
		if a && b {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the article pages were not both fetched: %v", got)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if h := got[homeKey]; h.Get("X-Api-Key") != "k3y-61" || h.Get("Cookie") != "session=c00kie-62" {
		t.Errorf("the source's own page was fetched without its credentials: %v", h)
	}
	for _, k := range []string{"X-Api-Key", "Cookie", "Authorization"} {
		if v := got[otherKey].Get(k); v != "" {
			t.Errorf("a page of another origin received %s: %q", k, v)
		}
	}
}

// TestFullTextSurvivesRestart: an item whose article was being fetched
// when the daemon stopped is extracted by the next daemon: the queue is
// in the store, not in memory only.
func TestFullTextSurvivesRestart(t *testing.T) {
	now := fixture.Now()
	paragraph := strings.Repeat("The ferry timetable changes on Monday, the operator said in a statement on its site. ", 8)
	var ready atomic.Bool // the page answers only once the first daemon is gone
	asked := make(chan struct{}, 10)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Ferries</title><link>%[1]s/</link><description>d</description>
<item><guid>1</guid><title>Ferry timetable changes</title><link>%[1]s/article</link><description>A teaser.</description></item>
</channel></rss>`, "http://"+r.Host)
		case "/article":
			asked <- struct{}{}
			for !ready.Load() {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
			fmt.Fprint(w, `<html><body><article><p>`+paragraph+`</p></article></body></html>`)
		}
	}))
	defer site.Close()
	extra := fmt.Sprintf("  - {name: ferries, url: \"%s/feed\", allow_private: true, full_text: true}\n", site.URL)
	cfg := writeConfig(t, t.TempDir(), fixture.Upstream(t, now).URL, extra)
	first := startDaemon(t, cfg, 4, now)
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the article was never asked for")
	}
	first.stop(t) // mid-extraction
	ready.Store(true)
	second := startDaemon(t, cfg, 4, now)
	defer second.stop(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		items, err := second.d.store.FindItems(context.Background(), "Ferry timetable changes", "")
		if err != nil || len(items) != 1 {
			t.Fatalf("items: %v, %v", items, err)
		}
		if strings.Contains(items[0].Content, "ferry timetable") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not extracted after the restart: %q\n%s", items[0].Content, second.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(second.logs.String(), "full text: items queued before the restart") {
		t.Errorf("the restart did not say it took the queue up:\n%s", second.logs.String())
	}
}
