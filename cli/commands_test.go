package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"tributary/internal/fixture"
	"tributary/sqlite"
)

func TestFetchCommand(t *testing.T) {
	up := fixture.Upstream(t, time.Now())
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))
	var out bytes.Buffer
	if err := runCmd([]string{"fetch", "-config", cfg}, &out, io.Discard, time.Now()); err != nil {
		t.Fatalf("fetch: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"northwind: 5 new, 0 updated, 0 unchanged",
		"meridian: 4 new, 0 updated, 0 unchanged",
		"harbor: 3 new, 0 updated, 0 unchanged",
		"broken-500: error: fetch: 500 Internal Server Error",
		"broken-html: error: parse: HTML page, not a feed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("fetch output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	runCmd([]string{"fetch", "-config", cfg}, &out, io.Discard, time.Now())
	if !strings.Contains(out.String(), "northwind: 0 new, 0 updated, 0 unchanged, not modified") {
		t.Errorf("second fetch:\n%s", out.String())
	}

	// Every source failing is the one case that fails the command.
	allBroken := writeConfig(t, t.TempDir(), up.URL+"/broken-500#", "")
	err := runCmd([]string{"fetch", "-config", allBroken}, io.Discard, io.Discard, time.Now())
	if err == nil || !strings.Contains(err.Error(), "all 3 sources failed") {
		t.Errorf("all failing: err = %v", err)
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeConfig(t, dir, "https://up.example", "")
	var out bytes.Buffer
	if err := runCmd([]string{"check", "-config", good}, &out, io.Discard, time.Now()); err != nil {
		t.Fatalf("check good config: %v", err)
	}
	if !strings.Contains(out.String(), "ok: 3 sources, 3 topics") {
		t.Errorf("summary = %q", out.String())
	}

	// A secret this shell lacks is a warning: the daemon's environment
	// may hold it. One it has is validated as its value.
	withSecret := writeConfig(t, t.TempDir(), "https://up.example", "  - {name: paid, url: \"https://p.example/rss\", proxy: \"${CHECK_PROXY_61}\"}\n")
	out.Reset()
	if err := runCmd([]string{"check", "-config", withSecret}, &out, io.Discard, time.Now()); err != nil {
		t.Fatalf("check with an unset secret: %v\n%s", err, out.String())
	}
	if want := "warning: sources[3].proxy: environment variable CHECK_PROXY_61 is not set"; !strings.Contains(out.String(), want) {
		t.Errorf("check output lacks %q:\n%s", want, out.String())
	}
	t.Setenv("CHECK_PROXY_61", "ftp://p.example")
	out.Reset()
	if err := runCmd([]string{"check", "-config", withSecret}, &out, io.Discard, time.Now()); exitCode(err) != 1 ||
		!strings.Contains(out.String(), "sources[3].proxy: want an http://, https:// or socks5:// URL") {
		t.Errorf("check with a bad proxy from the environment: %v\n%s", err, out.String())
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("listen: x\nsources:\n  - name: a\n    url: ftp://x\n    schedule: '*/x * * * *'\n  - name: a\n    url: http://a.example\n    colour: red\n"), 0o600)
	out.Reset()
	err := runCmd([]string{"check", "-config", bad}, &out, io.Discard, time.Now())
	var re *reportedError
	if !errors.As(err, &re) || exitCode(err) != 1 {
		t.Fatalf("check bad config: err = %v", err)
	}
	for _, want := range []string{
		`sources[0].url: bad URL "ftp://x": must be absolute http(s) or file (` + bad + `:4)`,
		`sources[0].schedule: bad cron "*/x * * * *"`,
		`sources[1].name: duplicate name "a" (first at index 0) (` + bad + `:6)`,
		`sources[1].colour: unknown key (` + bad + `:8)`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"frobnicate"}, 2},
		{[]string{"-nope"}, 2},
		{[]string{"check", "extra"}, 2},
		{[]string{"-config", "/nonexistent/config.yaml", "check"}, 1},
	}
	for _, tt := range tests {
		err := runCmd(tt.args, io.Discard, io.Discard, time.Now())
		if err == nil || exitCode(err) != tt.code {
			t.Errorf("run %q = %v (exit %d), want exit %d", tt.args, err, exitCode(err), tt.code)
		}
	}
	var out bytes.Buffer
	if err := runCmd([]string{"-version"}, &out, io.Discard, time.Now()); err != nil || !strings.HasPrefix(out.String(), "tributary ") {
		t.Errorf("-version = %q, %v", out.String(), err)
	}
}

