package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tributary/internal/feedgen"
)

// upstream serves the fleet's feeds on loopback: n sources of entries
// documents each. Even sources never change and answer a conditional GET
// with 304; odd ones move on by a share of their entries at every request
// (changed ETag, new entries at the top), as busy outlets do between
// polls. Documents come from feedgen. In fresh mode every request gets a document of entries never
// served before, from any source: to fill a store quickly.
type upstream struct {
	n, entries, step int // step: new entries per request of a changing source
	pool             feedgen.Pool
	start            time.Time
	fresh            atomic.Bool

	mu     sync.Mutex
	served []int // requests answered with a document, by source
	base   []int // the source's oldest entry number in fresh mode, by source

	requests, notModified atomic.Int64
}

func newUpstream(n, entries int, newShare float64, pool feedgen.Pool, now time.Time) *upstream {
	return &upstream{n: n, entries: entries, step: max(1, int(float64(entries)*newShare+0.5)), pool: pool,
		start: now, served: make([]int, n), base: make([]int, n)}
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.requests.Add(1)
	name, ok := strings.CutPrefix(r.URL.Path, "/feed/")
	name, ok2 := strings.CutSuffix(name, ".xml")
	i, err := strconv.Atoi(name)
	if !ok || !ok2 || err != nil || i < 0 || i >= u.n {
		http.NotFound(w, r)
		return
	}
	first, etag := u.window(i, r.Header.Get("If-None-Match"))
	if first < 0 {
		u.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", etag)
	w.Write(u.document(i, first))
}

// window returns the number of the oldest entry source i serves now and
// the document's ETag, or -1 when the client holds it already.
func (u *upstream) window(i int, ifNoneMatch string) (int, string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.fresh.Load() {
		first := u.base[i]
		u.base[i] += u.entries
		return first, fmt.Sprintf(`"f%d-%d"`, i, first)
	}
	if i%2 == 0 { // never changes
		etag := fmt.Sprintf(`"s%d-%d"`, i, u.base[i])
		if ifNoneMatch == etag {
			return -1, ""
		}
		return u.base[i], etag
	}
	first := u.base[i] + u.served[i]*u.step
	u.served[i]++
	return first, fmt.Sprintf(`"c%d-%d"`, i, first)
}

// document renders source i's document of entries first onwards.
func (u *upstream) document(i, first int) []byte {
	return u.pool.Document(i, u.n, first, u.entries, u.start)
}
