//go:build race

package main

// raceDetector: the race detector slows the fit tenfold and finds
// nothing in it (one goroutine); the runs without it reproduce the model.
const raceDetector = true
