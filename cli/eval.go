package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tributary/config"
	"tributary/dedupe"
	"tributary/eval"
)

func evalCommand() command {
	return command{name: "eval",
		usage: "eval    [-config FILE] -pairs FILE | -stories FILE [-every N] [-explain-errors N] | -topics FILE [-map L=T[+T],...] [-json] [-sweep] [-threshold X] [-story-threshold X]",
		run:   runEval}
}

// evalFlags are the options of `tributary eval`.
type evalFlags struct {
	pairs, stories  string
	topics, mapping string
	json, sweep     bool
	threshold       float64
	storyThreshold  float64
	minScore        float64 // with -topics: every topic's min_score
	every           int     // keep every Nth labelled headline
	explainErrors   int     // false merges and missed pairs to print
}

// runEval scores the dedupe engine on a labelled file with the settings
// the daemon would use: the config's dedupe section when the config file
// exists (or was named), else the defaults; -threshold and
// -story-threshold override. It opens no store.
func runEval(_ context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "eval", configPath)
	var f evalFlags
	fs.StringVar(&f.pairs, "pairs", "", "TSV `file` of scored headline pairs")
	fs.StringVar(&f.stories, "stories", "", "CSV `file` of headlines labelled with their story")
	fs.StringVar(&f.topics, "topics", "", "CSV `file` of headlines labelled with their topic (title, topic, description)")
	fs.StringVar(&f.mapping, "map", "", "with -topics: the file's labels onto the config's topics, `label=topic[+topic],...` (default: each label is a topic's name)")
	fs.Float64Var(&f.minScore, "min-score", 0, "with -topics: override every topic's min_score")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	fs.BoolVar(&f.sweep, "sweep", false, "print the precision/recall curve over thresholds")
	fs.Float64Var(&f.threshold, "threshold", 0, "override dedupe.threshold")
	fs.Float64Var(&f.storyThreshold, "story-threshold", 0, "override dedupe.story_threshold")
	fs.IntVar(&f.every, "every", 1, "with -stories: keep only every `N`th headline (a sparse window, as a small installation has)")
	fs.IntVar(&f.explainErrors, "explain-errors", 0, "with -stories: print `N` false merges and N missed pairs with their scores")
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	named := configPath != ""
	fs.Visit(func(fl *flag.Flag) { named = named || fl.Name == "config" })
	given := 0
	for _, p := range []string{f.pairs, f.stories, f.topics} {
		if p != "" {
			given++
		}
	}
	if given != 1 {
		return &usageError{"eval: give exactly one of -pairs FILE, -stories FILE or -topics FILE"}
	}
	if f.topics != "" {
		return evalTopics(f, *path, e.stdout)
	}
	if f.every < 1 || f.explainErrors < 0 {
		return &usageError{"eval: -every must be at least 1 and -explain-errors at least 0"}
	}
	stdout := e.stdout
	opts := dedupe.Options{}
	if _, err := os.Stat(*path); err == nil || named {
		cfg, err := config.Load(*path)
		if err != nil {
			return err
		}
		opts = dedupeOptions(cfg.Dedupe)
	}
	if f.threshold != 0 {
		opts.Threshold = f.threshold
	}
	if f.storyThreshold != 0 {
		opts.StoryThreshold = f.storyThreshold
	}
	if f.pairs != "" {
		return evalPairs(f, opts, stdout)
	}
	return evalStories(f, opts, stdout)
}

// evalTopics files labelled headlines under the config's topics exactly
// as the daemon does and scores the labels.
func evalTopics(f evalFlags, configPath string, stdout io.Writer) error {
	topics, err := config.LoadTopics(configPath)
	if err != nil {
		return err
	}
	if f.minScore > 0 {
		for i := range topics {
			topics[i].MinScore = f.minScore
		}
	}
	set, _, err := buildTopics(&config.Config{Topics: topics})
	if err != nil {
		return err
	}
	labels := map[string]string{}
	if f.mapping != "" {
		if labels, err = eval.ParseMap(f.mapping); err != nil {
			return &usageError{"eval: " + err.Error()}
		}
	} else {
		for _, t := range topics {
			labels[t.Name] = t.Name
		}
	}
	for t := range labels {
		if !slices.ContainsFunc(topics, func(c config.Topic) bool { return c.Name == t }) {
			return fmt.Errorf("eval: -map names topic %q, which %s does not define", t, configPath)
		}
	}
	file, err := openLabelled(f.topics)
	if err != nil {
		return err
	}
	defer file.Close()
	items, err := eval.ReadTopics(file)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", f.topics, err)
	}
	r := eval.ScoreTopics(items, set, labels)
	if f.json {
		return json.NewEncoder(stdout).Encode(r)
	}
	r.WriteTopics(stdout)
	return nil
}

func openLabelled(path string) (*os.File, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	return file, nil
}

