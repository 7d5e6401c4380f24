package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"tributary/news"
)

// TestCredentials: each kind of credential reaches the feed that asks for
// it; none follows a redirect to another origin, and none goes to a URL
// of another origin asked for directly (a full-text page elsewhere).
func TestCredentials(t *testing.T) {
	var mu sync.Mutex
	leaked := map[string]string{}
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		// Referer too: Go's client sends the previous URL (a feed URL's
		// query may hold a token) on a redirect unless told not to.
		for _, k := range []string{"Authorization", "Cookie", "X-Api-Key", "Referer"} {
			if v := r.Header.Get(k); v != "" {
				leaked[k] = v
			}
		}
		mu.Unlock()
		w.Write([]byte(tinyFeed))
	}))
	defer elsewhere.Close()
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		ok := map[string]bool{
			"/bearer": r.Header.Get("Authorization") == "Bearer t0ken",
			"/key":    r.Header.Get("X-Api-Key") == "k3y",
			"/basic":  user == "reader" && pass == "pa55",
			"/cookie": r.Header.Get("Cookie") == "session=c00kie",
			"/away":   r.Header.Get("X-Api-Key") == "k3y",
		}[r.URL.Path]
		if !ok {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/away" {
			// localhost is another origin than 127.0.0.1, though the same machine.
			http.Redirect(w, r, strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)+"/feed", http.StatusFound)
			return
		}
		w.Write([]byte(tinyFeed))
	}))
	defer private.Close()
	f := New(Options{UserAgent: "t", MaxBody: 1 << 20})
	for _, tt := range []struct {
		path  string
		creds news.Credentials
	}{
		{"/bearer", news.Credentials{Headers: map[string]string{"Authorization": "Bearer t0ken"}}},
		{"/key", news.Credentials{Headers: map[string]string{"X-Api-Key": "k3y"}}},
		{"/basic", news.Credentials{User: "reader", Password: "pa55"}},
		{"/cookie", news.Credentials{Cookie: "session=c00kie"}},
		{"/away", news.Credentials{Headers: map[string]string{"X-Api-Key": "k3y", "Authorization": "Bearer t0ken"}, Cookie: "session=c00kie"}},
	} {
		access := Access{Private: true, Credentials: tt.creds, Origin: OriginOf(private.URL)}
		if _, err := f.Fetch(context.Background(), private.URL+tt.path, news.FetchState{}, 0, access); err == nil {
			continue
		} else if tt.path != "/away" {
			t.Errorf("%s with credentials: %v", tt.path, err)
		}
	}
	var se *StatusError
	if _, err := f.Fetch(context.Background(), private.URL+"/basic", news.FetchState{}, 0, Access{Private: true}); !errors.As(err, &se) || se.Code != 401 {
		t.Errorf("without credentials: %v, want 401", err)
	}
	// A source's access used for a page of another origin: the page gets
	// none of the source's credentials.
	all := news.Credentials{Headers: map[string]string{"X-Api-Key": "k3y"}, User: "reader", Password: "pa55", Cookie: "session=c00kie"}
	if _, err := f.Fetch(context.Background(), elsewhere.URL+"/article", news.FetchState{}, 0,
		Access{Private: true, Credentials: all, Origin: OriginOf(private.URL)}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) > 0 {
		t.Errorf("a fetch of another origin carried %v", leaked)
	}
}

// TestProxy: a source's fetches go through its proxy, and what they
// reach through it is still checked as a dial would be.
func TestProxy(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.String())
		mu.Unlock()
		w.Write([]byte(tinyFeed))
	}))
	defer proxy.Close()
	f := New(Options{UserAgent: "t", MaxBody: 1 << 20})
	target := "http://127.0.0.1:9/feed" // nothing listens: only the proxy answers
	if _, err := f.Fetch(context.Background(), target, news.FetchState{}, 0, Access{Private: true, Proxy: proxy.URL}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(asked) != 1 || asked[0] != target {
		t.Errorf("the proxy was asked for %v, want %s", asked, target)
	}
	mu.Unlock()
	// An internal target through the proxy: judged by the guard on the
	// literal address before any request, so nothing is sent — the only
	// connection this test could ever open is the loopback proxy's, and
	// it must not even see the request.
	_, err := f.Fetch(context.Background(), "http://10.0.0.1/feed", news.FetchState{}, 0, Access{Proxy: proxy.URL})
	var ie *InternalError
	if !errors.As(err, &ie) {
		t.Errorf("an internal address through a proxy: %v, want refused", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 1 {
		t.Errorf("the proxy was asked %v: the refused request reached it", asked)
	}
}
