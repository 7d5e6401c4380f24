package cli

import (
	"context"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
)

// The daemon's collector is tuned to its live heap, unless GOGC is set.
// Most of a big heap is long-lived (the dedupe index, the render caches):
// the default GOGC=100 lets it grow to twice that before collecting, so
// headroom is kept at a quarter of the live heap (GOGC=25: at 1,000
// sources about 40 MB less resident memory than the default, for GC work
// that stays a few percent of the daemon's CPU). A small heap gets at
// least gcFloor of headroom, or the collector would run hundreds of times
// a second under a burst of feed readers (README, "Capacity").
const gcFloor = 16 << 20 // the least headroom, in bytes

// gcPercent returns the GOGC for a live heap of live bytes: headroom of a
// quarter of it, and at least gcFloor, at most 4× it.
func gcPercent(live uint64) int {
	if live == 0 {
		return 400
	}
	headroom := max(live/4, gcFloor)
	return int(min(400, max(25, 100*headroom/live)))
}

// tuneGC sets the collector's target from the live heap after every
// collection until ctx ends: a heap that grows fast (the dedupe index
// rebuilt at start) is followed cycle by cycle, not a tick late.
func tuneGC(ctx context.Context) {
	sample := []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		rtmetrics.Read(sample)
		if sample[0].Value.Kind() == rtmetrics.KindUint64 {
			debug.SetGCPercent(gcPercent(sample[0].Value.Uint64()))
		}
	}
	set()
	// A sentinel no one holds is collected at the next cycle; its
	// finalizer sets the target and arms the next sentinel.
	type sentinel struct{ _ *byte }
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
			if ctx.Err() == nil {
				set()
				arm()
			}
		})
	}
	arm()
	<-ctx.Done()
}
