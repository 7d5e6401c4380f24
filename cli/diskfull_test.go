package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestFullDiskEndToEnd runs the real binary with its state directory on a
// 1 MiB tmpfs (in a mount namespace of its own, unshare -rm), fed a feed
// that grows at every poll until the disk is full: the operators'
// readiness says why, the metrics count the failed polls, and what was
// stored is still published.
func TestFullDiskEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("cannot make a mount namespace here (unshare -rm): %v", err)
	}
	var polls atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(polls.Add(1))
		var b strings.Builder
		b.WriteString(`<rss version="2.0"><channel><title>big</title><link>https://big.example/</link><description>d</description>`)
		for i := range 30 + 300*(n-1) { // the first poll fits, the next ones soon do not
			fmt.Fprintf(&b, "<item><guid>%d</guid><title>Story %d of a growing feed</title><link>https://big.example/%d</link><description>%s</description></item>",
				i, i, i, strings.Repeat("words ", 500))
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	}))
	defer up.Close()
	dir := t.TempDir()
	bin := filepath.Join(dir, "tributary")
	if out, err := exec.Command("go", "build", "-o", bin, "tributary").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	public, ops := freePort(t), freePort(t)
	state := filepath.Join(dir, "state")
	os.MkdirAll(state, 0o700)
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`listen: %q
metrics_listen: %q
state_dir: %q
defaults: {schedule: "@every 1s"}
fetch: {min_interval: 1s, jitter: 0s, max_backoff: 1s}
sources:
  - name: big
    url: %s
`, public, ops, state, up.URL)), 0o600)
	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount -t tmpfs -o size=1m tmpfs "$1" && exec "$2" serve -config "$3"`,
		"sh", state, bin, cfg)
	var logs syncBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	var code int
	var why string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if code, why = get("http://" + ops + "/readyz"); code == http.StatusServiceUnavailable && strings.Contains(why, "disk is full") {
			break
		}
	}
	if code != http.StatusServiceUnavailable || !strings.Contains(why, "not ready: store: polls not stored since") || !strings.Contains(why, "database or disk is full") {
		t.Fatalf("operators' readyz = %d %q, want 503 naming the full disk\n%s", code, why, logs.String())
	}
	if !strings.Contains(why, filepath.Join(state, "tributary.db")) {
		t.Errorf("readyz does not name the database file: %q", why)
	}
	if code, body := get("http://" + public + "/readyz"); code != http.StatusServiceUnavailable || body != "not ready\n" {
		t.Errorf("public readyz = %d %q, want 503 and no detail", code, body)
	}
	if _, metrics := get("http://" + ops + "/metrics"); !strings.Contains(metrics, `tributary_polls_total{outcome="error",source="big"}`) {
		t.Errorf("metrics do not count the failed polls")
	}
	// The first poll's stories stay published (rendered half a second
	// after it, perhaps after the disk filled).
	var entries int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && entries != 30; time.Sleep(50 * time.Millisecond) {
		_, body := get("http://" + public + "/feeds/all.rss")
		entries = strings.Count(body, "of a growing feed</title>")
	}
	if entries != 30 {
		t.Errorf("the stored stories are not published: %d entries, want 30\n%s", entries, logs.String())
	}
}
