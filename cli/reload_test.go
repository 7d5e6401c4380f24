package cli

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"tributary/internal/fixture"

	"github.com/mmcdole/gofeed"
)

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

	up := fixture.Upstream(t, time.Now())
	cfg := writeConfig(t, dir, up.URL, "")
	d := startDaemon(t, cfg, 3, time.Now())
	waitFor("READY=1", func() bool { return strings.Contains(states.String(), "READY=1") })
	waitFor("STATUS=", func() bool { return strings.Contains(states.String(), "STATUS=sources ") })
	waitFor("WATCHDOG=1", func() bool { return strings.Count(states.String(), "WATCHDOG=1") >= 3 })

	good, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(good, []byte("bogus_key: 1\n")...), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	if err := d.waitReload(t); err == nil || !strings.Contains(err.Error(), "bogus_key: unknown key") {
		t.Errorf("reload of a broken config: %v, want it rejected naming the key", err)
	}
	if r := d.get(t, "/feeds/tech.rss"); r.StatusCode != 200 {
		t.Errorf("after a rejected reload: tech.rss = %s", r.Status)
	}
	// A schedule that never fires once pinned a core in the reload and
	// left the daemon deaf to later reloads and to SIGTERM.
	os.WriteFile(cfg, []byte(strings.Replace(string(good), `schedule: "@every 1h"`, `schedule: "0 0 30 2 *"`, 1)), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	if err := d.waitReload(t); err == nil || !strings.Contains(err.Error(), `defaults.schedule: "0 0 30 2 *" never fires`) {
		t.Errorf("reload of a never-firing schedule: %v, want it rejected", err)
	}

	changed := strings.Replace(string(good), "  - name: tech\n    title: \"Technology\"\n    any: [ai, \"chip*\", quantum]\n",
		"  - name: health\n    title: \"Health\"\n    any: [health, pandemic]\n", 1)
	changed = strings.Replace(changed, "  - name: harbor\n", "  - name: harbor-renamed\n", 1)
	os.WriteFile(cfg, []byte(changed), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	if err := d.waitReload(t); err != nil {
		t.Fatalf("reload: %v", err)
	}
	d.waitPoll(t, "harbor-renamed") // an added source is polled at once
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
	if !regexp.MustCompile(`STATUS=sources \d+ ok, 0 failing; 9 stories; last poll \d\d:\d\d:\d\d`).MatchString(states.String()) {
		t.Errorf("no STATUS line with the stories and last poll:\n%s", states.String())
	}
	// A key that takes a restart, changed and then changed back: the
	// revert is what runs, so only the change warns.
	restartWarnings := func() int { return strings.Count(d.logs.String(), "this change takes a restart") }
	before := restartWarnings()
	os.WriteFile(cfg, []byte(strings.Replace(changed, `title: "tributary test"`, `title: "renamed"`, 1)), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	if err := d.waitReload(t); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if restartWarnings() != before+1 {
		t.Errorf("changing publish.title: %d restart warnings, want 1", restartWarnings()-before)
	}
	os.WriteFile(cfg, []byte(changed), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	if err := d.waitReload(t); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if restartWarnings() != before+1 {
		t.Errorf("reverting publish.title warned again: %d warnings, want 1", restartWarnings()-before)
	}
	d.stop(t)
	waitFor("STOPPING=1", func() bool { return strings.Contains(states.String(), "STOPPING=1") })
}
