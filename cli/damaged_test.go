package cli

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tributary/aggregator"
	"tributary/internal/fixture"
	"tributary/sqlite"
)

// TestDamagedStore: a store whose index page was overwritten (the file
// still opens and reads) once started, reported ready and took polls. Now
// the check at start finds it: polls are halted, the operators' /readyz
// says why, status says DAMAGED, and what was stored is still served.
func TestDamagedStore(t *testing.T) {
	now := fixture.Now()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, fixture.Upstream(t, now).URL, "")
	if err := runCmd([]string{"fetch", "-config", cfg}, io.Discard, io.Discard, now); err != nil {
		t.Fatal(err)
	}
	fixture.DamageIndex(t, filepath.Join(dir, "state", sqlite.FileName), "story_topics_story")

	r := startDaemon(t, cfg, 3, now)
	stopped := false
	defer func() {
		if !stopped {
			r.stop(t)
		}
	}()
	for _, res := range r.results {
		if res.Outcome != aggregator.OutcomeHalted {
			t.Errorf("a poll of the damaged store: %+v, want it halted", res)
		}
	}
	resp, err := http.Get(r.ops + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	why, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(why), "store damaged") || !strings.Contains(string(why), "page") {
		t.Errorf("operators' readyz = %d %q, want 503 naming the damage", resp.StatusCode, why)
	}
	if body := r.get(t, "/feeds/all.rss"); body.StatusCode != http.StatusOK {
		t.Errorf("all.rss = %s, want what was stored served", body.Status)
	}
	var out bytes.Buffer
	if err := runCmd([]string{"status", "-config", cfg}, &out, &out, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "integrity: DAMAGED: sqlite: store damaged") {
		t.Errorf("status does not say the store is damaged:\n%s", out.String())
	}
	r.stop(t)
	stopped = true
	err = runCmd([]string{"fetch", "-config", cfg}, io.Discard, io.Discard, now)
	if err == nil || !strings.Contains(err.Error(), "store damaged") || !strings.Contains(err.Error(), "nothing fetched") {
		t.Errorf("fetch into the damaged store: %v, want it refused", err)
	}
}
