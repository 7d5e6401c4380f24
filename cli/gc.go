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
// headroom is kept at half the live heap (GOGC=50: a third less memory at
// 1,000 sources, for some 10% more GC work). A small heap gets at least
// gcFloor of headroom, or the collector would run hundreds of times a
// second under a burst of feed readers (README, "Capacity").
const gcFloor = 32 << 20 // the least headroom, in bytes

// gcPercent returns the GOGC for a live heap of live bytes: headroom of
// half of it, and at least gcFloor, at most 4× it.
func gcPercent(live uint64) int {
	if live == 0 {
		return 400
	}
	headroom := max(live/2, gcFloor)
	return int(min(400, max(50, 100*headroom/live)))
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
