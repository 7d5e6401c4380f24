package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"tributary/news"
	"tributary/store"
	"tributary/topic"

	"tributary/aggregator"
	"tributary/dedupe"
)

func explainCommand() command {
	return command{name: "explain", usage: `explain [-config FILE] URL|GUID|"HEADLINE"   why an item is in its story`, run: runExplain}
}

// runExplain prints why the item named by its argument (a URL, a GUID or
// a quoted headline) is in its story, or which story a headline would
// join. It reads the store beside a running daemon and builds the index
// from it, nothing else. Logs go to stderr, the explanation to stdout.
func runExplain(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "explain", configPath)
	pos, err := parse(fs, args, 1, "one argument: a URL, a GUID or a quoted headline")
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e, *path, false)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	index, err := rebuildIndex(ctx, e, st, cfg, newLogger(cfg.Log, e.stderr))
	if err != nil {
		return err
	}
	topics, _, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	if err := learnSections(ctx, st, topics, e.now(), nil); err != nil {
		return err
	}
	mute, err := topic.NewMute(cfg.Mute)
	if err != nil {
		return err
	}
	text, err := explainText(ctx, st, index, topics, mute, pos[0], e.now())
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, text)
	return err
}

// explainText explains arg as text: for this command and for the
// daemon's GET /explain.
func explainText(ctx context.Context, st store.Store, index *dedupe.Index, topics topic.Set, mute topic.Mute, arg string, now time.Time) (string, error) {
	ex, err := aggregator.Explain(ctx, st, index, arg, now)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	ex.WriteText(&b)
	it := ex.Item
	if it == nil {
		it = &news.Item{Title: arg}
	}
	if term := mute.Muted(it); term != "" {
		fmt.Fprintf(&b, "muted:      by %q: stored, but left out of every feed\n", term)
	}
	writeTopics(&b, "topics:", topics.Decide(it))
	if ex.Item != nil && len(topics.Sections()) > 0 {
		// Topics by example are the story's: decided from all its items.
		members, err := st.StoryItems(ctx, it.Story)
		if err != nil {
			return "", err
		}
		if len(members) > 1 {
			var byExample []topic.Decision
			for _, d := range topics.DecideStory(members) {
				if d.ByScore {
					byExample = append(byExample, d)
				}
			}
			writeTopics(&b, fmt.Sprintf("topics by example of its story (its %d items together; a rule or its outlet's label above holds of it alone):", len(members)), byExample)
		}
	}
	return b.String(), nil
}

// writeTopics says, for each topic, whether the item is in it and why:
// the rule that matched, its score by example and the terms that made it,
// the none term that kept it out, or the topic of its exclusive group
// that won it.
func writeTopics(w io.Writer, heading string, ds []topic.Decision) {
	if len(ds) == 0 {
		return
	}
	fmt.Fprintln(w, heading)
	for _, d := range ds {
		verdict := "out"
		if d.In {
			verdict = "in"
		}
		var why []string
		if d.Rule != "" {
			why = append(why, "rule "+d.Rule)
		}
		if d.ByScore {
			why = append(why, fmt.Sprintf("score %.3f (needs %.2f) from %s", d.Score, d.MinScore, strings.Join(d.Terms[:min(len(d.Terms), 6)], " ")))
		}
		if d.MinConfidence > 0 {
			sure := "sure"
			if d.Unsure {
				sure = "not sure enough"
			}
			why = append(why, fmt.Sprintf("confidence %.2f (needs %.2f): %s", d.Confidence, d.MinConfidence, sure))
		}
		if d.Excluded != "" {
			why = append(why, "kept out by "+d.Excluded)
		}
		if d.LostTo != "" {
			why = append(why, "its exclusive group chose "+d.LostTo)
		}
		if d.Outlet != "" {
			why = append(why, "its outlet filed it under "+d.Outlet)
		}
		fmt.Fprintf(w, "  %-4s %-20s %s\n", verdict, d.Topic, strings.Join(why, "; "))
	}
}
