//go:build race

package aggregator

// raceEnabled: the race detector multiplies memory use several times
// over, so memory is measured only without it.
const raceEnabled = true
