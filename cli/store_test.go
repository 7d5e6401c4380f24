package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"tributary/internal/fixture"
	"tributary/sqlite"
)

// TestOneDaemonPerStore: a second serve (or a fetch) on a running
// daemon's state directory is refused in one line naming the daemon; the
// read-only commands work beside it.
func TestOneDaemonPerStore(t *testing.T) {
	now := time.Now()
	up := fixture.Upstream(t, now)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, up.URL, "")
	d := startDaemon(t, cfg, 3, now)
	defer d.stop(t)
	want := fmt.Sprintf("%s is used by another tributary (pid %d); stop it first", filepath.Join(dir, "state"), os.Getpid())
	for _, cmd := range []string{"serve", "fetch"} {
		err := runCmd([]string{cmd, "-config", cfg}, io.Discard, io.Discard, now)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s beside the daemon: err = %v, want one line with %q", cmd, err, want)
		}
	}
	for _, args := range [][]string{{"status"}, {"backup", filepath.Join(t.TempDir(), "copy.db")}, {"explain", "Record heat in the Sahel strains water supplies"}} {
		var out bytes.Buffer
		if err := runCmd(append(args, "-config", cfg), &out, io.Discard, now); err != nil || out.Len() == 0 {
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
		err := runCmd(append(args, "-config", cfg), io.Discard, io.Discard, time.Now())
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
	up := fixture.Upstream(t, now)
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
