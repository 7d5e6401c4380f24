package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/sqlite"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixtureUpstream serves the project's fixture feeds, dated relative to
// now, plus broken ones.
func fixtureUpstream(t *testing.T, now time.Time) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, name := range []string{"northwind.rss", "meridian.atom", "harbor.json"} {
		mux.HandleFunc("/"+name, serveFixture(t, name, now))
	}
	mux.HandleFunc("/broken-500", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream on fire", http.StatusInternalServerError)
	})
	mux.HandleFunc("/broken-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html><html><head><title>Subscribe!</title></head><body>paywall</body></html>")
	})
	mux.HandleFunc("/broken-truncated", func(w http.ResponseWriter, r *http.Request) {
		body, _ := os.ReadFile(filepath.Join("testdata", "feeds", "northwind.rss"))
		w.Write(body[:len(body)/2])
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeConfig(t *testing.T, dir, upstream string, extraSources string) string {
	t.Helper()
	cfg := fmt.Sprintf(`listen: "127.0.0.1:0"
metrics_listen: "127.0.0.1:0"
base_url: "http://news.example"
state_dir: "./state"
log:
  level: debug
defaults:
  schedule: "@every 1h"
  timeout: 5s
publish:
  title: "tributary test"
  limit: 50
sources:
  - name: northwind
    url: %[1]s/northwind.rss
    priority: 10
  - name: meridian
    url: %[1]s/meridian.atom
  - name: harbor
    url: %[1]s/harbor.json
%[2]s
topics:
  - name: ukraine
    title: "Ukraine war"
    any: [ukraine, kyiv, "zelensk*", "\"peace talks\"", "/\\bputin\\b/"]
    none: [football]
  - name: climate
    title: "Climate"
    any: [climate, "glacier*", heat]
  - name: tech
    title: "Technology"
    any: [ai, "chip*", quantum]
`, upstream, extraSources)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const brokenSources = `  - name: broken-500
    url: %[1]s/broken-500
  - name: broken-html
    url: %[1]s/broken-html
  - name: broken-truncated
    url: %[1]s/broken-truncated`

// daemon is one run of "tributary serve" in the background.
type daemon struct {
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
	base   string
	ops    string // the metrics listener's base URL, when it has one
}

func startDaemon(t *testing.T, configPath string, polls int, now time.Time) *daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemon{cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}}
	go func() { d.done <- runAt(ctx, []string{"serve", "-config", configPath}, io.Discard, d.logs, fixed(now)) }()
	addrRE := regexp.MustCompile(`msg=listening addr=(http://\S+)`)
	opsRE := regexp.MustCompile(`msg="metrics listening" addr=(http://\S+)/metrics`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		logs := d.logs.String()
		if m := addrRE.FindStringSubmatch(logs); m != nil && d.base == "" {
			d.base = m[1]
		}
		if m := opsRE.FindStringSubmatch(logs); m != nil && d.ops == "" {
			d.ops = m[1]
		}
		// A source backing off after a failure is skipped, also at start-up.
		done := strings.Count(logs, "msg=polled") + strings.Count(logs, `msg="poll failed"`) + strings.Count(logs, `msg="poll skipped"`)
		if d.base != "" && done >= polls {
			// The feeds are rendered shortly after the last change.
			last := strings.LastIndex(logs, "outcome=changed")
			if last < 0 || strings.Contains(logs[last:], `msg="feeds rendered"`) {
				return d
			}
		}
		select {
		case err := <-d.done:
			t.Fatalf("daemon exited early: %v\n%s", err, d.logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("daemon did not finish %d polls:\n%s", polls, d.logs.String())
	return nil
}

func (d *daemon) stop(t *testing.T) {
	t.Helper()
	d.cancel()
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("daemon stop: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("daemon did not stop")
	}
}

func (d *daemon) get(t *testing.T, path string, hdr ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", d.base+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (d *daemon) feed(t *testing.T, name string) *gofeed.Feed {
	t.Helper()
	resp := d.get(t, "/feeds/"+name)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /feeds/%s = %s", name, resp.Status)
	}
	f, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil {
		t.Fatalf("parse /feeds/%s: %v", name, err)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestEndToEnd(t *testing.T) { atClocks(t, testEndToEnd) }

func testEndToEnd(t *testing.T, now time.Time) {
	up := fixtureUpstream(t, now)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))

	d := startDaemon(t, cfg, 6, now)
	// 12 items; the wire story reached all three outlets: 10 stories.
	for _, format := range []string{"rss", "atom", "json"} {
		all := d.feed(t, "all."+format)
		if len(all.Items) != 10 {
			t.Errorf("all.%s has %d entries, want 10: %q", format, len(all.Items), titles(all))
		}
		ukr := d.feed(t, "ukraine."+format)
		if len(ukr.Items) != 1 || ukr.Items[0].Title != "Ukraine and Russia agree to new round of peace talks in Geneva" {
			t.Errorf("ukraine.%s = %q, want only the collapsed Geneva story (priority source first)", format, titles(ukr))
		} else if body := ukr.Items[0].Description + ukr.Items[0].Content; !strings.Contains(body, "meridian") || !strings.Contains(body, "harbor") {
			t.Errorf("ukraine.%s: no also-reported links: %q", format, body)
		}
		if got := titles(d.feed(t, "tech."+format)); len(got) != 2 {
			t.Errorf("tech.%s = %q, want 2 entries", format, got)
		}
		if got := titles(d.feed(t, "climate."+format)); len(got) != 2 {
			t.Errorf("climate.%s = %q, want 2 entries", format, got)
		}
	}
	// Hostile markup in the fixtures never reaches a published feed.
	for _, name := range []string{"all.rss", "all.atom", "all.json"} {
		body, _ := io.ReadAll(d.get(t, "/feeds/"+name).Body)
		for _, bad := range []string{"<script", "&lt;script", "javascript:", "onclick", "<iframe", "&lt;iframe"} {
			if bytes.Contains(body, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}

	resp := d.get(t, "/feeds/ukraine.atom")
	etag := resp.Header.Get("ETag")
	if resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" || etag == "" {
		t.Errorf("headers = %v", resp.Header)
	}
	if r := d.get(t, "/feeds/ukraine.atom", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match round trip = %s, want 304", r.Status)
	}
	if r := d.get(t, "/feeds/nope.rss"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown topic = %s, want 404", r.Status)
	}
	// The public health answers name nothing; the metrics listener's do.
	if r := d.get(t, "/healthz"); r.StatusCode != 200 {
		t.Errorf("healthz = %s", r.Status)
	} else if body, _ := io.ReadAll(r.Body); string(body) != "ok\n" {
		t.Errorf("public healthz says more than ok:\n%s", body)
	}
	if r := d.get(t, "/readyz"); r.StatusCode != 200 {
		body, _ := io.ReadAll(r.Body)
		t.Errorf("readyz = %s %s", r.Status, body)
	}
	m := regexp.MustCompile(`msg="metrics listening" addr=(http://\S+)/metrics`).FindStringSubmatch(d.logs.String())
	if m == nil {
		t.Fatalf("no metrics listener in the log:\n%s", d.logs.String())
	}
	ops := m[1]
	if r, err := http.Get(ops + "/healthz"); err != nil {
		t.Fatal(err)
	} else if body, _ := io.ReadAll(r.Body); !bytes.Contains(body, []byte("failing: broken-500 (1 in a row): broken-500: fetch: 500 Internal Server Error")) {
		t.Errorf("operators' healthz lacks the failing source:\n%s", body)
	}
	if r, err := http.Get(ops + "/readyz"); err != nil || r.StatusCode != 200 {
		t.Errorf("operators' readyz = %v, %v", r, err)
	}
	resp, err := http.Get(ops + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`tributary_polls_total{outcome="changed",source="northwind"} 1`,
		`tributary_polls_total{outcome="error",source="broken-500"} 1`,
		`tributary_fetch_http_status_total{code="500",source="broken-500"} 1`,
		`tributary_items_new_total{source="northwind"} 5`,
		`tributary_duplicates_merged_total{source=`,
		`tributary_feed_requests_total{code="304",format="atom"} 1`,
		`tributary_stories 10`,
		`tributary_build_info{version="`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if r := d.get(t, "/metrics"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public listener = %s, want 404", r.Status)
	}
	front, _ := io.ReadAll(d.get(t, "/").Body)
	if !bytes.Contains(front, []byte(`href="http://news.example/feeds/ukraine.rss"`)) {
		t.Errorf("front page lacks the ukraine feed link")
	}
	allBefore, _ := io.ReadAll(d.get(t, "/feeds/all.atom").Body)
	d.stop(t)

	// Broken sources: errors recorded, named, and the rest unaffected.
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "state"))
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := db.Sources(context.Background())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantErr := map[string]string{
		"broken-500":       "broken-500: fetch: 500 Internal Server Error",
		"broken-html":      "broken-html: parse: HTML page, not a feed (Content-Type text/html)",
		"broken-truncated": "broken-truncated: parse: ",
	}
	items := 0
	for _, s := range srcs {
		items += s.Items
		if want, ok := wantErr[s.Name]; ok {
			if !strings.HasPrefix(s.State.LastError, want) || s.State.Failures != 1 {
				t.Errorf("%s: last error %q (failures %d), want %q", s.Name, s.State.LastError, s.State.Failures, want)
			}
		} else if s.State.LastError != "" || s.State.LastSuccess.IsZero() {
			t.Errorf("%s: %+v, want a clean success", s.Name, s.State)
		}
	}
	if items != 12 {
		t.Errorf("stored items = %d, want 12", items)
	}

	// Restart on the same state: nothing duplicated, same bytes.
	d = startDaemon(t, cfg, 6, now)
	if n := len(d.feed(t, "all.json").Items); n != 10 {
		t.Errorf("after restart: all.json has %d entries, want 10", n)
	}
	allAfter, _ := io.ReadAll(d.get(t, "/feeds/all.atom").Body)
	if !bytes.Equal(allBefore, allAfter) {
		t.Errorf("all.atom changed across a restart with no new content")
	}
	if r := d.get(t, "/feeds/ukraine.atom", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("ETag from before the restart = %s, want 304", r.Status)
	}
	d.stop(t)
	if strings.Contains(d.logs.String(), "items_new=1") {
		t.Errorf("the restart stored new items:\n%s", d.logs.String())
	}
}

func TestFetchCommand(t *testing.T) {
	up := fixtureUpstream(t, time.Now())
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))
	var out bytes.Buffer
	if err := run(context.Background(), []string{"fetch", "-config", cfg}, &out, io.Discard); err != nil {
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
	run(context.Background(), []string{"fetch", "-config", cfg}, &out, io.Discard)
	if !strings.Contains(out.String(), "northwind: 0 new, 0 updated, 0 unchanged, not modified") {
		t.Errorf("second fetch:\n%s", out.String())
	}

	// Every source failing is the one case that fails the command.
	allBroken := writeConfig(t, t.TempDir(), up.URL+"/broken-500#", "")
	err := run(context.Background(), []string{"fetch", "-config", allBroken}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "all 3 sources failed") {
		t.Errorf("all failing: err = %v", err)
	}
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeConfig(t, dir, "https://up.example", "")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check", "-config", good}, &out, io.Discard); err != nil {
		t.Fatalf("check good config: %v", err)
	}
	if !strings.Contains(out.String(), "ok: 3 sources, 3 topics") {
		t.Errorf("summary = %q", out.String())
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("listen: x\nsources:\n  - name: a\n    url: ftp://x\n    schedule: '*/x * * * *'\n  - name: a\n    url: http://a.example\n    colour: red\n"), 0o600)
	out.Reset()
	err := run(context.Background(), []string{"check", "-config", bad}, &out, io.Discard)
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
		err := run(context.Background(), tt.args, io.Discard, io.Discard)
		if err == nil || exitCode(err) != tt.code {
			t.Errorf("run %q = %v (exit %d), want exit %d", tt.args, err, exitCode(err), tt.code)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "tributary ") {
		t.Errorf("-version = %q, %v", out.String(), err)
	}
}

func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"eval", "-config", filepath.Join(dir, "config.yaml"), "-json", "-pairs", "eval/testdata/pairs.tsv"}, &out, io.Discard); err == nil {
		t.Error("eval with a missing explicit -config succeeded")
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", "-json", "-pairs", "eval/testdata/pairs.tsv"}, &out, io.Discard); err != nil {
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
	if err := run(context.Background(), []string{"eval", "-json", "-stories", "eval/testdata/stories.csv"}, &out, io.Discard); err != nil {
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
	if err := run(context.Background(), []string{"eval", "-sweep", "-pairs", "eval/testdata/pairs.tsv"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 17 {
		t.Errorf("sweep printed %d lines, want a header and 16 thresholds:\n%s", lines, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", "-threshold", "0.01", "-pairs", "eval/testdata/pairs.tsv"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "recall 1.0000") {
		t.Errorf("-threshold 0.01: %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"eval", "-pairs", "a", "-stories", "b"}, io.Discard, io.Discard); exitCode(err) != 2 {
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

func TestExplainCommand(t *testing.T) { atClocks(t, testExplainCommand) }

func testExplainCommand(t *testing.T, now time.Time) {
	up := fixtureUpstream(t, now)
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	run := func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		return runAt(ctx, args, stdout, stderr, fixed(now))
	}
	if err := run(context.Background(), []string{"fetch", "-config", cfg}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	// Flags may come after the argument.
	err := run(context.Background(), []string{"explain", "http://wire.example/2026/11/27/ukraine-russia-geneva-talks?fbclid=abc123", "-config", cfg}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"item:       harbor",
		"decision:   same canonical URL as the representative",
		"[representative]",
		"northwind",
		"prio 10",
		"thresholds: 0.66",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explain output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"explain", "-config", cfg, "Record heat in the Sahel strains water supplies"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "its story's only member") {
		t.Errorf("explain by title:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"explain", "-config", cfg, "Sahel heat record strains water supplies across the region"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "it would join story") || !strings.Contains(out.String(), "candidate stories:") {
		t.Errorf("explain of a new headline:\n%s", out.String())
	}
	if err := run(context.Background(), []string{"explain", "-config", cfg}, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("explain without an argument: %v", err)
	}
}

func TestStatusAndBackup(t *testing.T) {
	up := fixtureUpstream(t, time.Now())
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, fmt.Sprintf(brokenSources, up.URL))
	run(context.Background(), []string{"fetch", "-config", cfg}, io.Discard, io.Discard)

	var out bytes.Buffer
	if err := run(context.Background(), []string{"status", "-config", cfg}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SOURCE", "northwind", "ok", "broken-500", "failing", "broken-500: fetch: 500 Internal Server Error", "topic ukraine", "topic all                  10 stories"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"status", "-json", "-config", cfg}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Sources []sourceStatus
		Topics  []topicStatus
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Sources) != 6 || len(st.Topics) != 4 || st.Topics[0].Stories != 10 {
		t.Errorf("status JSON = %+v", st)
	}

	copyPath := filepath.Join(dir, "backup.db")
	out.Reset()
	if err := run(context.Background(), []string{"backup", "-config", cfg, copyPath}, &out, io.Discard); err != nil {
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
	if err := run(context.Background(), []string{"backup", "-config", cfg, copyPath}, io.Discard, io.Discard); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

// TestReloadAndNotify runs the daemon as systemd would ($NOTIFY_SOCKET),
// reloads a broken and then a changed config with SIGHUP, and stops it.
func TestReloadAndNotify(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Skipf("no unixgram socket: %v", err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "300000") // WatchdogSec=0.3s: a ping every 0.1s
	var states syncBuffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			states.Write(append(buf[:n:n], '\n'))
		}
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; notify states:\n%s", what, states.String())
			}
		}
	}

	up := fixtureUpstream(t, time.Now())
	cfg := writeConfig(t, dir, up.URL, "")
	d := startDaemon(t, cfg, 3, time.Now())
	waitFor("READY=1", func() bool { return strings.Contains(states.String(), "READY=1") })
	waitFor("STATUS=", func() bool { return strings.Contains(states.String(), "STATUS=sources ") })
	waitFor("WATCHDOG=1", func() bool { return strings.Count(states.String(), "WATCHDOG=1") >= 3 })

	good, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(good, []byte("bogus_key: 1\n")...), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor("the rejected reload", func() bool { return strings.Contains(d.logs.String(), "bogus_key: unknown key") })
	if r := d.get(t, "/feeds/tech.rss"); r.StatusCode != 200 {
		t.Errorf("after a rejected reload: tech.rss = %s", r.Status)
	}

	changed := strings.Replace(string(good), "  - name: tech\n    title: \"Technology\"\n    any: [ai, \"chip*\", quantum]\n",
		"  - name: health\n    title: \"Health\"\n    any: [health, pandemic]\n", 1)
	changed = strings.Replace(changed, "  - name: harbor\n", "  - name: harbor-renamed\n", 1)
	os.WriteFile(cfg, []byte(changed), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor("the reload", func() bool { return strings.Contains(d.logs.String(), "msg=reloaded") })
	waitFor("the renamed source's first poll", func() bool {
		return strings.Contains(d.logs.String(), "source=harbor-renamed outcome=")
	})
	if r := d.get(t, "/feeds/health.rss"); r.StatusCode != 200 {
		t.Errorf("new topic after reload: %s", r.Status)
	} else if f, err := gofeed.NewParser().Parse(r.Body); err != nil || len(f.Items) != 1 {
		t.Errorf("health feed after reload: %v, %v", f, err)
	}
	if r := d.get(t, "/feeds/tech.rss"); r.StatusCode != 404 {
		t.Errorf("removed topic after reload: %s, want 404", r.Status)
	}
	if !strings.Contains(states.String(), "RELOADING=1") {
		t.Errorf("no RELOADING=1 sent:\n%s", states.String())
	}
	waitFor("STATUS= after the reload", func() bool { return strings.Count(states.String(), "STATUS=sources ") >= 2 })
	if !regexp.MustCompile(`STATUS=sources \d+ ok, 0 failing; 10 stories; last poll \d\d:\d\d:\d\d`).MatchString(states.String()) {
		t.Errorf("no STATUS line with the stories and last poll:\n%s", states.String())
	}
	d.stop(t)
	waitFor("STOPPING=1", func() bool { return strings.Contains(states.String(), "STOPPING=1") })
}

// hostileFeed carries item links a reader must never get as links: every
// case of javascript:, data: and vbscript:, encoded and padded, one of
// them on a copy of a fixture story it represents (priority 20).
const hostileFeed = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link><description>d</description>
<item><guid>h1</guid><title>Glaciers in the Alps lost 4% of their ice this year</title><link>JaVaScRiPt:alert(4)</link></item>
<item><guid>h2</guid><title>Hostile two</title><link>javascript&#58;alert(1)</link></item>
<item><guid>h3</guid><title>Hostile three</title><link>   javascript:alert(2)</link></item>
<item><guid>h4</guid><title>Hostile four</title><link>vbscript:msgbox(1)</link></item>
<item><guid>h5</guid><title>Hostile five</title><link>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</link></item>
<item><guid>h6</guid><title>Hostile six</title><link>java&#x09;script:alert(5)</link></item>
</channel></rss>`

// TestHostileLinksInEveryOutput: through the daemon, no published feed
// of any topic, nor the front page, carries an unsafe link, and every
// hostile item is still stored and published.
func TestHostileLinksInEveryOutput(t *testing.T) {
	now := time.Now()
	up := fixtureUpstream(t, now)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, hostileFeed) }))
	defer hostile.Close()
	cfg := writeConfig(t, t.TempDir(), up.URL, "  - name: hostile\n    url: "+hostile.URL+"\n    priority: 20")
	d := startDaemon(t, cfg, 4, now)
	defer d.stop(t)
	if n := len(d.feed(t, "all.json").Items); n != 10+5 {
		t.Errorf("all.json has %d entries, want the fixtures' 10 and 5 of the 6 hostile items (one joined a story)", n)
	}
	paths := []string{"/"}
	for _, topic := range []string{"all", "ukraine", "climate", "tech"} {
		for _, f := range []string{"rss", "atom", "json"} {
			paths = append(paths, "/feeds/"+topic+"."+f)
		}
	}
	for _, p := range paths {
		body, _ := io.ReadAll(d.get(t, p).Body)
		low := strings.ToLower(string(body))
		for _, bad := range []string{"javascript", "vbscript", "data:text", "alert("} {
			if strings.Contains(low, bad) {
				t.Errorf("%s carries %q", p, bad)
			}
		}
	}
}

// TestOneDaemonPerStore: a second serve (or a fetch) on a running
// daemon's state directory is refused in one line naming the daemon; the
// read-only commands work beside it.
func TestOneDaemonPerStore(t *testing.T) {
	now := time.Now()
	up := fixtureUpstream(t, now)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, "")
	d := startDaemon(t, cfg, 3, now)
	defer d.stop(t)
	want := fmt.Sprintf("%s is used by another tributary (pid %d); stop it first", filepath.Join(dir, "state"), os.Getpid())
	for _, cmd := range []string{"serve", "fetch"} {
		err := runAt(context.Background(), []string{cmd, "-config", cfg}, io.Discard, io.Discard, fixed(now))
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s beside the daemon: err = %v, want one line with %q", cmd, err, want)
		}
	}
	for _, args := range [][]string{{"status"}, {"backup", filepath.Join(t.TempDir(), "copy.db")}, {"explain", "Record heat in the Sahel strains water supplies"}} {
		var out bytes.Buffer
		if err := runAt(context.Background(), append(args, "-config", cfg), &out, io.Discard, fixed(now)); err != nil || out.Len() == 0 {
			t.Errorf("%s beside the daemon: %v\n%s", args[0], err, out.String())
		}
	}
}

// TestNoStoreNoCreation: status and backup on a config whose store does
// not exist say so and create nothing.
func TestNoStoreNoCreation(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "https://up.example", "")
	copyPath := filepath.Join(dir, "copy.db")
	for _, args := range [][]string{{"status"}, {"backup", copyPath}} {
		err := run(context.Background(), append(args, "-config", cfg), io.Discard, io.Discard)
		want := "no store at " + filepath.Join(dir, "state") + " (is state_dir or $STATE_DIRECTORY set?)"
		if err == nil || err.Error() != want || exitCode(err) != 1 {
			t.Errorf("%s: err = %v, want %q", args[0], err, want)
		}
	}
	for _, p := range []string{filepath.Join(dir, "state"), copyPath} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was created", p)
		}
	}
}

// TestDatabaseDeletedWhileRunning: the database file removed under the
// daemon fails the operators' readiness loudly, naming the file.
func TestDatabaseDeletedWhileRunning(t *testing.T) {
	now := time.Now()
	up := fixtureUpstream(t, now)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, "")
	d := startDaemon(t, cfg, 3, now)
	defer d.stop(t)
	if resp, err := http.Get(d.ops + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz before = %v, %v", resp, err)
	}
	db := filepath.Join(dir, "state", sqlite.FileName)
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(d.ops + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), db+": the database file was deleted while in use") {
		t.Errorf("readyz after the database was deleted = %d %q", resp.StatusCode, body)
	}
}
