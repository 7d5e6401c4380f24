package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"tributary/internal/fixture"
	"tributary/internal/pgtest"
)

// TestPostgresStore: with store: a PostgreSQL URL, fetch writes there and
// the reading commands read there; $DATABASE_URL does the same when store
// is unset; the password never shows.
func TestPostgresStore(t *testing.T) {
	now := fixture.Now()
	up := fixture.Upstream(t, now)
	dsn := pgtest.Database(t, "cli")
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append([]byte("store: \""+dsn+"\"\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if err := runCmd([]string{"fetch", "-config", cfg}, &out, &errs, now); err != nil {
		t.Fatalf("fetch: %v\n%s", err, errs.String())
	}
	out.Reset()
	if err := runCmd([]string{"explain", "-config", cfg, "http://wire.example/2026/11/27/ukraine-russia-geneva-talks?fbclid=abc123"}, &out, io.Discard, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "same canonical URL as the representative") {
		t.Errorf("explain from PostgreSQL:\n%s", out.String())
	}
	out.Reset()
	if err := runCmd([]string{"status", "-config", cfg}, &out, io.Discard, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "northwind") || strings.Contains(out.String(), "password") ||
		strings.Contains(out.String(), "0 B free") || !strings.Contains(out.String(), "integrity: not checked here") {
		t.Errorf("status from PostgreSQL:\n%s", out.String())
	}
	// $DATABASE_URL, with store: unset.
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	e := testEnv(&out, io.Discard, now)
	getenv := e.getenv
	e.getenv = func(k string) string {
		if k == "DATABASE_URL" {
			return dsn
		}
		return getenv(k)
	}
	out.Reset()
	if err := run(t.Context(), e, []string{"topics", "try", "-config", cfg, "-since", "3650d"}); err != nil {
		t.Fatalf("topics try with DATABASE_URL: %v", err)
	}
	if !strings.Contains(out.String(), "ukraine: 1 stories filed now") {
		t.Errorf("topics try from $DATABASE_URL:\n%s", out.String())
	}
}
