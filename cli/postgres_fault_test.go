package cli

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tributary/internal/fixture"
	"tributary/internal/pgtest"
)

// TestPostgresGoesAway: the daemon's database stops answering (its
// connections cut, new ones refused) and comes back: /readyz says 503
// while it is away, a poll then fails without storing anything, and
// once it is back the daemon reconnects by itself and polls store again.
func TestPostgresGoesAway(t *testing.T) {
	now := fixture.Now()
	up := fixture.Upstream(t, now)
	dsn := pgtest.Database(t, "fault")
	u, _ := url.Parse(dsn)
	db := strings.TrimPrefix(u.Path, "/")
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	data, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, append([]byte("store: \""+dsn+"\"\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startDaemon(t, cfg, 3, now)
	defer r.stop(t)
	ready := func() (int, string) {
		resp, err := http.Get(r.ops + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	if code, body := ready(); code != 200 || !strings.Contains(body, "replica: leads") {
		t.Fatalf("readyz before: %d %q", code, body)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, pgtest.Server())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	cut := func(allow bool) {
		t.Helper()
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+db+` ALLOW_CONNECTIONS `+map[bool]string{true: "true", false: "false"}[allow]); err != nil {
			t.Fatal(err)
		}
		if !allow {
			if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, db); err != nil {
				t.Fatal(err)
			}
			// pg_terminate_backend only signals: wait for the backends to go.
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				var left int
				if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1`, db).Scan(&left); err != nil {
					t.Fatal(err)
				}
				if left == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d connections to %s outlived pg_terminate_backend", left, db)
				}
			}
		}
	}
	cut(false)
	defer cut(true)
	waitFor := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if code, _ := ready(); code == want {
				return
			}
			if time.Now().After(deadline) {
				code, body := ready()
				t.Fatalf("readyz %d %q, want %d", code, body, want)
			}
		}
	}
	waitFor(http.StatusServiceUnavailable)
	src := buildSources(r.d.cfg.Load())[0]
	if res, err := r.d.agg.Poll(ctx, src); err == nil && res.Outcome != "error" {
		t.Errorf("a poll while the database is away: %+v, no error", res)
	}
	cut(true)
	waitFor(http.StatusOK)
	if res, err := r.d.agg.Poll(ctx, src); err != nil || res.Outcome == "error" {
		t.Errorf("a poll once the database is back: %+v, %v", res, err)
	}
}
