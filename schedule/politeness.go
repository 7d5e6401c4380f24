package schedule

import (
	"math/rand/v2"
	"time"
)

// Defaults for Politeness.
const (
	DefaultMinInterval = 5 * time.Minute
	DefaultMaxInterval = 24 * time.Hour
	DefaultMaxBackoff  = 24 * time.Hour
)

// Politeness bounds the time between two polls of a source beyond its
// schedule, set from the config (fetch.min_interval, fetch.max_interval,
// fetch.max_backoff): an upstream's "come back later" (Retry-After,
// max-age, Expires, RSS ttl) and the backoff after failures.
type Politeness struct {
	MinInterval time.Duration // an upstream's "come back later" is at least this; default 5m
	MaxInterval time.Duration // and at most this; default 24h
	MaxBackoff  time.Duration // failures back off up to this; default 24h
}

// WithDefaults returns p with each limit not set at its default.
func (p Politeness) WithDefaults() Politeness {
	if p.MinInterval <= 0 {
		p.MinInterval = DefaultMinInterval
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = DefaultMaxInterval
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	return p
}

// Clamp bounds an upstream's requested wait.
func (p Politeness) Clamp(d time.Duration) time.Duration {
	return min(max(d, p.MinInterval), p.MaxInterval)
}

// Backoff is the wait after the n-th consecutive failure: a minute,
// doubled each time, capped, with ±25% jitter so failing sources spread
// out. It is computed from the failure count, which the store keeps, so it
// survives restarts.
func (p Politeness) Backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 20)
	d = min(d, p.MaxBackoff)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}
