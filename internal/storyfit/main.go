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
// positive when both items are of one judged event. Each day is replayed
// twice, the second time with headlines only, so the decision is fitted
// for feeds that carry no summary too.
//
//	go run ./internal/storyfit            # fit, check day against day, write dedupe/model.json
//	go run ./internal/storyfit -dry       # fit and check, write nothing
//	go run ./internal/storyfit -dump F    # write the training pairs (ids, features) to F
//
// The run is deterministic: the same data gives the same file.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"tributary/dedupe"
	"tributary/eval"
)

// day is one judged day's items.
type day struct {
	name  string
	items []eval.Labelled
}

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
	days, err := load(*stream, *judged)
	if err != nil {
		log.Fatal(err)
	}
	exs := make([][]example, len(days))
	for i, d := range days {
		if exs[i], err = examples(d.items); err != nil {
			log.Fatal(err)
		}
		pos := 0
		for _, e := range exs[i] {
			if e.same {
				pos++
			}
		}
		log.Printf("%s: %d items, %d comparisons, %d of one event", d.name, len(d.items), len(exs[i]), pos)
	}
	if *dump != "" {
		if err := dumpExamples(*dump, exs); err != nil {
			log.Fatal(err)
		}
		return
	}
	c := chooser{days: days, exs: exs, precision: *precision, verbose: *verbose}
	m, err := c.fit()
	if err != nil {
		log.Fatal(err)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := dedupe.ParseModel(data); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", data)
	if !*dry {
		if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// load reads the stream and keeps, per judged day, its judged items.
func load(stream, glob string) ([]day, error) {
	f, err := os.Open(stream)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stream, err)
	}
	items, err := eval.ReadStories(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stream, err)
	}
	paths, err := filepath.Glob(glob)
	if err != nil || len(paths) < 2 {
		return nil, fmt.Errorf("need two judged days or more at %s", glob)
	}
	sort.Strings(paths)
	var days []day
	for _, p := range paths {
		jf, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		j, err := eval.ReadJudged(jf)
		jf.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		days = append(days, day{name: strings.TrimSuffix(filepath.Base(p), ".csv"), items: eval.Judge(items, j)})
	}
	return days, nil
}
