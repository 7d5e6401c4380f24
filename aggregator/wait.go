package aggregator

import (
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Politeness bounds, set from the config (fetch.min_interval,
// fetch.max_interval, fetch.max_backoff).
type Politeness struct {
	MinInterval time.Duration // an upstream's "come back later" is at least this; default 5m
	MaxInterval time.Duration // and at most this; default 24h
	MaxBackoff  time.Duration // failures back off up to this; default 24h
}

func (p Politeness) withDefaults() Politeness {
	if p.MinInterval <= 0 {
		p.MinInterval = 5 * time.Minute
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = 24 * time.Hour
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = 24 * time.Hour
	}
	return p
}

// clamp bounds an upstream's requested wait.
func (p Politeness) clamp(d time.Duration) time.Duration {
	return min(max(d, p.MinInterval), p.MaxInterval)
}

// backoff is the wait after the n-th consecutive failure: a minute,
// doubled each time, capped, with ±25% jitter so failing sources spread
// out. It is computed from the failure count, which the store keeps, so it
// survives restarts.
func (p Politeness) backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 20)
	d = min(d, p.MaxBackoff)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// freshFor reads how long a response says it stays fresh: Cache-Control
// max-age, else Expires.
func freshFor(h http.Header, now time.Time) (time.Duration, bool) {
	for _, part := range strings.Split(h.Get("Cache-Control"), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(k, "max-age") {
			if secs, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && secs >= 0 {
				return time.Duration(secs) * time.Second, true
			}
		}
	}
	if e := h.Get("Expires"); e != "" {
		if t, err := http.ParseTime(e); err == nil {
			return t.Sub(now), true
		}
	}
	return 0, false
}

// hostOf is the per-host concurrency key of a URL.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if h, _, err := net.SplitHostPort(u.Host); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(u.Host)
}
