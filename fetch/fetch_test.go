package fetch

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"code.dny.dev/ssrf"

	"tributary/news"
)

func TestFetchConditionalGzip(t *testing.T) {
	var gotUA, gotINM, gotIMS, gotAE string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotINM, gotIMS, gotAE = r.UserAgent(), r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since"), r.Header.Get("Accept-Encoding")
		if gotINM == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Fri, 27 Nov 2026 08:00:00 GMT")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("<rss/>"))
		zw.Close()
	}))
	defer srv.Close()
	f := New(Options{UserAgent: "tributary/test (+https://example.com)", MaxBody: 1 << 20})

	resp, err := f.Fetch(context.Background(), srv.URL, news.FetchState{}, time.Second, Access{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<rss/>" || resp.ETag != `"v1"` || resp.LastModified == "" {
		t.Errorf("first fetch = %+v", resp)
	}
	if gotUA != "tributary/test (+https://example.com)" || gotAE != "gzip, deflate" {
		t.Errorf("User-Agent %q, Accept-Encoding %q", gotUA, gotAE)
	}

	st := news.FetchState{ETag: resp.ETag, LastModified: resp.LastModified}
	resp, err = f.Fetch(context.Background(), srv.URL, st, time.Second, Access{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.NotModified || resp.ETag != `"v1"` || resp.LastModified != st.LastModified {
		t.Errorf("second fetch = %+v, want 304 keeping the validators", resp)
	}
	if gotINM != `"v1"` || gotIMS != st.LastModified {
		t.Errorf("validators sent: If-None-Match %q, If-Modified-Since %q", gotINM, gotIMS)
	}
}

func TestFetchErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat("x", 2048))) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(make([]byte, 1<<20)) // 1 MiB of zeros, a few KiB on the wire
		zw.Close()
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		for range 100 {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := New(Options{UserAgent: "t", MaxBody: 1024})

	tests := []struct {
		path    string
		timeout time.Duration
		check   func(error) bool
		want    string
	}{
		{"/500", time.Second, func(err error) bool { var se *StatusError; return errors.As(err, &se) && se.Code == 500 }, "500 Internal Server Error"},
		{"/big", time.Second, func(err error) bool { return errors.Is(err, ErrTooLarge) }, "more than 1024 bytes"},
		{"/bomb", time.Second, func(err error) bool { return errors.Is(err, ErrTooLarge) }, "body too large"},
		{"/slow", 200 * time.Millisecond, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), srv.URL+tt.path, news.FetchState{}, tt.timeout, Access{Private: true})
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestFetchFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.xml")
	if err := os.WriteFile(path, []byte("<rss/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := New(Options{UserAgent: "t", MaxBody: 1024})
	resp, err := f.Fetch(context.Background(), "file://"+path, news.FetchState{}, time.Second, Access{Private: true})
	if err != nil || string(resp.Body) != "<rss/>" || resp.LastModified == "" {
		t.Fatalf("file fetch = %+v, %v", resp, err)
	}
	resp, err = f.Fetch(context.Background(), "file://"+path, news.FetchState{LastModified: resp.LastModified}, time.Second, Access{Private: true})
	if err != nil || !resp.NotModified {
		t.Errorf("unchanged file = %+v, %v; want not modified", resp, err)
	}
	if _, err := f.Fetch(context.Background(), "file:///nonexistent/feed.xml", news.FetchState{}, time.Second, Access{Private: true}); err == nil {
		t.Error("missing file: no error")
	}
}

// TestSSRFGuard: a public source (allowPrivate false) cannot reach internal
// addresses, directly or through a redirect. The test's upstream runs on
// 127.0.0.1, so the guard is the default one with 127.0.0.1 let through,
// standing in for a public address.
func TestSSRFGuard(t *testing.T) {
	internal := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<rss/>"))
	}))
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 on this machine: %v", err)
	}
	internal.Listener = ln
	internal.Start()
	defer internal.Close()
	mux := http.NewServeMux()
	mux.Handle("/to-loopback", http.RedirectHandler(internal.URL+"/feed", http.StatusFound))
	mux.Handle("/to-metadata", http.RedirectHandler("http://169.254.169.254/latest/meta-data/", http.StatusFound))
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<rss/>")) })
	public := httptest.NewServer(mux)
	defer public.Close()

	standIn := ssrf.New(ssrf.WithAnyPort(), ssrf.WithAllowedV4Prefixes(netip.MustParsePrefix("127.0.0.1/32"))).Safe
	guard := func(network, address string, c syscall.RawConn) error {
		if err := standIn(network, address, c); err != nil {
			return err
		}
		if ap, err := netip.ParseAddrPort(address); err != nil || !ap.Addr().IsLoopback() {
			return errors.New("test: no packet leaves loopback")
		}
		return nil
	}
	f := New(Options{UserAgent: "t", MaxBody: 1 << 20, Guard: guard})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, public.URL+"/feed", news.FetchState{}, 2*time.Second, Access{}); err != nil {
		t.Fatalf("the public upstream itself: %v", err)
	}
	for _, u := range []string{public.URL + "/to-loopback", public.URL + "/to-metadata", internal.URL + "/feed"} {
		_, err := f.Fetch(ctx, u, news.FetchState{}, 2*time.Second, Access{})
		if err == nil || !strings.Contains(err.Error(), "is an internal address") {
			t.Errorf("%s: err = %v, want the address refused", u, err)
		}
	}
	// The operator's explicit choice: the source may reach internal addresses.
	if _, err := f.Fetch(ctx, public.URL+"/to-loopback", news.FetchState{}, 2*time.Second, Access{Private: true}); err != nil {
		t.Errorf("allow_private: %v", err)
	}
}

