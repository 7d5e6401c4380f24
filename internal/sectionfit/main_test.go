package main

import (
	"bytes"
	"os"
	"testing"

	"tributary/eval"
	"tributary/internal/shared"
)

// TestCalibrationReproduced: the calibration the binary embeds
// (topic/confidence.json) is what this tool fits from the data it names,
// byte for byte: a change of the sections' examples or of the scoring
// that is not refitted fails here.
func TestCalibrationReproduced(t *testing.T) {
	days, err := eval.LoadDays(shared.Path(t, "streams/rss-2020.csv.gz"), "../../eval/testdata/judged/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := confidenceFile("../../examples/sections.yaml", days, 0.85)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../topic/confidence.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("topic/confidence.json is not what go run ./internal/sectionfit fits now; refit and review:\n%s", got)
	}
}
