package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// upstream serves the fleet's feeds on loopback: n sources of entries
// documents each. Even sources never change and answer a conditional GET
// with 304; odd ones move on by a share of their entries at every request
// (changed ETag, new entries at the top), as busy outlets do between
// polls. In fresh mode every request gets a document of entries never
// served before, from any source: to fill a store quickly.
type upstream struct {
	n, entries, step int // step: new entries per request of a changing source
	pool             []poolItem
	start            time.Time
	fresh            atomic.Bool

	mu     sync.Mutex
	served []int // requests answered with a document, by source
	base   []int // the source's oldest entry number in fresh mode, by source

	requests, notModified atomic.Int64
}

func newUpstream(n, entries int, newShare float64, pool []poolItem, now time.Time) *upstream {
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

// document renders source i's RSS 2.0 document of entries first to
// first+entries-1, newest first. Entry k's body is a real feed's item
// (the pool); its headline is made up from a Zipf-distributed vocabulary,
// so stories differ, and one entry in ten repeats the neighbouring
// source's headline for the same number, as outlets copy a wire story.
func (u *upstream) document(i, first int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Outlet %d</title><link>http://outlet%d.example/</link><description>Fleet source %d</description>
`, i, i, i)
	for k := first + u.entries - 1; k >= first; k-- {
		src := i
		if k%10 == 0 {
			src = (i + 1) % u.n
		}
		it := u.pool[(i*7+k)%len(u.pool)]
		fmt.Fprintf(&b, "<item><title>%s</title><link>http://outlet%d.example/%d/%d</link><guid isPermaLink=\"false\">%d-%d</guid><pubDate>%s</pubDate>",
			escape(headline(src, k)), i, i, k, i, k, u.published(k).Format(time.RFC1123Z))
		b.WriteString(it.xml)
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// published is entry k's date, the same at every poll (an entry whose
// date moved would be an edit): a day before the fleet started, plus a
// second per entry number, so always in the past and within the window.
func (u *upstream) published(k int) time.Time {
	return u.start.Add(-24*time.Hour + time.Duration(k)*time.Second).UTC().Truncate(time.Second)
}

// headline makes up source src's headline number k: 6 to 11 words of a
// Zipf-distributed vocabulary of 30,000, the same for the same src and k.
func headline(src, k int) string {
	r := rand.New(rand.NewPCG(uint64(src), uint64(k)))
	zipf := rand.NewZipf(r, 1.1, 1, 29_999)
	words := make([]string, 6+r.IntN(6))
	for j := range words {
		words[j] = "w" + strconv.FormatUint(zipf.Uint64(), 10) + "x"
	}
	return strings.Join(words, " ")
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