func TestFetchFiftyMegabytes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for range 50 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	f := New(Options{UserAgent: "t", MaxBody: 10 << 20})
	_, err := f.Fetch(context.Background(), srv.URL, news.FetchState{}, 10*time.Second, Access{Private: true})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 10485760 bytes") {
		t.Errorf("50 MB body: %v", err)
	}
}

func TestNamesInternal(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/feed":   true,
		"http://localhost/feed":        true,
		"http://10.1.2.3/feed":         true,
		"http://[::1]/feed":            true,
		"http://100.64.0.1/feed":       true,
		"https://feeds.bbci.co.uk/rss": false,
		"http://93.184.216.34/":        false,
	} {
		if got := namesInternal(u); got != want {
			t.Errorf("namesInternal(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestFetchDeflate(t *testing.T) {
	for _, raw := range []bool{false, true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "deflate")
			var zw io.WriteCloser
			if raw {
				zw, _ = flate.NewWriter(w, flate.DefaultCompression)
			} else {
				zw = zlib.NewWriter(w)
			}
			zw.Write([]byte("<rss>deflated</rss>"))
			zw.Close()
		}))
		f := New(Options{UserAgent: "t", MaxBody: 1 << 20})
		resp, err := f.Fetch(context.Background(), srv.URL, news.FetchState{}, time.Second, Access{Private: true})
		srv.Close()
		if err != nil || string(resp.Body) != "<rss>deflated</rss>" {
			t.Errorf("deflate (raw %v): %+v, %v", raw, resp, err)
		}
	}
}

const tinyFeed = `<rss version="2.0"><channel><title>t</title></channel></rss>`