func evalPairs(f evalFlags, opts dedupe.Options, stdout io.Writer) error {
	file, err := openLabelled(f.pairs)
	if err != nil {
		return err
	}
	defer file.Close()
	pairs, err := eval.ReadPairs(file)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", f.pairs, err)
	}
	sims, err := eval.Similarities(opts, pairs)
	if err != nil {
		return err
	}
	threshold := opts.Threshold
	if threshold == 0 {
		threshold = dedupe.DefaultThreshold
	}
	if !f.sweep {
		r := eval.ScorePairs(pairs, sims, threshold)
		if f.json {
			return json.NewEncoder(stdout).Encode(r)
		}
		_, err := fmt.Fprintf(stdout, "pairs %d  precision %.4f  recall %.4f  f1 %.4f  (threshold %.2f)\n",
			r.Pairs, r.Precision, r.Recall, r.F1, threshold)
		return err
	}
	type point struct {
		Threshold float64 `json:"threshold"`
		eval.PairsResult
	}
	var curve []point
	for _, t := range sweepPoints() {
		curve = append(curve, point{t, eval.ScorePairs(pairs, sims, t)})
	}
	if f.json {
		return json.NewEncoder(stdout).Encode(curve)
	}
	fmt.Fprintf(stdout, "threshold  precision  recall  f1      (pairs %d)\n", len(pairs))
	for _, p := range curve {
		fmt.Fprintf(stdout, "%9.2f  %9.4f  %6.4f  %.4f\n", p.Threshold, p.Precision, p.Recall, p.F1)
	}
	return nil
}

func evalStories(f evalFlags, opts dedupe.Options, stdout io.Writer) error {
	file, err := openLabelled(f.stories)
	if err != nil {
		return err
	}
	defer file.Close()
	items, err := eval.ReadStories(file)
	if err != nil {
		return fmt.Errorf("eval: %s: %w", f.stories, err)
	}
	items = eval.Every(items, f.every)
	var last *eval.Clustering
	run := func(o dedupe.Options) (eval.StoriesResult, error) {
		start := time.Now()
		c, err := eval.Cluster(o, items)
		if err != nil {
			return eval.StoriesResult{}, err
		}
		last = c
		return eval.ScoreStories(items, c.Stories, time.Since(start)), nil
	}
	if !f.sweep {
		r, err := run(opts)
		if err != nil {
			return err
		}
		if f.json {
			return json.NewEncoder(stdout).Encode(r)
		}
		_, err = fmt.Fprintf(stdout, "items %d  stories %d  pair precision %.4f  recall %.4f  f1 %.4f  "+
			"B-cubed precision %.4f  recall %.4f  f1 %.4f  seconds %.3f\n",
			r.Items, r.Stories, r.PairPrecision, r.PairRecall, r.PairF1,
			r.BCubedPrecision, r.BCubedRecall, r.BCubedF1, r.Seconds)
		if err == nil && f.explainErrors > 0 {
			err = printErrors(stdout, items, last, f.explainErrors)
		}
		return err
	}
	// The curve over the story threshold: the single-headline threshold
	// stays as configured, since it is best chosen on pairs.
	type point struct {
		StoryThreshold float64 `json:"story_threshold"`
		eval.StoriesResult
	}
	var curve []point
	for _, t := range sweepPoints() {
		o := opts
		o.StoryThreshold = t
		r, err := run(o)
		if err != nil {
			return err
		}
		curve = append(curve, point{t, r})
	}
	if f.json {
		return json.NewEncoder(stdout).Encode(curve)
	}
	fmt.Fprintf(stdout, "story_threshold  stories  pair_p  pair_r  pair_f1  bcubed_p  bcubed_r  bcubed_f1  (items %d)\n", len(items))
	for _, p := range curve {
		fmt.Fprintf(stdout, "%15.2f  %7d  %.4f  %.4f  %.4f   %.4f    %.4f    %.4f\n", p.StoryThreshold, p.Stories,
			p.PairPrecision, p.PairRecall, p.PairF1, p.BCubedPrecision, p.BCubedRecall, p.BCubedF1)
	}
	return nil
}

// sweepPoints are the thresholds a sweep tries: 0.20 to 0.95 by 0.05.
func sweepPoints() []float64 {
	var ts []float64
	for i := 4; i <= 19; i++ {
		ts = append(ts, float64(i)*0.05)
	}
	return ts
}

// printErrors prints a sample of false merges and of missed pairs, each
// with the engine's scores and the tokens the two headlines share.
func printErrors(w io.Writer, items []eval.Labelled, c *eval.Clustering, n int) error {
	falseMerges, missed := eval.Errors(c, items, n)
	for _, part := range []struct {
		title string
		pairs []eval.ErrorPair
	}{{"false merges (different true stories, one found)", falseMerges}, {"missed pairs (one true story, found apart)", missed}} {
		fmt.Fprintf(w, "\n%s: %d\n", part.title, len(part.pairs))
		for _, p := range part.pairs {
			a, b, cmp := items[p.A], items[p.B], p.Comparison
			fmt.Fprintf(w, "  score %.3f (headline %.3f, summary %.3f)  shared %s\n    %s [%s, %s]\n    %s [%s, %s]\n",
				cmp.Score, cmp.Headline, cmp.Summary, tokenList(cmp.Shared), a.Title, a.Source, a.Story, b.Title, b.Source, b.Story)
		}
	}
	return nil
}

// tokenList prints tokens with their weights.
func tokenList(ts []dedupe.TokenWeight) string {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%.1f", t.Token, t.Weight)
	}
	return b.String()
}
