package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"tributary/dedupe"
	"tributary/eval"
)

// readStories reads -stories, labelled by -judged when given.
func readStories(f evalFlags) ([]eval.Labelled, error) {
	var items []eval.Labelled
	err := readLabelled(f.stories, func(r io.Reader) (err error) {
		items, err = eval.ReadStories(r)
		return err
	})
	if err != nil || f.judged == "" {
		return eval.Every(items, f.every), err
	}
	var judged map[string]eval.Judgement
	err = readLabelled(f.judged, func(r io.Reader) (err error) {
		judged, err = eval.ReadJudged(r)
		return err
	})
	if err != nil {
		return nil, err
	}
	items = eval.Judge(items, judged)
	if len(items) == 0 {
		return nil, fmt.Errorf("eval: no item of %s has an id %s judges", f.stories, f.judged)
	}
	return eval.Every(items, f.every), nil
}

func evalStories(f evalFlags, opts dedupe.Options, orders []eval.Order, stdout io.Writer) error {
	items, err := readStories(f)
	if err != nil {
		return err
	}
	if f.baseline > 0 {
		if !eval.HasStories(items) {
			return &usageError{"eval: -baseline needs labelled items"}
		}
		start := time.Now()
		scored, found := eval.Without(items, eval.Baseline(items, f.baseline), eval.Largest(items, f.apart))
		return printScores(f, eval.ScoreStories(scored, found, time.Since(start)), stdout)
	}
	if f.sweep {
		return sweepStories(f, opts, orders[0], items, stdout)
	}
	var first *eval.Clustering
	for _, order := range orders {
		start := time.Now()
		c, err := eval.Cluster(opts, items, order)
		if err != nil {
			return err
		}
		elapsed := time.Since(start)
		if err := printStories(f, items, c, order, elapsed, stdout); err != nil {
			return err
		}
		if first == nil {
			first = c
		} else {
			fmt.Fprintf(stdout, "  same stories as seed %d: %.2f%% of items\n", orders[0].Seed, 100*eval.SameStories(first.Stories, c.Stories))
		}
	}
	return nil
}

// printStories prints a clustering's scores (or, on a file without
// labels, what it made).
func printStories(f evalFlags, items []eval.Labelled, c *eval.Clustering, order eval.Order, elapsed time.Duration, w io.Writer) error {
	if order.Shuffle {
		fmt.Fprintf(w, "order random:%d  ", order.Seed)
	}
	if !eval.HasStories(items) {
		m := eval.Describe(c, items, f.largest)
		m.Seconds = elapsed.Seconds()
		if f.json {
			return json.NewEncoder(w).Encode(m)
		}
		writeMade(w, m, items)
		return nil
	}
	scored, found := eval.Without(items, c.Stories, eval.Largest(items, f.apart))
	err := printScores(f, eval.ScoreStories(scored, found, elapsed), w)
	if err == nil && !f.json && f.explainErrors > 0 {
		printErrors(w, items, c, f.explainErrors)
	}
	return err
}

// printScores prints a clustering's scores on labelled items.
func printScores(f evalFlags, r eval.StoriesResult, w io.Writer) error {
	if f.json {
		return json.NewEncoder(w).Encode(r)
	}
	_, err := fmt.Fprintf(w, "items %d  stories %d  pair precision %.4f  recall %.4f  f1 %.4f  "+
		"B-cubed precision %.4f  recall %.4f  f1 %.4f  seconds %.3f\n",
		r.Items, r.Stories, r.PairPrecision, r.PairRecall, r.PairF1,
		r.BCubedPrecision, r.BCubedRecall, r.BCubedF1, r.Seconds)
	return err
}

