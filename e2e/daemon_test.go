// Package e2e tests tributary as its users meet it: the real binary, its
// feeds read by real feed readers (newsboat, Python's feedparser, sfeed)
// and its front page in a real browser (headless Chromium). It is a module
// of its own, so that its tools (chromedp) stay out of the daemon's.
package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// requireReaders makes a missing reader or browser a failure instead of
// a skip; the test script sets it after installing them.
const requireReaders = "TRIBUTARY_REQUIRE_READERS"

// missing skips a test whose tool is not installed, or fails it under
// requireReaders.
func missing(t *testing.T, tool string) {
	t.Helper()
	if os.Getenv(requireReaders) != "" {
		t.Fatalf("%s is not installed (run scripts/install-test-deps)", tool)
	}
	t.Skipf("%s is not installed; scripts/install-test-deps installs it", tool)
}

// binary builds tributary, in its own module at the parent directory.
func binary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tributary")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// writeConfig writes a config listening on addr (also the base URL) with
// the given sources and topics, and returns its path.
func writeConfig(t *testing.T, addr, sources, topics string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`listen: %q
base_url: "http://%s"
metrics_listen: ""
state_dir: ./state
defaults: {schedule: "@every 1h", timeout: 10s}
publish: {title: "tributary test", limit: 50}
sources:
%s
topics:
%s`, addr, addr, sources, topics)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// daemon is the binary serving a config whose sources were fetched first:
// serve renders the store before it listens, so once it answers, every
// feed holds what the fetch stored.
type daemon struct {
	base string
	cmd  *exec.Cmd
}

// serve runs `tributary fetch` (failing the test on any source error)
// then `tributary serve` on cfg, and waits until it answers.
func serve(t *testing.T, bin, cfg, addr string) *daemon {
	t.Helper()
	out, err := exec.Command(bin, "fetch", "-config", cfg).CombinedOutput()
	if err != nil || strings.Contains(string(out), ": error: ") {
		t.Fatalf("fetch: %v\n%s", err, out)
	}
	d := &daemon{base: "http://" + addr, cmd: exec.Command(bin, "serve", "-config", cfg)}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.cmd.Process.Signal(syscall.SIGTERM)
		d.cmd.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(d.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return d
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the daemon did not answer")
		}
	}
}

// feed gets and parses one published feed.
func (d *daemon) feed(t *testing.T, name string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseURL(d.base + "/feeds/" + name)
	if err != nil {
		t.Fatalf("/feeds/%s: %v", name, err)
	}
	return f
}
