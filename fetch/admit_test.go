package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"tributary/news"
)

// TestAdmitHoldsTheSlot: a fetched body waits for admission in its fetch
// slot, so with one slot the next fetch does not start until the first
// body is let in; Release gives admission back.
func TestAdmitHoldsTheSlot(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		io.WriteString(w, "<rss/>")
	}))
	defer srv.Close()
	f := New(Options{UserAgent: "t", MaxBody: 1024, Concurrency: 1, PerHost: 1})
	gate := make(chan struct{})
	var sizes, released atomic.Int32
	admit := func(ctx context.Context, size int) (func(), error) {
		sizes.Add(int32(size))
		if sizes.Load() == int32(len("<rss/>")) { // the first body waits at the gate
			<-gate
		}
		return func() { released.Add(1) }, nil
	}
	first := make(chan *Response)
	go func() {
		resp, err := f.FetchAdmitted(context.Background(), srv.URL, news.FetchState{}, time.Second, Access{Private: true}, admit)
		if err != nil {
			t.Error(err)
		}
		first <- resp
	}()
	for requests.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan *Response)
	go func() {
		resp, err := f.FetchAdmitted(context.Background(), srv.URL, news.FetchState{}, time.Second, Access{Private: true}, admit)
		if err != nil {
			t.Error(err)
		}
		second <- resp
	}()
	time.Sleep(50 * time.Millisecond) // time enough for the second request, were its slot free
	if n := requests.Load(); n != 1 {
		t.Fatalf("%d requests while the first body waits for admission, want 1", n)
	}
	close(gate)
	r1, r2 := <-first, <-second
	if requests.Load() != 2 || string(r1.Body) != "<rss/>" || string(r2.Body) != "<rss/>" {
		t.Fatalf("after admission: %d requests", requests.Load())
	}
	r1.Release()
	r1.Release() // once only
	r2.Release()
	if n := released.Load(); n != 2 {
		t.Errorf("released %d times, want 2", n)
	}
}