// TestNamedInternalSourceGuardsHops: a source whose URL names an internal
// address may reach exactly that host and port; every redirect hop to any
// other internal address is refused with a clear error. Addresses beyond
// loopback are judged by the real guard and then never dialled: the
// test's guard records the decision and refuses the connect itself.
func TestNamedInternalSourceGuardsHops(t *testing.T) {
	var metricsHits atomic.Int32
	metrics := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		metricsHits.Add(1)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write([]byte("go_goroutines 7\n"))
	}))
	defer metrics.Close()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 on this machine: %v", err)
	}
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tinyFeed)) }))
	other.Listener = ln
	other.Start()
	defer other.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(tinyFeed)) })
	mux.Handle("/moved", http.RedirectHandler("/feed", http.StatusFound))
	mux.Handle("/to-other-loopback", http.RedirectHandler(other.URL+"/feed", http.StatusFound))
	mux.Handle("/to-metrics", http.RedirectHandler(metrics.URL+"/metrics", http.StatusFound))
	mux.Handle("/to-metadata", http.RedirectHandler("http://169.254.169.254/latest/meta-data/", http.StatusFound))
	mux.Handle("/to-private", http.RedirectHandler("http://10.0.0.1:8080/feed.xml", http.StatusFound))
	named := httptest.NewServer(mux)
	defer named.Close()

	var mu sync.Mutex
	decisions := map[string]error{}
	real := DefaultGuard()
	guard := func(network, address string, c syscall.RawConn) error {
		err := real(network, address, c)
		mu.Lock()
		decisions[address] = err
		mu.Unlock()
		if ap, perr := netip.ParseAddrPort(address); perr != nil || !ap.Addr().IsLoopback() {
			return errors.New("test: no packet leaves loopback")
		}
		return err
	}
	f := New(Options{UserAgent: "t", MaxBody: 1 << 20, Guard: guard})
	ctx := context.Background()
	access := AccessFor(news.Source{URL: named.URL + "/feed"})
	if access.Named == "" || access.Private {
		t.Fatalf("AccessFor(%s) = %+v, want the named host:port only", named.URL, access)
	}
	for _, path := range []string{"/feed", "/moved"} {
		if _, err := f.Fetch(ctx, named.URL+path, news.FetchState{}, 2*time.Second, access); err != nil {
			t.Errorf("%s on the configured host and port: %v", path, err)
		}
	}
	for _, tt := range []struct{ path, want string }{
		{"/to-other-loopback", "redirect to " + other.URL + "/feed refused: " + strings.TrimPrefix(other.URL, "http://") + " is an internal address"},
		{"/to-metrics", "redirect to " + metrics.URL + "/metrics refused: " + strings.TrimPrefix(metrics.URL, "http://") + " is an internal address"},
	} {
		_, err := f.Fetch(ctx, named.URL+tt.path, news.FetchState{}, 2*time.Second, access)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.path, err, tt.want)
		}
	}
	if metricsHits.Load() != 0 {
		t.Errorf("the metrics stand-in was fetched %d times", metricsHits.Load())
	}
	for _, tt := range []struct{ path, addr string }{
		{"/to-metadata", "169.254.169.254:80"},
		{"/to-private", "10.0.0.1:8080"},
	} {
		_, err := f.Fetch(ctx, named.URL+tt.path, news.FetchState{}, 2*time.Second, access)
		mu.Lock()
		decision, asked := decisions[tt.addr]
		mu.Unlock()
		if !asked || decision == nil {
			t.Errorf("%s: the guard was asked %v about %s and said %v; want it asked and refusing", tt.path, asked, tt.addr, decision)
		}
		if err == nil {
			t.Errorf("%s: fetched", tt.path)
		}
	}
	// The named address stays the named source's: a public source that
	// redirects there is refused, though a connection to it is pooled.
	pub := httptest.NewServer(http.RedirectHandler(named.URL+"/feed", http.StatusFound))
	defer pub.Close()
	publicOnly := func(network, address string, c syscall.RawConn) error {
		if address == strings.TrimPrefix(pub.URL, "http://") {
			return nil // the public upstream's stand-in
		}
		return guard(network, address, c)
	}
	f2 := New(Options{UserAgent: "t", MaxBody: 1 << 20, Guard: publicOnly})
	if _, err := f2.Fetch(ctx, named.URL+"/feed", news.FetchState{}, 2*time.Second, access); err != nil {
		t.Fatal(err)
	}
	_, err = f2.Fetch(ctx, pub.URL, news.FetchState{}, 2*time.Second, Access{})
	if err == nil || !strings.Contains(err.Error(), "redirect to "+named.URL+"/feed refused") {
		t.Errorf("public source redirecting to the named address: err = %v", err)
	}
}
