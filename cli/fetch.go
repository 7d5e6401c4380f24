package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"tributary/aggregator"
)

func fetchCommand() command {
	return command{name: "fetch", usage: "fetch   [-config FILE]   poll every source once and exit", run: runFetch}
}

// runFetch polls every source once, prints one line per source and exits;
// it fails only when every source failed. It renders nothing: the next
// serve publishes what it stored.
func runFetch(ctx context.Context, e *env, configPath string, args []string) error {
	fs, path := flags(e, "fetch", configPath)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	cfg, err := loadConfig(e, *path, true)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.Log, e.stderr)
	topics, _, err := buildTopics(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkIntegrity(ctx, st); err != nil {
		return fmt.Errorf("%w; nothing fetched (see the README, \"A damaged store\")", err)
	}
	if err := learnSections(ctx, st, topics, e.now(), nil); err != nil {
		return err
	}
	if err := applySources(ctx, st, cfg, topics, logger); err != nil {
		return err
	}
	index, err := rebuildIndex(ctx, e, st, cfg, logger)
	if err != nil {
		return err
	}
	agg := newAggregator(e, cfg, st, index, topics, nil, logger, nil, nil)
	sources := buildSources(cfg)
	results := make([]aggregator.Result, len(sources))
	errs := make([]error, len(sources))
	bar := newProgress(e.stdout, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			results[i], errs[i] = agg.Poll(ctx, src)
			bar.done(src.Name)
		})
	}
	wg.Wait()
	bar.finish()
	// A one-off fetch leaves its stories decided for good, as they would
	// be a settle period later: whatever order the polls finished in.
	if err := agg.Settle(ctx, e.now().Add(index.Settle())); err != nil {
		return err
	}
	failed := 0
	for i, r := range results {
		switch {
		case errs[i] != nil && r.Outcome != aggregator.OutcomeError:
			failed++
			fmt.Fprintf(e.stdout, "%s: error: %v\n", sources[i].Name, errs[i])
		case r.Outcome == aggregator.OutcomeError:
			failed++
			var pe *aggregator.PollError
			if errors.As(r.Err, &pe) {
				fmt.Fprintf(e.stdout, "%s: error: %s: %v\n", r.Source, pe.Op, pe.Err)
			} else {
				fmt.Fprintf(e.stdout, "%s: error: %v\n", r.Source, r.Err)
			}
		case r.Outcome == aggregator.OutcomeRetired:
			fmt.Fprintf(e.stdout, "%s: retired (410 Gone); change its URL in the config to poll it again\n", r.Source)
		default:
			fmt.Fprintf(e.stdout, "%s: %d new, %d updated, %d unchanged%s (%s)\n", r.Source, r.New, r.Updated,
				r.Unchanged, notModified(r), r.Duration.Round(time.Millisecond))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed == len(results) && failed > 0 {
		return &reportedError{fmt.Sprintf("all %d sources failed", failed)}
	}
	return nil
}

func notModified(r aggregator.Result) string {
	if r.Outcome == aggregator.OutcomeNotModified {
		return ", not modified"
	}
	return ""
}
