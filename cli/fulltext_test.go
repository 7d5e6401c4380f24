package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
