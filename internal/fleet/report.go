package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// report is what one run measured.
type report struct {
	options
	seconds, cpu            float64 // the measured span, and the daemon's CPU-seconds in it
	polls, notModified      int
	itemsNew                int
	itemsBefore, itemsAfter int // stored when the daemon started, and at the end
	durations               []time.Duration
	peakRSS                 int64
	skipped                 int // scheduled polls skipped because the last was still running
}

// The budget a 15-minute schedule is held to: a quarter of this 2-core
// machine.
const (
	schedule15 = 15 * 60.0 // seconds
	budgetCPU  = 0.5       // cores
)

func (r *report) print(w io.Writer) {
	pollsPerSec := float64(r.polls) / r.seconds
	cpuPer1000 := 0.0
	if r.polls > 0 {
		cpuPer1000 = 1000 * r.cpu / float64(r.polls)
	}
	p99 := time.Duration(0)
	if len(r.durations) > 0 {
		slices.Sort(r.durations)
		p99 = r.durations[(len(r.durations)*99)/100]
	}
	need := float64(r.n) / schedule15 // polls per second a 15-minute schedule needs
	fmt.Fprintf(w, "fleet: %d sources, %d entries each, %.0f%% new per poll on half of them, one-minute schedule\n",
		r.n, r.entries, 100*r.newShare)
	fmt.Fprintf(w, "measured %.0fs after the start-up round; store %d items at start, %d at the end\n",
		r.seconds, r.itemsBefore, r.itemsAfter)
	fmt.Fprintf(w, "  polls per second sustained   %8.1f  (%d polls, %d answered 304, %d skipped: previous still running)\n",
		pollsPerSec, r.polls, r.notModified, r.skipped)
	fmt.Fprintf(w, "  CPU-seconds per 1,000 polls  %8.2f  (%.2f cores busy)\n", cpuPer1000, r.cpu/r.seconds)
	fmt.Fprintf(w, "  items stored per second      %8.1f\n", float64(r.itemsNew)/r.seconds)
	fmt.Fprintf(w, "  peak RSS                     %8.1f MB\n", float64(r.peakRSS)/1e6)
	fmt.Fprintf(w, "  p99 poll duration            %8s\n", p99.Round(time.Millisecond))
	fmt.Fprintf(w, "on a 15-minute schedule: %.1f polls/s, %.2f cores (budget %.2f) %s\n",
		need, need*cpuPer1000/1000, budgetCPU, verdict(need*cpuPer1000/1000 <= budgetCPU && pollsPerSec >= need))
}

func verdict(ok bool) string {
	if ok {
		return "within budget"
	}
	return "OVER BUDGET"
}
