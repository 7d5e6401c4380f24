package cli

import (
	"sync"
	"time"
)

// fixed is a clock stopped at now.
func fixed(now time.Time) func() time.Time { return func() time.Time { return now } }

// clock is a clock a test moves on by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
