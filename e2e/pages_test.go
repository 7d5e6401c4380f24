package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tributary/internal/fixture"
)

// TestPagesInBrowser opens the front page, a topic's page and a story's
// coverage page in headless Chromium at a phone's width (390 px) and a
// desktop's (1280 px): each has its heading and stories, nothing is
// wider than the screen, and each is saved as a screenshot
// (TRIBUTARY_SCREENSHOTS=dir keeps them) for a person to look at.
func TestPagesInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		missing(t, "chromium")
	}
	up := fixture.Upstream(t, time.Now())
	addr := freeAddr(t)
	var sources strings.Builder
	for _, f := range fixture.Feeds {
		fmt.Fprintf(&sources, "  - name: %s\n    url: %s/%s\n", strings.Split(f, ".")[0], up.URL, f)
	}
	cfg := writeConfig(t, addr, sources.String(), "  - name: ukraine\n    title: \"Ukraine war\"\n    any: [ukraine, kyiv, \"\\\"peace talks\\\"\"]\n")
	d := serve(t, binary(t), cfg, addr)
	dir := os.Getenv("TRIBUTARY_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := browser(t, chromium, 90*time.Second)
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// The story page: the front page's first "all coverage" link.
	if _, err := chromedp.Run(ctx, chromedp.Navigate(d.base+"/")); err != nil {
		t.Fatal(err)
	}
	story := eval(`(document.querySelector('a[href*="/stories/"]') || {href: ""}).href`)
	if story == "" {
		t.Fatal("the front page links no story's coverage")
	}
	for _, width := range []int{390, 1280} {
		for _, pg := range []struct{ name, url, heading string }{
			{"front", d.base + "/", "tributary test"},
			{"topic", d.base + "/topics/ukraine", "Ukraine war"},
			{"story", story, ""},
		} {
			if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), 844)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Navigate(pg.url)); err != nil {
				t.Fatalf("%s: %v", pg.url, err)
			}
			h1 := eval(`document.querySelector('h1') ? document.querySelector('h1').innerText : ""`)
			if h1 == "" || !strings.Contains(h1, pg.heading) {
				t.Errorf("%s at %d px: heading %q, want %q", pg.name, width, h1, pg.heading)
			}
			if n := eval(`String(document.querySelectorAll('li, article').length)`); n == "0" {
				t.Errorf("%s at %d px: no story shown", pg.name, width)
			}
			if wide := eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); wide != "false" {
				t.Errorf("%s at %d px: wider than the screen (%s px)", pg.name, width, eval(`String(document.documentElement.scrollWidth)`))
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", pg.name, width)), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
