package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"tributary/config"
	"tributary/news"
	"tributary/store"
	"tributary/topic"
)

func topicsCommand() command {
	return command{name: "topics",
		usage: "topics  try [-config FILE] [-topic NAME] [-since 7d]   what the config's topic rules would file, beside what is filed now",
		run:   runTopics}
}

// runTopics runs `topics try`: the config's current rules over the
// stored items of the last -since, changing nothing, and per topic how
// many stories would join it and leave it compared with what is filed
// now, with a sample of each.
func runTopics(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "topics", configPath)
	name := fs.String("topic", "", "only this `topic`")
	since := config.Days(7 * 24 * time.Hour)
	fs.Var(&since, "since", "stored items published or first fetched within this `duration` (e.g. 7d, 36h)")
	pos, err := parse(fs, args, 1, `the subcommand "try"`)
	if err != nil {
		return err
	}
	if pos[0] != "try" {
		return &usageError{fmt.Sprintf("topics: unknown subcommand %q: want try", pos[0])}
	}
	cfg, err := loadConfig(e, *path, false)
	if err != nil {
		return err
	}
	set, _, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	if *name != "" {
		i := slices.IndexFunc(set, func(t *topic.Topic) bool { return t.Name == *name })
		if i < 0 {
			return fmt.Errorf("topics: no topic named %q in %s", *name, *path)
		}
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := learnSections(ctx, st, set, e.now(), nil); err != nil {
		return err
	}
	trials, err := tryTopics(ctx, st, set, e.now().Add(-time.Duration(since)))
	if err != nil {
		return err
	}
	for _, t := range set {
		if *name == "" || t.Name == *name {
			trials[t.Name].write(e.stdout, t.Name)
		}
	}
	return nil
}

// trial is what a topic's rules would change.
type trial struct {
	now, then    map[string]bool // stories filed now, and under the rules tried
	join, leave  []string        // samples: a headline, and why it joins
	joined, left int
}

// sampleSize is how many stories of each kind a trial lists.
const sampleSize = 5

// tryTopics files the stored items of since and after under set and
// compares with their filing now, by story.
func tryTopics(ctx context.Context, st store.Store, set topic.Set, since time.Time) (map[string]*trial, error) {
	filed, err := st.ItemTopics(ctx)
	if err != nil {
		return nil, err
	}
	trials := map[string]*trial{}
	for _, t := range set {
		trials[t.Name] = &trial{now: map[string]bool{}, then: map[string]bool{}}
	}
	why := map[string]map[string]string{} // topic -> story -> why it joins
	title := map[string]string{}
	err = st.EachItem(ctx, func(it *news.Item) error {
		if it.Published.Before(since) && it.Fetched.Before(since) {
			return nil
		}
		if _, ok := title[it.Story]; !ok {
			title[it.Story] = it.Title
		}
		for _, name := range filed[it.ID] {
			if tr := trials[name]; tr != nil {
				tr.now[it.Story] = true
			}
		}
		for _, d := range set.Decide(it) {
			if !d.In {
				continue
			}
			trials[d.Topic].then[it.Story] = true
			if why[d.Topic] == nil {
				why[d.Topic] = map[string]string{}
			}
			if _, ok := why[d.Topic][it.Story]; !ok {
				why[d.Topic][it.Story] = reason(d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, tr := range trials {
		var joins, leaves []string
		for s := range tr.then {
			if !tr.now[s] {
				joins = append(joins, s)
			}
		}
		for s := range tr.now {
			if !tr.then[s] {
				leaves = append(leaves, s)
			}
		}
		sort.Strings(joins)
		sort.Strings(leaves)
		tr.joined, tr.left = len(joins), len(leaves)
		for _, s := range joins[:min(len(joins), sampleSize)] {
			tr.join = append(tr.join, fmt.Sprintf("%q (%s)", title[s], why[name][s]))
		}
		for _, s := range leaves[:min(len(leaves), sampleSize)] {
			tr.leave = append(tr.leave, fmt.Sprintf("%q", title[s]))
		}
	}
	return trials, nil
}

// reason says why a decision put an item in.
func reason(d topic.Decision) string {
	var parts []string
	if d.Rule != "" {
		parts = append(parts, d.Rule)
	}
	if d.ByScore && d.Score >= d.MinScore && d.In && d.Rule == "" {
		parts = append(parts, fmt.Sprintf("score %.2f, confidence %.2f: %s", d.Score, d.Confidence, strings.Join(d.Terms[:min(len(d.Terms), 4)], " ")))
	}
	return strings.Join(parts, "; ")
}

func (tr *trial) write(w io.Writer, name string) {
	fmt.Fprintf(w, "%s: %d stories filed now, %d under these rules: %d would join, %d would leave\n",
		name, len(tr.now), len(tr.then), tr.joined, tr.left)
	for _, s := range tr.join {
		fmt.Fprintf(w, "  + %s\n", s)
	}
	for _, s := range tr.leave {
		fmt.Fprintf(w, "  - %s\n", s)
	}
	if len(tr.then) == 0 {
		fmt.Fprintf(w, "  ! matches nothing stored in this period\n")
	}
}
