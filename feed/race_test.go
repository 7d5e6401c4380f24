//go:build race

package feed

// raceEnabled: the race detector multiplies memory use several times
// over, so memory is measured only without it.
const raceEnabled = true