func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := runCmd([]string{"eval", "-config", filepath.Join(dir, "config.yaml"), "-json", "-pairs", "../eval/testdata/pairs.tsv"}, &out, io.Discard, time.Now()); err == nil {
		t.Error("eval with a missing explicit -config succeeded")
	}
	out.Reset()
	if err := runCmd([]string{"eval", "-json", "-pairs", "../eval/testdata/pairs.tsv"}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	var pairs map[string]any
	if err := json.Unmarshal(out.Bytes(), &pairs); err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(pairs); got != "f1 pairs precision recall" {
		t.Errorf("pairs JSON keys = %s", got)
	}
	out.Reset()
	if err := runCmd([]string{"eval", "-json", "-stories", "../eval/testdata/stories.csv"}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	var stories map[string]any
	if err := json.Unmarshal(out.Bytes(), &stories); err != nil {
		t.Fatal(err)
	}
	if got := sortedKeys(stories); got != "bcubed_f1 bcubed_precision bcubed_recall items pair_f1 pair_precision pair_recall seconds stories" {
		t.Errorf("stories JSON keys = %s", got)
	}
	out.Reset()
	if err := runCmd([]string{"eval", "-sweep", "-pairs", "../eval/testdata/pairs.tsv"}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 19 {
		t.Errorf("sweep printed %d lines, want a header and 18 thresholds:\n%s", lines, out.String())
	}
	// -apart leaves the largest true story out of the score; -baseline
	// scores the TF-IDF yardstick instead of the engine.
	scoredItems := func(args ...string) float64 {
		out.Reset()
		if err := runCmd(append([]string{"eval", "-json", "-stories", "../eval/testdata/stories.csv"}, args...), &out, io.Discard, time.Now()); err != nil {
			t.Fatal(err)
		}
		var r map[string]any
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r["items"].(float64)
	}
	if all, apart, base := scoredItems(), scoredItems("-apart", "1"), scoredItems("-baseline", "0.35", "-apart", "1"); apart >= all || base != apart {
		t.Errorf("items scored: %v, with -apart 1 %v, the baseline with -apart 1 %v", all, apart, base)
	}
	out.Reset()
	if err := runCmd([]string{"eval", "-threshold", "0.01", "-pairs", "../eval/testdata/pairs.tsv"}, &out, io.Discard, time.Now()); err != nil || !strings.Contains(out.String(), "recall 1.0000") {
		t.Errorf("-threshold 0.01: %q, %v", out.String(), err)
	}
	if err := runCmd([]string{"eval", "-pairs", "a", "-stories", "b"}, io.Discard, io.Discard, time.Now()); exitCode(err) != 2 {
		t.Errorf("both -pairs and -stories: %v", err)
	}
}

func sortedKeys(m map[string]any) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, " ")
}

func TestExplainCommand(t *testing.T) { fixture.AtClocks(t, testExplainCommand) }

func testExplainCommand(t *testing.T, now time.Time) {
	up := fixture.Upstream(t, now)
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	run := func(args []string, stdout, stderr io.Writer) error { return runCmd(args, stdout, stderr, now) }
	if err := run([]string{"fetch", "-config", cfg}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	// Flags may come after the argument.
	err := run([]string{"explain", "http://wire.example/2026/11/27/ukraine-russia-geneva-talks?fbclid=abc123", "-config", cfg}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"item:       harbor",
		"decision:   same canonical URL as the representative",
		"[representative",
		"northwind",
		"prio 10",
		"thresholds: join 0.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explain output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run([]string{"explain", "-config", cfg, "Record heat in the Sahel strains water supplies"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "its story's only member") {
		t.Errorf("explain by title:\n%s", out.String())
	}
	out.Reset()
	if err := run([]string{"explain", "-config", cfg, "Sahel heat record strains water supplies across the region"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "it would join story") || !strings.Contains(out.String(), "candidate stories:") {
		t.Errorf("explain of a new headline:\n%s", out.String())
	}
	if err := run([]string{"explain", "-config", cfg}, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("explain without an argument: %v", err)
	}
}

func TestStatusAndBackup(t *testing.T) {
	up := fixture.Upstream(t, time.Now())
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))
	runCmd([]string{"fetch", "-config", cfg}, io.Discard, io.Discard, time.Now())

	var out bytes.Buffer
	if err := runCmd([]string{"status", "-config", cfg}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SOURCE", "northwind", "ok", "broken-500", "failing", "broken-500: fetch: 500 Internal Server Error", "topic ukraine", "topic all                  9 stories"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := runCmd([]string{"status", "-json", "-config", cfg}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Sources []sourceStatus
		Topics  []topicStatus
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Sources) != 6 || len(st.Topics) != 4 || st.Topics[0].Stories != 9 {
		t.Errorf("status JSON = %+v", st)
	}

	copyPath := filepath.Join(dir, "backup.db")
	out.Reset()
	if err := runCmd([]string{"backup", "-config", cfg, copyPath}, &out, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(t.TempDir(), "state")
	os.MkdirAll(restored, 0o700)
	data, _ := os.ReadFile(copyPath)
	os.WriteFile(filepath.Join(restored, sqlite.FileName), data, 0o600)
	rdb, err := sqlite.Open(context.Background(), restored)
	if err != nil {
		t.Fatal(err)
	}
	srcs, _ := rdb.Sources(context.Background())
	rdb.Close()
	items := 0
	for _, s := range srcs {
		items += s.Items
	}
	if items != 12 {
		t.Errorf("restored backup holds %d items, want 12", items)
	}
	if err := runCmd([]string{"backup", "-config", cfg, copyPath}, io.Discard, io.Discard, time.Now()); err == nil {
		t.Error("backup overwrote an existing file")
	}
}
