package cli

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"tributary/config"
	"tributary/dedupe"
	"tributary/eval"
)

func evalCommand() command {
	return command{name: "eval",
		usage: "eval    [-config FILE] -pairs FILE | -stories FILE [-judged FILE] [-order source|random:SEED[..SEED]] [-poll D] [-apart N] [-baseline COS] [-every N] [-explain-errors N] [-largest N] | -topics FILE [-judged FILE] [-map L=T[+T],...] [-min-score X] [-min-confidence P] [-learn D] [-json] [-sweep] [-threshold P] [-merge P]",
		run:   runEval}
}

// evalFlags are the options of `tributary eval`.
type evalFlags struct {
	pairs, stories, judged string
	topics, mapping        string
	order                  string
	poll                   time.Duration
	json, sweep            bool
	threshold, merge       float64
	minScore               float64       // with -topics: every topic's min_score
	minConfidence          float64       // with -topics: every topic's min_confidence
	learn                  time.Duration // with -topics -judged: learn from the stream's labelled items of this long before
	every                  int           // keep every Nth labelled headline
	explainErrors          int           // false merges and missed pairs to print
	largest                int           // on a file without labels: the largest stories to print
	apart                  int           // the largest true stories left out of the scores
	baseline               float64       // score the TF-IDF yardstick at this cosine instead of the engine
}

// runEval scores the dedupe engine on a labelled file with the settings
// the daemon would use: the config's dedupe section when the config file
// exists (or was named), else the defaults; -threshold and -merge
// override. It opens no store.
func runEval(_ context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "eval", configPath)
	var f evalFlags
	fs.StringVar(&f.pairs, "pairs", "", "`file` of judged pairs: STS TSV (score, headline, headline) or CSV (title_a, summary_a, title_b, summary_b, same)")
	fs.StringVar(&f.stories, "stories", "", "CSV `file` (or .csv.gz) of items, labelled with their story or not (title, story, id, outlet, published, summary, link)")
	fs.StringVar(&f.judged, "judged", "", "with -stories or -topics: CSV `file` of judgements (id, event[, section]) labelling the items by id; only those are scored")
	fs.StringVar(&f.order, "order", "source", "with -stories: the order of polls within a period: source, or random:SEED, or random:FIRST..LAST to compare several")
	fs.DurationVar(&f.poll, "poll", 15*time.Minute, "with -stories: the period of the polls the items come in")
	fs.StringVar(&f.topics, "topics", "", "CSV `file` of headlines labelled with their topic (title, topic, description)")
	fs.StringVar(&f.mapping, "map", "", "with -topics: the file's labels onto the config's topics, `label=topic[+topic],...` (default: each label is a topic's name)")
	fs.Float64Var(&f.minScore, "min-score", 0, "with -topics: override every topic's min_score")
	fs.Float64Var(&f.minConfidence, "min-confidence", 0, "with -topics: override every topic's min_confidence")
	fs.DurationVar(&f.learn, "learn", 0, "with -topics -judged: first learn the sections from the stream's items of this `long` before the judged day that their outlets labelled (links)")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	fs.BoolVar(&f.sweep, "sweep", false, "print the precision/recall curve over the join threshold")
	fs.Float64Var(&f.threshold, "threshold", 0, "override dedupe.threshold (join probability)")
	fs.Float64Var(&f.merge, "merge", 0, "override dedupe.merge (merge probability)")
	fs.IntVar(&f.every, "every", 1, "with -stories: keep only every `N`th item (a sparse window, as a small installation has)")
	fs.IntVar(&f.explainErrors, "explain-errors", 0, "with -stories: print `N` false merges and N missed pairs with each feature's part")
	fs.Float64Var(&f.baseline, "baseline", 0, "with -stories: score the plain TF-IDF yardstick (eval.Baseline) joining at this `cosine` instead of the engine")
	fs.IntVar(&f.apart, "apart", 0, "with -stories: score without the `N` largest true stories (a day's largest events hold most of its pairs)")
	fs.IntVar(&f.largest, "largest", 10, "with -stories on a file without labels: print the `N` largest stories")
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
	if f.every < 1 || f.explainErrors < 0 || f.largest < 0 || f.apart < 0 || f.poll <= 0 {
		return &usageError{"eval: -every must be at least 1, -explain-errors, -largest and -apart at least 0, -poll positive"}
	}
	orders, err := parseOrders(f.order, f.poll)
	if err != nil {
		return err
	}
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
	if f.merge != 0 {
		opts.Merge = f.merge
	}
	if opts.Model == nil {
		if opts.Model, err = dedupe.BuiltinModel(); err != nil {
			return err
		}
	}
	if f.pairs != "" {
		return evalPairs(f, opts, e.stdout)
	}
	return evalStories(f, opts, orders, e.stdout)
}

