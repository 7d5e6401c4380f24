package main

import (
	"context"
	"io"
	"time"
)

// runExplain prints why the item named by arg (a URL, a GUID or a quoted
// headline) is in its story, or which story a headline would join. Logs
// go to stderr, the explanation to stdout.
func runExplain(ctx context.Context, configPath, arg string, stdout, stderr io.Writer, now func() time.Time) error {
	if arg == "" {
		return &usageError{"explain: want a URL, a GUID or a quoted headline"}
	}
	a, err := openApp(ctx, configPath, stderr, now, true)
	if err != nil {
		return err
	}
	defer a.Close()
	text, err := a.explainText(ctx, arg)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, text)
	return err
}
