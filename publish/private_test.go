package publish

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tributary/news"
)

func privatePublisher(t *testing.T, all bool) http.Handler {
	t.Helper()
	p, err := newShaped(fixture(), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example", Title: "tributary", Limit: 50, Version: "test", Private: all,
		Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine war", Private: true}, {Name: "open", Title: "Open"}},
		Tokens: []string{"s3cret-token", "second"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	return p.Handler()
}

func fetch(h http.Handler, path string, basic string) (int, string, http.Header) {
	r := httptest.NewRequest("GET", path, nil)
	if basic != "" {
		r.SetBasicAuth("reader", basic)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

// TestPrivateTopics: a private topic's feeds answer only to a token, in
// the URL or as the basic-auth password, and otherwise look exactly like
// an unknown feed; the front page and the OPML list leave it out unless
// the request carries a token.
func TestPrivateTopics(t *testing.T) {
	h := privatePublisher(t, false)
	_, unknown, _ := fetch(h, "/feeds/nope.rss", "")
	for _, tt := range []struct {
		path, basic string
		want        int
	}{
		{"/feeds/ukraine.rss", "", 404},
		{"/feeds/ukraine.rss?token=wrong", "", 404},
		{"/feeds/ukraine.hot.atom", "", 404},
		{"/feeds/ukraine.rss?token=s3cret-token", "", 200},
		{"/feeds/ukraine.json?token=second", "", 200},
		{"/feeds/ukraine.atom", "s3cret-token", 200},
		{"/feeds/ukraine.atom", "wrong", 404},
		{"/feeds/open.rss", "", 200},
		{"/feeds/all.rss", "", 200},
	} {
		code, body, hdr := fetch(h, tt.path, tt.basic)
		if code != tt.want {
			t.Errorf("%s (basic %q): %d, want %d", tt.path, tt.basic, code, tt.want)
		}
		if code == 404 && body != unknown {
			t.Errorf("%s: a refusal %q differs from an unknown feed's %q", tt.path, body, unknown)
		}
		if code == 200 && strings.HasPrefix(tt.path, "/feeds/ukraine") && !strings.HasPrefix(hdr.Get("Cache-Control"), "private") {
			t.Errorf("%s: Cache-Control %q, want private", tt.path, hdr.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/", "/opml"} {
		_, public, _ := fetch(h, path, "")
		_, tokened, _ := fetch(h, path+"?token=s3cret-token", "")
		if strings.Contains(public, "Ukraine war") || !strings.Contains(public, "Open") {
			t.Errorf("%s without a token lists the private topic, or not the open one", path)
		}
		if !strings.Contains(tokened, "Ukraine war") {
			t.Errorf("%s with a token leaves the private topic out", path)
		}
	}
}

// TestAllPrivate: publish.private asks for a token everywhere.
func TestAllPrivate(t *testing.T) {
	h := privatePublisher(t, true)
	for _, path := range []string{"/", "/opml", "/feeds/all.rss", "/feeds/open.rss", "/feeds/hot.json"} {
		if code, _, _ := fetch(h, path, ""); code != 404 {
			t.Errorf("%s without a token: %d", path, code)
		}
		if code, _, _ := fetch(h, path, "second"); code != 200 {
			t.Errorf("%s with a token: %d", path, code)
		}
	}
}

// TestPrivateStoriesStayPrivate: a story filed only in a private topic is
// in no public output — the catch-all and hot feeds, the front page's
// latest and hot lists — and appears on the front page opened with a
// token; the WebSub hub is never told of a private feed, nor linked from
// one. A story also filed in a public topic stays public.
func TestPrivateStoriesStayPrivate(t *testing.T) {
	var mu sync.Mutex
	var pings []string
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		pings = append(pings, r.Form.Get("hub.url"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	st := fixture() // s1 "Peace talks in Geneva" is filed in ukraine only, carried by two outlets
	t0 := st.stories[news.AllTopic][1].Published
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		BaseURL: "http://news.example", Title: "tributary", Limit: 50, Version: "test", Hub: hub.URL,
		Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine war", Private: true}, {Name: "open", Title: "Open"}},
		Tokens: []string{"s3cret-token"},
		Now:    func() time.Time { return t0.Add(3 * time.Hour) },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	const secret = "Peace talks in Geneva"
	for _, path := range []string{"/", "/feeds/all.rss", "/feeds/all.atom", "/feeds/all.json", "/feeds/hot.rss", "/feeds/hot.json"} {
		code, body, _ := fetch(h, path, "")
		if code != 200 || strings.Contains(body, secret) {
			t.Errorf("%s: %d, shows the private story: %v", path, code, strings.Contains(body, secret))
		}
	}
	if _, body, _ := fetch(h, "/?token=s3cret-token", ""); !strings.Contains(body, secret) {
		t.Error("the front page with a token leaves the private story out")
	}
	if _, body, _ := fetch(h, "/feeds/ukraine.rss?token=s3cret-token", ""); !strings.Contains(body, secret) || strings.Contains(body, `rel="hub"`) {
		t.Errorf("the private feed: has the story %v, links the hub %v", strings.Contains(body, secret), strings.Contains(body, `rel="hub"`))
	}

	// The story gains an outlet: the private feeds change, and are not
	// pinged. Then filed in the open topic too, it is public everywhere.
	s1 := &st.stories["ukraine"][0]
	s1.Updated = s1.Updated.Add(time.Hour)
	s1.Items = append(s1.Items, news.Item{Source: "harbor", Title: "Talks in Geneva", Link: "https://harbor.example/g", Published: t0.Add(time.Hour)})
	st.stories[news.AllTopic][1] = *s1
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for _, u := range pings {
		if strings.Contains(u, "ukraine") {
			t.Errorf("the hub was told of a private feed: %s", u)
		}
	}
	mu.Unlock()
	s1.Topics = []string{"open", "ukraine"}
	st.stories[news.AllTopic][1] = *s1
	st.stories["open"] = []news.Story{*s1}
	if err := p.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := fetch(h, "/feeds/all.rss", ""); !strings.Contains(body, secret) {
		t.Error("a story filed in a public topic too is left out of the catch-all")
	}
}

// TestPrivateFeedsLinkNoPages: a private feed's entries link no coverage
// page (the link could not carry the token the page would ask for); a
// public feed's do.
func TestPrivateFeedsLinkNoPages(t *testing.T) {
	_, private, _ := fetch(privatePublisher(t, false), "/feeds/ukraine.rss", "s3cret-token")
	_, public, _ := fetch(newTestPublisher(t, fixture()).Handler(), "/feeds/ukraine.rss", "")
	if strings.Contains(private, "/stories/") {
		t.Error("a private feed links a story page")
	}
	if !strings.Contains(public, "/stories/") {
		t.Error("the public feed links no story page")
	}
}
