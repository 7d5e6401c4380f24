// Command storyfit fits the story engine's decision (dedupe.Model): a
// logistic regression over the pair features (dedupe.Features) of items
// of days of real RSS that people judged by reading, and the thresholds
// the assignment applies, chosen day against day. It writes
// dedupe/model.json, the reviewed file the binary embeds.
//
// Data: the items of ../shared/data/streams/rss-2020.csv.gz (evaluation
// only: it is read beside the project, never copied into it) that
// eval/testdata/judged/*.csv label with an event by id. The pairs are the
// comparisons the engine makes as it decides a day's items in the order
// the daemon meets them, with the features it reads then; a pair is
// positive when both items are of one judged event.
//
//	go run ./internal/storyfit            # fit, check day against day, write dedupe/model.json
//	go run ./internal/storyfit -dry       # fit and check, write nothing
//	go run ./internal/storyfit -dump F    # write the training pairs (ids, features) to F
//
// The run is deterministic: the same data gives the same file.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"

	"tributary/dedupe"
	"tributary/eval"
)

func main() {
	stream := flag.String("stream", "../shared/data/streams/rss-2020.csv.gz", "the RSS stream (CSV, gzip)")
	judged := flag.String("judged", "eval/testdata/judged/*.csv", "the judged days (id, event, section), a glob")
	out := flag.String("out", "dedupe/model.json", "where to write the model")
	dry := flag.Bool("dry", false, "fit and check, write nothing")
	precision := flag.Float64("precision", 0.90, "the pair precision the held-out days must reach together")
	verbose := flag.Bool("v", false, "log every setting tried")
	dump := flag.String("dump", "", "write every training pair (ids, features, judgement) to this TSV `file` and stop")
	flag.Parse()
	log.SetFlags(0)
	days, err := eval.LoadDays(*stream, *judged)
	if err != nil {
		log.Fatal(err)
	}
	if len(days) < 2 {
		log.Fatal("need two judged days or more: the settings are chosen day against day")
	}
	exs := make([][]example, len(days))
	for i, d := range days {
		if exs[i], err = examples(d.Items); err != nil {
			log.Fatal(err)
		}
		pos := 0
		for _, e := range exs[i] {
			if e.same {
				pos++
			}
		}
		log.Printf("%s: %d items, %d comparisons, %d of one event", d.Name, len(d.Items), len(exs[i]), pos)
	}
	if *dump != "" {
		if err := dumpExamples(*dump, exs); err != nil {
			log.Fatal(err)
		}
		return
	}
	data, err := modelFile(days, exs, *precision, *verbose)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s", data)
	if !*dry {
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// modelFile fits the model on the days' examples and returns the file
// the binary embeds (dedupe/model.json), byte for byte.
func modelFile(days []eval.Day, exs [][]example, precision float64, verbose bool) ([]byte, error) {
	c := chooser{days: days, exs: exs, precision: precision, verbose: verbose}
	m, err := c.fit()
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := dedupe.ParseModel(data); err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
