package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"tributary/internal/shared"
)

// TestRealFeedsThroughReaders serves news feeds saved from real outlets
// in 2022 (public test material kept beside the project, never in it) on
// loopback, runs the daemon over them, and has real feed readers read
// every published feed: gofeed always; Python's feedparser and newsboat
// when installed (the test script installs them).
func TestRealFeedsThroughReaders(t *testing.T) {
	realFeeds := shared.Path(t, "feeds/rowanmanning-sample-feeds/content/real-world")
	dirs, err := os.ReadDir(realFeeds)
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.FileServer(http.Dir(realFeeds)))
	defer up.Close()
	var sources strings.Builder
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(realFeeds, d.Name(), "feed.xml")); err != nil {
			continue
		}
		fmt.Fprintf(&sources, "  - name: feed-%s\n    url: %s/%s/feed.xml\n", d.Name()[:8], up.URL, d.Name())
	}
	addr := freeAddr(t)
	cfg := writeConfig(t, addr, sources.String(), `  - name: ukraine
    title: "Ukraine war"
    any: [ukraine, kyiv, "zelensk*", "\"peace talks\"", "/\\bputin\\b/"]
  - name: tech
    title: "Technology"
    any: [apple, google, microsoft, "ai", "iphone*", software]
  - name: space
    title: "Space"
    any: [nasa, space, moon, mars, "astronaut*"]
`)
	d := serve(t, binary(t), cfg, addr) // fails on any source that fails

	var all, xml []string
	for _, topic := range []string{"all", "ukraine", "tech", "space"} {
		for _, format := range []string{"rss", "atom", "json"} {
			name := topic + "." + format
			f := d.feed(t, name)
			if len(f.Items) == 0 {
				t.Errorf("%s: no entries", name)
			}
			all = append(all, d.base+"/feeds/"+name)
			if format != "json" { // newsboat reads RSS and Atom
				xml = append(xml, d.base+"/feeds/"+name)
			}
		}
	}
	t.Run("python-feedparser", func(t *testing.T) { pythonFeedparser(t, all) })
	t.Run("newsboat", func(t *testing.T) { newsboat(t, xml) })
}

// pythonFeedparser fetches every feed with Debian's python3-feedparser, as
// a reader would, and fails on any "bozo" (not well-formed) verdict,
// missing or repeated entry ids, or a feed without a title.
func pythonFeedparser(t *testing.T, urls []string) {
	// Debian's python3 has python3-feedparser; a python3 earlier on PATH
	// (pyenv, a virtualenv) may not.
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import feedparser").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		missing(t, "python3-feedparser")
	}
	// Debian's feedparser 6.0.10 predates JSON Feed support, so JSON feeds
	// are checked against the JSON Feed 1.1 spec's required fields instead.
	script := `
import feedparser, json, sys, urllib.request
bad = 0
for url in sys.argv[1:]:
    name = url.rsplit("/", 1)[1]
    if name.endswith(".json"):
        with urllib.request.urlopen(url) as r:
            ctype = r.headers["Content-Type"]
            f = json.load(r)
        items = f.get("items", [])
        ids = [i.get("id") for i in items]
        ok = (ctype.startswith("application/feed+json") and f.get("version") == "https://jsonfeed.org/version/1.1"
              and f.get("title") and f.get("feed_url") == url
              and items and None not in ids and len(set(ids)) == len(ids)
              and all(i.get("content_html") or i.get("content_text") for i in items))
        print("ok" if ok else "BAD", name, "json11", len(items))
        bad += 0 if ok else 1
        continue
    d = feedparser.parse(url)
    ids = [e.get("id") for e in d.entries]
    if d.bozo or not d.entries or None in ids or len(set(ids)) != len(ids) or not d.feed.get("title"):
        bad += 1
        print("BAD", name, d.get("version"), d.get("bozo_exception"), len(d.entries))
    else:
        print("ok", name, d.version, len(d.entries))
sys.exit(1 if bad else 0)
`
	out, err := exec.Command(python, append([]string{"-c", script}, urls...)...).CombinedOutput()
	if err != nil {
		t.Errorf("feedparser: %v\n%s", err, out)
	}
	for _, want := range []string{"ok all.rss rss20", "ok all.atom atom10", "ok all.json json11"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("feedparser output lacks %q:\n%s", want, out)
		}
	}
}

// newsboat reloads every RSS and Atom feed with the real newsboat and
// checks it found articles and reported no error.
func newsboat(t *testing.T, urls []string) {
	if _, err := exec.LookPath("newsboat"); err != nil {
		missing(t, "newsboat")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "urls"), []byte(strings.Join(urls, "\n")+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "config"), []byte("reload-threads 4\n"), 0o600)
	cmd := exec.Command("newsboat", "-u", filepath.Join(dir, "urls"), "-c", filepath.Join(dir, "cache.db"),
		"-C", filepath.Join(dir, "config"), "-l", "4", "-d", filepath.Join(dir, "log"), "-x", "reload", "print-unread")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("newsboat: %v\n%s", err, out)
	}
	var unread int
	if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "%d unread articles", &unread); err != nil || unread == 0 {
		t.Errorf("newsboat printed %q, want some unread articles", out)
	}
	logs, _ := os.ReadFile(filepath.Join(dir, "log"))
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, "ERROR") {
			t.Errorf("newsboat logged: %s", line)
		}
	}
}
