package publish

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tributary/news"
)

// TestStoryPage: /stories/{key} shows every outlet's copy — headline,
// summary, picture, times and link — oldest first, with the story's
// topics; .json gives the same; the page is ETagged; an unknown story is
// 404, and one filed only in private topics asks for a token.
func TestStoryPage(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	story := news.Story{Key: "geneva", Topics: []string{"ukraine"}, Published: t0, Updated: t0.Add(time.Hour), Items: []news.Item{
		{Source: "northwind", Title: "Peace talks in Geneva", Summary: "<p>Delegations meet.</p>", Link: "https://northwind.example/g",
			Image: "https://northwind.example/g.jpg", Published: t0.Add(30 * time.Minute), Fetched: t0.Add(40 * time.Minute),
			Outlet: news.Outlet{Name: "northwind", Title: "Northwind Herald"}},
		{Source: "harbor", Title: "Geneva talks agreed", Summary: "<p>First word.</p>", Link: "https://harbor.example/g",
			Published: t0, Fetched: t0.Add(10 * time.Minute), Outlet: news.Outlet{Name: "harbor", Title: "Harbor Post"}},
	}}
	secret := news.Story{Key: "secret", Topics: []string{"vault"}, Published: t0, Updated: t0, Items: []news.Item{
		{Source: "a", Title: "Sealed", Link: "https://a.example/s", Published: t0, Fetched: t0}}}
	st := &fakeStore{stories: map[string][]news.Story{news.AllTopic: {story, secret}, "ukraine": {story}, "vault": {secret}}}
	p, err := newShaped(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{BaseURL: "http://news.example", Title: "tributary",
		Version: "test", Tokens: []string{"tok"},
		Topics: []news.Topic{{Name: "ukraine", Title: "Ukraine"}, {Name: "vault", Title: "Vault", Private: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	h := p.Handler()
	get := func(path string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	page := get("/stories/geneva")
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(page.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("/stories/geneva: %d %s", page.Code, page.Header().Get("Content-Type"))
	}
	harbor, northwind := strings.Index(body, "Geneva talks agreed"), strings.Index(body, "Peace talks in Geneva</a>")
	for _, want := range []string{"All coverage: 2 outlets", "Harbor Post", "Northwind Herald", "<p>Delegations meet.</p>",
		`src="https://northwind.example/g.jpg"`, "joined 27 Nov 2026 08:40 UTC", "ukraine", `href="https://harbor.example/g"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	if harbor < 0 || northwind < 0 || harbor > northwind {
		t.Errorf("copies not oldest first (harbor at %d, northwind at %d)", harbor, northwind)
	}
	if r := get("/stories/geneva", "If-None-Match", page.Header().Get("ETag")); r.Code != http.StatusNotModified {
		t.Errorf("If-None-Match its ETag: %d", r.Code)
	}
	var js storyPage
	if r := get("/stories/geneva.json"); r.Code != 200 || json.Unmarshal(r.Body.Bytes(), &js) != nil || len(js.Items) != 2 ||
		js.Items[0].Outlet != "Harbor Post" || js.Outlets != 2 || js.Items[1].Image != "https://northwind.example/g.jpg" {
		t.Errorf("/stories/geneva.json: %d %s", r.Code, r.Body)
	}
	if r := get("/stories/nothing"); r.Code != http.StatusNotFound {
		t.Errorf("an unknown story: %d", r.Code)
	}
	if r := get("/stories/secret"); r.Code != http.StatusNotFound {
		t.Errorf("a private story without a token: %d", r.Code)
	}
	if r := get("/stories/secret?token=tok"); r.Code != 200 || r.Header().Get("Cache-Control") != "private, no-store" {
		t.Errorf("a private story with its token: %d %q", r.Code, r.Header().Get("Cache-Control"))
	}
}
