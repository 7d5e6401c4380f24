package cli

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestGCPercent: a quarter of the live heap as headroom, at least
// gcFloor, GOGC between 25 and 400.
func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{2 << 20, 400},  // 16 MiB over 2 MiB would be 800
		{16 << 20, 100}, // the floor: 16 MiB of headroom
		{128 << 20, 25}, // a quarter
		{1 << 30, 25},   // a quarter
		{48 << 20, 33},  // 16 of 48
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
