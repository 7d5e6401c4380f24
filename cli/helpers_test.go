package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/aggregator"
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

// running is one run of "tributary serve" in the background, followed
// through the daemon's hooks, never through its logs.
type running struct {
	cancel  context.CancelFunc
	done    chan error
	logs    *syncBuffer
	d       *daemon
	base    string // the public listener's URL
	ops     string // the operators' listener's URL, when there is one
	polls   chan aggregator.Result
	reloads chan error
	results []aggregator.Result // the polls startDaemon waited for
}

// startDaemon runs serve on configPath at the clock now, and returns once
// it has finished polls polls (each source polls once at start) and
// rendered what they changed.
func startDaemon(t *testing.T, configPath string, polls int, now time.Time) *running {
	t.Helper()
	return startDaemonClock(t, configPath, polls, fixed(now))
}

// startDaemonClock is startDaemon with a clock that may move.
func startDaemonClock(t *testing.T, configPath string, polls int, clock func() time.Time) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{},
		polls: make(chan aggregator.Result, 1000), reloads: make(chan error, 10)}
	serving := make(chan *daemon, 1)
	e := testEnv(io.Discard, r.logs, time.Time{})
	e.now = clock
	e.hooks = hooks{
		serving:  func(d *daemon) { serving <- d },
		polled:   func(res aggregator.Result) { r.polls <- res },
		reloaded: func(err error) { r.reloads <- err },
	}
	go func() { r.done <- run(ctx, e, []string{"serve", "-config", configPath}) }()
	timeout := time.After(20 * time.Second)
	select {
	case r.d = <-serving:
	case err := <-r.done:
		t.Fatalf("daemon exited early: %v\n%s", err, r.logs.String())
	case <-timeout:
		cancel()
		t.Fatalf("daemon did not start:\n%s", r.logs.String())
	}
	r.base = "http://" + r.d.addr
	if r.d.opsAddr != "" {
		r.ops = "http://" + r.d.opsAddr
	}
	for range polls {
		select {
		case res := <-r.polls:
			r.results = append(r.results, res)
		case <-timeout:
			cancel()
			t.Fatalf("daemon did not finish %d polls:\n%s", polls, r.logs.String())
		}
	}
	if err := r.d.pub.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// waitPoll waits for a poll of source and returns its result.
func (r *running) waitPoll(t *testing.T, source string) aggregator.Result {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case res := <-r.polls:
			if res.Source == source {
				return res
			}
		case <-timeout:
			t.Fatalf("no poll of %s:\n%s", source, r.logs.String())
		}
	}
}

// waitReload waits for a reload to be applied or rejected.
func (r *running) waitReload(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.reloads:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("no reload:\n%s", r.logs.String())
		return nil
	}
}

// testEnv is the environment of a command run by a test, at the clock now.
func testEnv(stdout, stderr io.Writer, now time.Time) *env {
	return &env{stdout: stdout, stderr: stderr, getenv: os.Getenv, now: fixed(now)}
}

// runCmd runs a command line as tributary would, at the clock now.
func runCmd(args []string, stdout, stderr io.Writer, now time.Time) error {
	return run(context.Background(), testEnv(stdout, stderr, now), args)
}

// freePort returns a loopback address nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (d *running) stop(t *testing.T) {
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

func (d *running) get(t *testing.T, path string, hdr ...string) *http.Response {
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

func (d *running) feed(t *testing.T, name string) *gofeed.Feed {
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
