package fetch

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
)

// limiter bounds fetches at once, in all and per host, so that polite
// per-host limits hold whatever the schedule fires together.
type limiter struct {
	slots chan struct{} // fetches at once, in all

	mu      sync.Mutex
	perHost int
	hosts   map[string]chan struct{} // fetches at once, per host
}

func newLimiter(concurrency, perHost int) *limiter {
	return &limiter{slots: make(chan struct{}, concurrency), perHost: perHost, hosts: map[string]chan struct{}{}}
}

// acquire takes a global and a per-host fetch slot; release gives both back.
func (l *limiter) acquire(ctx context.Context, rawURL string) (release func(), err error) {
	host := hostOf(rawURL)
	l.mu.Lock()
	hs := l.hosts[host]
	if hs == nil {
		hs = make(chan struct{}, l.perHost)
		l.hosts[host] = hs
	}
	l.mu.Unlock()
	select {
	case hs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		<-hs
		return nil, ctx.Err()
	}
	return func() { <-l.slots; <-hs }, nil
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
