package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"tributary/dedupe"
	"tributary/eval"
)

// example is a pair's features and whether its items report one event.
type example struct {
	x    []float64
	same bool
	a, b string // the items' ids
}

// examples returns a day's training pairs: every comparison the engine
// makes as it decides the day's items in the order the daemon would meet
// them, with the features as the decision read them (the weights of what
// had settled by then; a pair compared again in a later pass keeps its
// last features).
func examples(items []eval.Labelled) ([]example, error) {
	return replay(items)
}

func replay(items []eval.Labelled) ([]example, error) {
	event := make(map[string]string, len(items))
	for _, l := range items {
		event[l.ID] = l.Story
	}
	seen := map[[2]string]example{}
	opts := dedupe.Options{Observe: func(a, b [2]string, f dedupe.Features) {
		v := f.Vector()
		seen[[2]string{a[1], b[1]}] = example{x: v[:], same: event[a[1]] == event[b[1]], a: a[1], b: b[1]}
	}}
	if _, err := eval.Cluster(opts, items, eval.Order{}); err != nil {
		return nil, err
	}
	keys := make([][2]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(p, q [2]string) int { return strings.Compare(p[0]+"\x00"+p[1], q[0]+"\x00"+q[1]) })
	out := make([]example, len(keys))
	for i, k := range keys {
		out[i] = seen[k]
	}
	return out, nil
}

// dumpExamples writes the training pairs, for reading.
func dumpExamples(path string, exs [][]example) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(f, "a\tb\tsame\t%s\n", strings.Join(dedupe.FeatureNames(), "\t"))
	for _, d := range exs {
		for _, e := range d {
			fmt.Fprintf(f, "%s\t%s\t%v", e.a, e.b, e.same)
			for _, v := range e.x {
				fmt.Fprintf(f, "\t%.4f", v)
			}
			fmt.Fprintln(f)
		}
	}
	return f.Close()
}
