package cli

import "time"

// fixed is a clock stopped at now.
func fixed(now time.Time) func() time.Time { return func() time.Time { return now } }
