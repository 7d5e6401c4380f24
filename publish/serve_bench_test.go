package publish

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that keeps nothing, so the benchmark
// measures the handler, not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkServe is the handler's own cost for one feed document: plain,
// gzipped, and a 304 to If-None-Match (scripts/bench-serve measures the
// whole daemon against a bare http.ServeContent).
func BenchmarkServe(b *testing.B) {
	h := newTestPublisher(b, fixture()).Handler()
	etag := get(b, h, "GET", "/feeds/ukraine.rss", nil).Header.Get("ETag")
	for _, c := range []struct {
		name string
		hdr  map[string]string
	}{
		{"plain", nil},
		{"gzip", map[string]string{"Accept-Encoding": "gzip"}},
		{"304", map[string]string{"If-None-Match": etag}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/feeds/ukraine.rss", nil)
			for k, v := range c.hdr {
				r.Header.Set(k, v)
			}
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}
