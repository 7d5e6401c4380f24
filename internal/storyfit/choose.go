package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"strings"

	"tributary/dedupe"
	"tributary/eval"
)

// chooser fits the weights and chooses the assignment's settings day
// against day: each day clustered with weights fitted on the others.
type chooser struct {
	days      []eval.Day
	exs       [][]example
	precision float64
	verbose   bool
}

// settings are the assignment's thresholds a fit is checked with.
type settings struct {
	threshold, merge float64
	linkage          int
}

// pairCounts are a clustering's pairs of one day without its two largest
// events (which hold most of its pairs and are scored apart): those it
// made, those of one judged event, and those both.
type pairCounts struct {
	made, judged, right float64
}

func (c pairCounts) add(o pairCounts) pairCounts {
	return pairCounts{c.made + o.made, c.judged + o.judged, c.right + o.right}
}

func (c pairCounts) String() string {
	return fmt.Sprintf("pair precision %.3f recall %.3f (%.0f pairs made, %.0f judged)",
		ratio(c.right, c.made), ratio(c.right, c.judged), c.made, c.judged)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 1
	}
	return a / b
}

// fit returns the model: settings chosen for the most recall, on the
// held-out days together, at the precision asked for or more; weights
// fitted on every day.
func (c *chooser) fit() (*dedupe.Model, error) {
	folds := make([][]float64, len(c.days))
	for i := range c.days {
		var train []example
		for j := range c.days {
			if j != i {
				train = append(train, c.exs[j]...)
			}
		}
		folds[i] = fit(train)
	}
	var best settings
	var bestCounts []pairCounts
	bestRecall := -1.0
	// Linkage 1 would let a story grow by resemblance to one member
	// alone (chains: A~B, B~C, A≁C); it is not tried.
	for _, link := range []int{2, 3} {
		for t := 80; t <= 99; t++ {
			for _, merge := range []float64{0.9, 0.95} {
				s := settings{float64(t) / 100, merge, link}
				counts := make([]pairCounts, len(c.days))
				var all pairCounts
				for i := range c.days {
					m, err := model(folds[i], s, "fold")
					if err != nil {
						return nil, err
					}
					if counts[i], err = check(m, c.days[i].Items); err != nil {
						return nil, err
					}
					all = all.add(counts[i])
				}
				if c.verbose {
					log.Printf("%+v: %s", s, all)
				}
				if p, r := ratio(all.right, all.made), ratio(all.right, all.judged); p >= c.precision && r > bestRecall {
					best, bestRecall, bestCounts = s, r, counts
				}
			}
		}
	}
	if bestRecall < 0 {
		return nil, fmt.Errorf("no settings reach pair precision %.2f on the held-out days", c.precision)
	}
	var all []example
	for _, e := range c.exs {
		all = append(all, e...)
	}
	names := make([]string, len(c.days))
	for i, d := range c.days {
		names[i] = d.Name
	}
	fitted := fmt.Sprintf("internal/storyfit: logistic regression (L2 %g) on the comparisons the engine makes deciding the items "+
		"of %s, as they come (../shared/data/streams/rss-2020.csv.gz, judged by reading: "+
		"eval/testdata/judged); settings chosen day against day for the most recall at pair precision %.2f or more "+
		"on the held-out days together, each day's two largest events scored apart", lambda, strings.Join(names, ", "), c.precision)
	m, err := model(fit(all), best, fitted)
	if err != nil {
		return nil, err
	}
	m.Checked = map[string]string{}
	var total pairCounts
	for i, d := range c.days {
		m.Checked[d.Name+", fitted on the other days"] = bestCounts[i].String()
		total = total.add(bestCounts[i])
		log.Printf("%s, fitted on the other days: %s", d.Name, bestCounts[i])
	}
	m.Checked["all days, each fitted on the others"] = total.String()
	log.Printf("chosen %+v: %s", best, total)
	return m, nil
}

// model makes a model of weights (bias first) and settings.
func model(w []float64, s settings, fitted string) (*dedupe.Model, error) {
	m := dedupe.Model{Features: dedupe.FeatureNames(), Weights: roundAll(w[1:]), Bias: round(w[0]),
		Threshold: s.threshold, Merge: s.merge, Linkage: s.linkage, Fitted: fitted}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return dedupe.ParseModel(data)
}

// round keeps a weight to four decimals: the file stays readable, and
// the figures are not more exact than the data.
func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }

func roundAll(ws []float64) []float64 {
	out := make([]float64, len(ws))
	for i, v := range ws {
		out[i] = round(v)
	}
	return out
}

// check clusters a day as the daemon would, with model m, and counts its
// pairs without the day's two largest events.
func check(m *dedupe.Model, items []eval.Labelled) (pairCounts, error) {
	c, err := eval.Cluster(dedupe.Options{Model: m}, items, eval.Order{})
	if err != nil {
		return pairCounts{}, err
	}
	kept, found := eval.Without(items, c.Stories, eval.Largest(items, 2))
	type key struct{ made, judged string }
	made, judged, both := map[string]float64{}, map[string]float64{}, map[key]float64{}
	for i, l := range kept {
		made[found[i]]++
		judged[l.Story]++
		both[key{found[i], l.Story}]++
	}
	var out pairCounts
	pairs := func(n float64) float64 { return n * (n - 1) / 2 }
	for _, n := range made {
		out.made += pairs(n)
	}
	for _, n := range judged {
		out.judged += pairs(n)
	}
	for _, n := range both {
		out.right += pairs(n)
	}
	return out, nil
}