// writeMade prints what the engine made of a file without labels.
func writeMade(w io.Writer, m eval.Made, items []eval.Labelled) {
	fmt.Fprintf(w, "items %d  stories %d  moves %d  seconds %.3f\nstory sizes:", m.Items, m.Stories, m.Moves, m.Seconds)
	for _, s := range m.Sizes {
		fmt.Fprintf(w, " %d×%d", s.Stories, s.Size)
	}
	fmt.Fprintln(w)
	for _, s := range m.Largest {
		fmt.Fprintf(w, "\nstory %s: %d items from %d outlets\n", s.Story, len(s.Items), s.Outlets)
		for _, i := range s.Items {
			l := items[i]
			fmt.Fprintf(w, "  %s  %-20.20s  %s\n", l.Time.Format("2006-01-02 15:04"), l.Source, l.Title)
		}
	}
}

// sweepStories prints the scores over the join threshold.
func sweepStories(f evalFlags, opts dedupe.Options, order eval.Order, items []eval.Labelled, stdout io.Writer) error {
	if !eval.HasStories(items) {
		return &usageError{"eval: -sweep needs labelled stories (a story column, or -judged)"}
	}
	type point struct {
		Threshold float64 `json:"threshold"`
		eval.StoriesResult
	}
	var curve []point
	for _, t := range sweepPoints() {
		o := opts
		o.Threshold = t
		start := time.Now()
		c, err := eval.Cluster(o, items, order)
		if err != nil {
			return err
		}
		scored, found := eval.Without(items, c.Stories, eval.Largest(items, f.apart))
		curve = append(curve, point{t, eval.ScoreStories(scored, found, time.Since(start))})
	}
	if f.json {
		return json.NewEncoder(stdout).Encode(curve)
	}
	fmt.Fprintf(stdout, "threshold  stories  pair_p  pair_r  pair_f1  bcubed_p  bcubed_r  bcubed_f1  (items %d)\n", curve[0].Items)
	for _, p := range curve {
		fmt.Fprintf(stdout, "%9.2f  %7d  %.4f  %.4f  %.4f   %.4f    %.4f    %.4f\n", p.Threshold, p.Stories,
			p.PairPrecision, p.PairRecall, p.PairF1, p.BCubedPrecision, p.BCubedRecall, p.BCubedF1)
	}
	return nil
}

// sweepPoints are the join probabilities a sweep tries: 0.50 to 0.90 by
// 0.05, then 0.91 to 0.99 by 0.01, where the model's choices lie.
func sweepPoints() []float64 {
	var ts []float64
	for i := 10; i < 18; i++ {
		ts = append(ts, float64(i)*0.05)
	}
	for i := 90; i <= 99; i++ {
		ts = append(ts, float64(i)/100)
	}
	return ts
}

// printErrors prints a sample of false merges and of missed pairs, each
// with the model's probability, every feature's value and part in it,
// and the heaviest tokens the two share.
func printErrors(w io.Writer, items []eval.Labelled, c *eval.Clustering, n int) {
	falseMerges, missed := eval.Errors(c, items, n)
	for _, part := range []struct {
		title string
		pairs []eval.ErrorPair
	}{{"false merges (different true stories, one found)", falseMerges}, {"missed pairs (one true story, found apart)", missed}} {
		fmt.Fprintf(w, "\n%s: %d\n", part.title, len(part.pairs))
		for _, p := range part.pairs {
			a, b, cmp := items[p.A], items[p.B], p.Comparison
			fmt.Fprintf(w, "  p %.3f  %s\n    shared %s\n    %s [%s, %s]\n    %s [%s, %s]\n",
				cmp.Prob, contributionList(cmp.Contributions), tokenList(cmp.Shared, 8), a.Title, a.Source, a.Story, b.Title, b.Source, b.Story)
		}
	}
}

// contributionList prints each feature that counted: name=value(+part).
func contributionList(cs []dedupe.Contribution) string {
	var b strings.Builder
	for _, c := range cs {
		if c.Value == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.2f(%+.2f)", c.Feature, c.Value, c.Adds)
	}
	return b.String()
}

// tokenList prints up to n tokens with their weights.
func tokenList(ts []dedupe.TokenWeight, n int) string {
	var b strings.Builder
	for i, t := range ts[:min(n, len(ts))] {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%.1f", t.Token, t.Weight)
	}
	return b.String()
}
