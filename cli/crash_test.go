package cli

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestKillNineLosesNothing kills the real binary with SIGKILL while it
// stores thousands of items, several times, then lets one run finish, and
// checks the store: every item once, shared links in one story each, and
// SQLite's own integrity check.
// headline makes a headline of made-up words unique to (source, story):
// stories here are told apart by link, not by headline similarity. The
// first shared stories have one headline across sources.
func headline(source, story, shared int) string {
	if story < shared {
		source = 0
	}
	word := func(n int) string {
		var b strings.Builder
		for n++; n > 0; n /= 26 {
			b.WriteByte(byte('a' + n%26))
		}
		return "zq" + b.String()
	}
	return word(source*1000+story) + " " + word(source*7919+story*31) + " " + word(story*104729+source)
}

func TestKillNineLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	const sources, perSource, shared = 8, 300, 50
	now := time.Now().UTC()
	mux := http.NewServeMux()
	for s := range sources {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>s</title><link>https://s.example/</link><description>d</description>`)
		for j := range perSource {
			link := fmt.Sprintf("https://src%d.example/story/%d", s, j)
			if j < shared { // every source carries the first stories: one story each
				link = fmt.Sprintf("https://wire.example/story/%d?utm_source=src%d", j, s)
			}
			fmt.Fprintf(&b, `<item><guid>src%d-%d</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>%s</description></item>`,
				s, j, headline(s, j, shared), link, now.Add(-time.Duration(j)*time.Minute).Format(time.RFC1123Z), strings.Repeat("words ", 50))
		}
		b.WriteString(`</channel></rss>`)
		body := b.String()
		mux.HandleFunc(fmt.Sprintf("/s%d", s), func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Duration(s) * 40 * time.Millisecond) // sources finish one after another
			w.Write([]byte(body))
		})
	}
	up := httptest.NewServer(mux)
	defer up.Close()

	dir := t.TempDir()
	bin := filepath.Join(dir, "tributary")
	if out, err := exec.Command("go", "build", "-o", bin, "tributary").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var srcs strings.Builder
	for s := range sources {
		fmt.Fprintf(&srcs, "  - name: s%d\n    url: %s/s%d\n", s, up.URL, s)
	}
	cfg := filepath.Join(dir, "config.yaml")
	addr := freePort(t)
	os.WriteFile(cfg, []byte("listen: \""+addr+"\"\nmetrics_listen: \"\"\nstate_dir: ./state\nsources:\n"+srcs.String()), 0o600)

	dbPath := filepath.Join(dir, "state", "tributary.db")
	stored := func() int {
		db, err := sql.Open("sqlite", dbPath)
		if err != nil {
			return -1
		}
		defer db.Close()
		var n int
		db.QueryRow("SELECT count(*) FROM items").Scan(&n)
		return n
	}
	for i := range 4 {
		cmd := exec.Command(bin, "serve", "-config", cfg)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill at a different moment of each run's polls, once it listens:
		// it binds its listener just before the first polls start.
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the daemon never listened")
			}
		}
		time.Sleep(time.Duration(20+i*60+rand.IntN(40)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL: no cleanup of any kind
		cmd.Wait()
		n := stored()
		t.Logf("run %d killed with %d items stored", i, n)
		if n%perSource != 0 { // each source's poll is one transaction
			t.Errorf("after a kill, %d items stored: a poll landed in part", n)
		}
	}
	if out, err := exec.Command(bin, "fetch", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("fetch after the kills: %v\n%s", err, out)
	}

	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	counts := map[string]int{}
	for name, q := range map[string]string{
		"items":          "SELECT count(*) FROM items",
		"stories":        "SELECT count(*) FROM stories",
		"empty stories":  "SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.story = s.key)",
		"wire stories":   "SELECT count(DISTINCT story) FROM items WHERE url LIKE 'https://wire.example/%'",
		"biggest story":  "SELECT max(n) FROM (SELECT count(*) n FROM items GROUP BY story)",
		"sources polled": "SELECT count(*) FROM sources WHERE last_success > 0",
	} {
		var n int
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		counts[name] = n
	}
	want := map[string]int{
		"items":          sources * perSource,
		"stories":        shared + sources*(perSource-shared),
		"empty stories":  0,
		"wire stories":   shared,
		"biggest story":  sources,
		"sources polled": sources,
	}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s = %d, want %d", k, counts[k], v)
		}
	}
}
