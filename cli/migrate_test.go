package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"tributary/internal/fixture"
	"tributary/internal/pgtest"
	"tributary/news"
	"tributary/postgres"
	"tributary/sqlite"
)

// TestMigrateStore: an SQLite store copied into PostgreSQL holds the same
// stories, members, topics and fetch state, under the same keys, so the
// published entry ids stay; a database that is not empty is refused.
func TestMigrateStore(t *testing.T) {
	ctx := context.Background()
	now := fixture.Now()
	up := fixture.Upstream(t, now)
	cfg := writeConfig(t, t.TempDir(), up.URL, "")
	if err := runCmd([]string{"fetch", "-config", cfg}, io.Discard, io.Discard, now); err != nil {
		t.Fatal(err)
	}
	dsn := pgtest.Database(t, "migrate")
	var out bytes.Buffer
	if err := runCmd([]string{"migrate-store", "-config", cfg, "-to", dsn}, &out, io.Discard, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "copied ") {
		t.Errorf("output:\n%s", out.String())
	}
	c, err := loadConfig(testEnv(io.Discard, io.Discard, now), cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := sqlite.OpenExisting(ctx, c.StatePath(os.Getenv))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := postgres.OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	for _, topic := range []string{news.AllTopic, "ukraine", "climate"} {
		a, err := lite.Stories(ctx, topic, 100)
		if err != nil {
			t.Fatal(err)
		}
		b, err := pg.Stories(ctx, topic, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("%s: %d stories in SQLite, %d in PostgreSQL", topic, len(a), len(b))
		}
		for i := range a {
			if a[i].Key != b[i].Key || len(a[i].Items) != len(b[i].Items) || strings.Join(a[i].Topics, ",") != strings.Join(b[i].Topics, ",") ||
				a[i].Items[0].ID != b[i].Items[0].ID || a[i].Items[0].Outlet != b[i].Items[0].Outlet || !a[i].Updated.Equal(b[i].Updated) {
				t.Errorf("%s story %d: SQLite %+v, PostgreSQL %+v", topic, i, a[i], b[i])
			}
		}
	}
	sa, _ := lite.Sources(ctx)
	sb, _ := pg.Sources(ctx)
	if len(sa) != len(sb) || sa[0].State.ETag != sb[0].State.ETag || !sa[0].State.LastPoll.Equal(sb[0].State.LastPoll) || sa[0].Items != sb[0].Items {
		t.Errorf("sources: %+v vs %+v", sa, sb)
	}
	if err := runCmd([]string{"migrate-store", "-config", cfg, "-to", dsn}, io.Discard, io.Discard, now); err == nil || !strings.Contains(err.Error(), "empty one") {
		t.Errorf("a second copy: %v", err)
	}
}
