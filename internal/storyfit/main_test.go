package main

import (
	"bytes"
	"os"
	"testing"

	"tributary/eval"
	"tributary/internal/shared"
)

// TestModelReproduced: the story decision the binary embeds
// (dedupe/model.json) is what this tool fits from the data it names, byte
// for byte: a change of the engine's features, or of the judged days,
// that is not refitted fails here.
func TestModelReproduced(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("fits the model (about 20 s; minutes under the race detector, which the runs without it make up for)")
	}
	days, err := eval.LoadDays(shared.Path(t, "streams/rss-2020.csv.gz"), "../../eval/testdata/judged/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	exs := make([][]example, len(days))
	for i, d := range days {
		if exs[i], err = examples(d.Items); err != nil {
			t.Fatal(err)
		}
	}
	got, err := modelFile(days, exs, 0.90, false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../dedupe/model.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("dedupe/model.json is not what go run ./internal/storyfit fits now; refit and review:\n%s", got)
	}
}
