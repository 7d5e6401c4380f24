// Command sectionfit fits the calibration of decisions by example
// (topic.Confidence): how likely an item's best topic by example is
// right, from the evidence of its score (topic.Evidence), and the
// confidence an item must reach to be filed, chosen day against day. It
// writes topic/confidence.json, the reviewed file the binary embeds.
//
// Data: the items of ../shared/data/streams/rss-2020.csv.gz (evaluation
// only: read beside the project, never copied into it) that
// eval/testdata/judged/*.csv label with a section by id ("none" for no
// section), filed by the sections of examples/sections.yaml (the
// project's own words). An example is an item some section claims by
// score; it is positive when that is the item's judged section. The
// model reads four numbers, no words: what ships holds no third-party
// text.
//
//	go run ./internal/sectionfit          # fit, check day against day, write topic/confidence.json
//	go run ./internal/sectionfit -dry     # fit and check, write nothing
//
// The run is deterministic: the same data gives the same file.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"tributary/config"
	"tributary/eval"
	"tributary/internal/logit"
	"tributary/text"
	"tributary/topic"
)

// lambda is the L2 penalty of the fit.
const lambda = 1e-2

func main() {
	stream := flag.String("stream", "../shared/data/streams/rss-2020.csv.gz", "the RSS stream (CSV, gzip)")
	judged := flag.String("judged", "eval/testdata/judged/*.csv", "the judged days (id, event, section), a glob")
	sections := flag.String("sections", "examples/sections.yaml", "the topics by example to calibrate")
	out := flag.String("out", "topic/confidence.json", "where to write the calibration")
	dry := flag.Bool("dry", false, "fit and check, write nothing")
	precision := flag.Float64("precision", 0.85, "the precision over filed items the held-out days must reach together")
	flag.Parse()
	log.SetFlags(0)
	days, err := eval.LoadDays(*stream, *judged)
	if err != nil {
		log.Fatal(err)
	}
	if len(days) < 2 {
		log.Fatal("need two judged days or more: the threshold is chosen day against day")
	}
	data, err := confidenceFile(*sections, days, *precision)
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

// confidenceFile fits the calibration of the sections at path on the
// days and returns the file the binary embeds (topic/confidence.json),
// byte for byte.
func confidenceFile(path string, days []eval.Day, precision float64) ([]byte, error) {
	f, err := newFitter(path, days)
	if err != nil {
		return nil, err
	}
	c, err := f.fit(precision)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// fitter holds the judged days and the sections that file them.
type fitter struct {
	days     []eval.Day
	topics   []config.Topic
	lex      *topic.Lexicon
	labels   map[string]string // topic -> label: each section is its own
	examples [][]example       // by day
}

// example is one item a section claims by score: the evidence and
// whether the claim is right.
type example struct {
	x     []float64
	right bool
}

func newFitter(path string, days []eval.Day) (*fitter, error) {
	topics, err := config.LoadTopics(path)
	if err != nil {
		return nil, err
	}
	bg, err := text.BuiltinBackground()
	if err != nil {
		return nil, err
	}
	lex, err := topic.NewLexicon(bg)
	if err != nil {
		return nil, err
	}
	f := &fitter{days: days, topics: topics, lex: lex, labels: map[string]string{}}
	for _, t := range topics {
		f.labels[t.Name] = t.Name
	}
	raw, err := f.set(nil)
	if err != nil {
		return nil, err
	}
	for _, d := range days {
		var exs []example
		for _, it := range eval.Sections(d.Items) {
			for _, dec := range raw.Decide(it.Item()) {
				if dec.In && dec.Rule == "" && dec.ByScore {
					exs = append(exs, example{x: dec.Evidence.Vector(), right: dec.Topic == it.Label})
				}
			}
		}
		log.Printf("%s: %d items, %d claimed by a section", d.Name, len(d.Items), len(exs))
		f.examples = append(f.examples, exs)
	}
	return f, nil
}

// set builds the sections calibrated by c (nil: every claim is sure).
func (f *fitter) set(c *topic.Confidence) (topic.Set, error) {
	lex := f.lex.WithConfidence(c)
	var s topic.Set
	for _, t := range f.topics {
		tp, err := topic.New(t.Name, t.Title, t.Rules(), lex)
		if err != nil {
			return nil, fmt.Errorf("topic %s: %w", t.Name, err)
		}
		s = append(s, tp)
	}
	return s, nil
}

// weights fits the calibration's weights (bias first) on examples.
func weights(exs []example) []float64 {
	xs := make([][]float64, len(exs))
	ys := make([]bool, len(exs))
	for i, e := range exs {
		xs[i], ys[i] = e.x, e.right
	}
	return logit.Fit(xs, ys, lambda)
}

// calibration makes a Confidence of weights w and threshold t.
func calibration(w []float64, t float64, fitted string) *topic.Confidence {
	return &topic.Confidence{Features: topic.EvidenceNames(), Weights: round(w[1:]), Bias: round(w[:1])[0], Threshold: t, Fitted: fitted}
}

// fit fits a model per day on the other days, chooses the threshold
// with the best macro-F1 over the held-out days together among those
// whose precision over filed items reaches precision, and fits the
// shipped weights on every day.
func (f *fitter) fit(precision float64) (*topic.Confidence, error) {
	folds := make([][]float64, len(f.days))
	for i := range f.days {
		var train []example
		for j, exs := range f.examples {
			if j != i {
				train = append(train, exs...)
			}
		}
		folds[i] = weights(train)
	}
	best, bestF1 := 0.0, -1.0
	var bestDays []tally
	for t := 30; t <= 95; t += 5 {
		th := float64(t) / 100
		var all tally
		per := make([]tally, len(f.days))
		for i, d := range f.days {
			set, err := f.set(calibration(folds[i], th, "fold"))
			if err != nil {
				return nil, err
			}
			per[i] = count(eval.ScoreTopics(eval.Sections(d.Items), set, f.labels), f.labels)
			all = all.add(per[i])
		}
		log.Printf("threshold %.2f: %s", th, all)
		if all.precision() >= precision && all.macroF1() > bestF1 {
			best, bestF1, bestDays = th, all.macroF1(), per
		}
	}
	if bestF1 < 0 {
		return nil, fmt.Errorf("no threshold reaches precision %.2f over filed items on the held-out days", precision)
	}
	var all []example
	names := make([]string, len(f.days))
	for i, exs := range f.examples {
		all = append(all, exs...)
		names[i] = f.days[i].Name
	}
	fitted := fmt.Sprintf("internal/sectionfit: logistic regression (L2 %g) on the items the sections of examples/sections.yaml "+
		"claim by score on %s (../shared/data/streams/rss-2020.csv.gz, sections judged by reading: eval/testdata/judged), "+
		"right when the claim is the judged section; threshold chosen day against day for the best macro-F1 at precision "+
		"%.2f or more over filed items on the held-out days together", lambda, strings.Join(names, ", "), precision)
	c := calibration(weights(all), best, fitted)
	c.Checked = map[string]string{}
	var total tally
	for i, d := range f.days {
		c.Checked[d.Name+", fitted on the other days"] = bestDays[i].String()
		total = total.add(bestDays[i])
	}
	c.Checked["all days, each fitted on the others"] = total.String()
	log.Printf("chosen %.2f: %s", best, total)
	return c, nil
}
