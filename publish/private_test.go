package publish

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tributary/news"
)

func privatePublisher(t *testing.T, all bool) http.Handler {
	t.Helper()
	p, err := New(fixture(), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
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
