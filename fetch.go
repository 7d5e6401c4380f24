package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"tributary/aggregator"
)

// runFetch polls every source once, prints one line per source and exits.
// It fails only when every source failed.
func runFetch(ctx context.Context, configPath string, stdout, stderr io.Writer, now func() time.Time) error {
	a, err := openApp(ctx, configPath, stderr, now, false)
	if err != nil {
		return err
	}
	defer a.Close()

	results := make([]aggregator.Result, len(a.sources))
	errs := make([]error, len(a.sources))
	bar := newProgress(stdout, len(a.sources))
	var wg sync.WaitGroup
	for i, src := range a.sources {
		wg.Go(func() {
			results[i], errs[i] = a.agg.Poll(ctx, src)
			bar.done(src.Name)
		})
	}
	wg.Wait()
	bar.finish()
	failed := 0
	for i, r := range results {
		switch {
		case errs[i] != nil:
			failed++
			fmt.Fprintf(stdout, "%s: error: %v\n", a.sources[i].Name, errs[i])
		case r.Outcome == aggregator.OutcomeError:
			failed++
			var pe *aggregator.PollError
			if errors.As(r.Err, &pe) {
				fmt.Fprintf(stdout, "%s: error: %s: %v\n", r.Source, pe.Op, pe.Err)
			} else {
				fmt.Fprintf(stdout, "%s: error: %v\n", r.Source, r.Err)
			}
		case r.Outcome == aggregator.OutcomeRetired:
			fmt.Fprintf(stdout, "%s: retired (410 Gone); change its URL in the config to poll it again\n", r.Source)
		default:
			fmt.Fprintf(stdout, "%s: %d new, %d updated, %d unchanged%s (%s)\n", r.Source, r.New, r.Updated,
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
