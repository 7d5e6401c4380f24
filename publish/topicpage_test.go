package publish

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"tributary/news"
)

// TestTopicPage: /topics/{name} is the front page of one topic — its
// stories with their outlet count, coverage link and thumbnail, its feeds
// and hot feeds — linked from the front page; unknown or private (without
// a token) topics are not found.
func TestTopicPage(t *testing.T) {
	p := newTestPublisher(t, fixture())
	h := p.Handler()
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		b, _ := io.ReadAll(w.Result().Body)
		return w.Code, string(b)
	}
	code, front := get("/")
	if code != 200 || !strings.Contains(front, `href="http://news.example:8080/topics/ukraine"`) {
		t.Fatalf("the front page does not link the topic's page: %d", code)
	}
	code, body := get("/topics/ukraine")
	if code != 200 {
		t.Fatalf("/topics/ukraine: %d", code)
	}
	for _, want := range []string{"<title>Ukraine war — tributary</title>", "/feeds/ukraine.rss", "/feeds/ukraine.atom",
		"← all topics", "all coverage: 2 outlets", "/stories/"} {
		if !strings.Contains(body, want) {
			t.Errorf("the topic's page lacks %q:\n%s", want, body)
		}
	}
	if code, _ := get("/topics/nope"); code != 404 {
		t.Errorf("an unknown topic's page: %d", code)
	}
	if code, _ := get("/topics/" + news.AllTopic); code != 404 {
		t.Errorf("the catch-all's page (the front page is it): %d", code)
	}
	private := privatePublisher(t, false)
	if code, _, _ := fetch(private, "/topics/ukraine", ""); code != 404 {
		t.Errorf("a private topic's page without a token: %d", code)
	}
	if code, body, hdr := fetch(private, "/topics/ukraine", "s3cret-token"); code != 200 || hdr.Get("Cache-Control") != "private, no-store" || !strings.Contains(body, "Ukraine war") {
		t.Errorf("a private topic's page with its token: %d %q", code, hdr.Get("Cache-Control"))
	}
}
