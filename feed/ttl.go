package feed

import (
	"bytes"
	"strconv"
	"time"
)

// maxTTLScan is how far into a document its channel's <ttl> is looked
// for: the channel's elements come before its items.
const maxTTLScan = 64 << 10

// rssTTL returns how long an RSS channel's <ttl> (minutes) says to cache
// it, 0 when it says nothing: like max-age, a lower bound on the next
// poll (bounded by the politeness limits). Only the channel's own <ttl>,
// before the first <item>, counts.
func rssTTL(body []byte) time.Duration {
	head := body[:min(len(body), maxTTLScan)]
	if i := bytes.Index(head, []byte("<item")); i >= 0 {
		head = head[:i]
	}
	i := bytes.Index(head, []byte("<ttl>"))
	if i < 0 {
		return 0
	}
	rest := head[i+len("<ttl>"):]
	end := bytes.Index(rest, []byte("</ttl>"))
	if end < 0 {
		return 0
	}
	minutes, err := strconv.Atoi(string(bytes.TrimSpace(rest[:end])))
	if err != nil || minutes <= 0 {
		return 0
	}
	return time.Duration(min(minutes, 7*24*60)) * time.Minute
}