// parseOrders reads -order: "source", "random:SEED" or
// "random:FIRST..LAST".
func parseOrders(s string, poll time.Duration) ([]eval.Order, error) {
	if s == "source" {
		return []eval.Order{{Poll: poll}}, nil
	}
	bad := &usageError{fmt.Sprintf("eval: -order %q: want source, random:SEED or random:FIRST..LAST", s)}
	seeds, ok := strings.CutPrefix(s, "random:")
	if !ok {
		return nil, bad
	}
	first, last, isRange := strings.Cut(seeds, "..")
	if !isRange {
		last = first
	}
	a, err1 := strconv.ParseUint(first, 10, 64)
	b, err2 := strconv.ParseUint(last, 10, 64)
	if err1 != nil || err2 != nil || b < a || b-a >= 100 {
		return nil, bad
	}
	var out []eval.Order
	for seed := a; seed <= b; seed++ {
		out = append(out, eval.Order{Poll: poll, Shuffle: true, Seed: seed})
	}
	return out, nil
}

// evalTopics files labelled headlines under the config's topics exactly
// as the daemon does and scores the labels.
func evalTopics(f evalFlags, configPath string, stdout io.Writer) error {
	topics, err := config.LoadTopics(configPath)
	if err != nil {
		return err
	}
	for i := range topics {
		if f.minScore > 0 {
			topics[i].MinScore = f.minScore
		}
		if f.minConfidence > 0 {
			topics[i].MinConfidence = f.minConfidence
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
	var items []eval.TopicItem
	if f.judged != "" { // the file is a stream; the judgements give each item's section
		sf := f
		sf.stories, sf.judged = f.topics, ""
		stream, err := readStories(sf)
		if err != nil {
			return err
		}
		sf.judged = f.judged
		judged, err := readStories(sf)
		if err != nil {
			return err
		}
		if f.learn > 0 {
			n := eval.Learn(set.Outlets(), stream, judged, f.learn)
			fmt.Fprintf(stdout, "learned from %d items the outlets' links labelled in the %s before: %v\n", n, f.learn, set.Outlets().Learned())
		}
		items = eval.Sections(judged)
	} else if err := readLabelled(f.topics, func(r io.Reader) (err error) {
		items, err = eval.ReadTopics(r)
		return err
	}); err != nil {
		return err
	}
	r := eval.ScoreTopics(items, set, labels)
	if f.json {
		return json.NewEncoder(stdout).Encode(r)
	}
	r.WriteTopics(stdout)
	return nil
}

// readLabelled opens a labelled file (gzip-compressed when its name ends
// in .gz) and reads it with read; errors name the file.
func readLabelled(path string, read func(io.Reader) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer file.Close()
	var r io.Reader = file
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(file)
		if err != nil {
			return fmt.Errorf("eval: %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	if err := read(r); err != nil {
		return fmt.Errorf("eval: %s: %w", path, err)
	}
	return nil
}

func evalPairs(f evalFlags, opts dedupe.Options, stdout io.Writer) error {
	var pairs []eval.Pair
	err := readLabelled(f.pairs, func(r io.Reader) (err error) {
		pairs, err = eval.ReadPairs(r)
		return err
	})
	if err != nil {
		return err
	}
	sims, err := eval.Similarities(opts, pairs)
	if err != nil {
		return err
	}
	threshold := opts.Threshold
	if threshold == 0 {
		threshold = opts.Model.Threshold
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
