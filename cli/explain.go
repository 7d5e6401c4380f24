package cli

import (
	"context"
	"io"
	"strings"
	"time"

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
	cfg, err := loadConfig(e, *path)
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
	text, err := explainText(ctx, st, index, pos[0], e.now())
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, text)
	return err
}

// explainText explains arg as text: for this command and for the
// daemon's GET /explain.
func explainText(ctx context.Context, st aggregator.ExplainStore, index *dedupe.Index, arg string, now time.Time) (string, error) {
	ex, err := aggregator.Explain(ctx, st, index, arg, now)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	ex.WriteText(&b)
	return b.String(), nil
}
