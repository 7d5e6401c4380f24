package cli

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestGCPercent: half the live heap as headroom, at least gcFloor, GOGC
// between 50 and 400.
func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{4 << 20, 400},  // 32 MiB over 4 MiB would be 800
		{16 << 20, 200}, // the floor: 32 MiB of headroom
		{64 << 20, 50},  // half
		{1 << 30, 50},   // half
		{48 << 20, 66},  // 32 of 48
	} {
		if got := gcPercent(tt.live); got != tt.want {
			t.Errorf("gcPercent(%d MiB) = %d, want %d", tt.live>>20, got, tt.want)
		}
	}
}

// TestTuneGC: after a collection the target follows the live heap (a test
// binary's is small: the most headroom), and stays once ctx ends.
func TestTuneGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tuneGC(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if p := debug.SetGCPercent(100); p == 400 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("GOGC still %d after collections, want 400 for a small heap", p)
		}
	}
	cancel()
	<-done
}
