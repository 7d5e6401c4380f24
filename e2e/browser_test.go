package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"tributary/internal/fixture"

	"github.com/chromedp/chromedp"
)

// TestFrontPageInBrowser opens the front page in headless Chromium: the
// topics, their subscribe links and the autodiscovery links are there,
// and following a subscribe link gets the feed. It saves a screenshot
// (TRIBUTARY_SCREENSHOT=path keeps it) for a person to look at.
func TestFrontPageInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		missing(t, "chromium")
	}
	up := fixture.Upstream(t, time.Now())
	addr := freeAddr(t) // subscribe links are built from base_url: this server's
	var sources strings.Builder
	for _, f := range fixture.Feeds {
		fmt.Fprintf(&sources, "  - name: %s\n    url: %s/%s\n", strings.Split(f, ".")[0], up.URL, f)
	}
	cfg := writeConfig(t, addr, sources.String(), `  - name: ukraine
    title: "Ukraine war"
    any: [ukraine, kyiv, "zelensk*", "\"peace talks\""]
  - name: climate
    title: "Climate"
    any: [climate, "glacier*", heat]
  - name: tech
    title: "Technology"
    any: [ai, "chip*", quantum]
`)
	d := serve(t, binary(t), cfg, addr)

	ctx := browser(t, chromium, 60*time.Second)

	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("viewport of a phone", chromedp.EmulateViewport(390, 844))
	step("open the front page", chromedp.Navigate(d.base+"/"))
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	topics := eval(`document.querySelector('table tbody').innerText`)
	alternates, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('link[rel=alternate]').length`))
	if err != nil {
		t.Fatal(err)
	}
	subscribe, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('td.feeds a').length`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if title != "tributary test" {
		t.Errorf("title = %q", title)
	}
	for _, want := range []string{"Everything", "Ukraine war", "Climate", "Technology"} {
		if !strings.Contains(topics, want) {
			t.Errorf("topic list lacks %q: %q", want, topics)
		}
	}
	if alternates != 12 || subscribe != 12 {
		t.Errorf("%d autodiscovery and %d subscribe links, want 12 each (4 topics × 3 formats)", alternates, subscribe)
	}
	path := os.Getenv("TRIBUTARY_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "front.png")
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}

	// Follow the Ukraine topic's JSON Feed link, as a reader's user would.
	eval(`document.querySelector('a[href$="/feeds/ukraine.json"]').click(), ""`)
	// Until the new page has loaded, an evaluation may meet the old one
	// going ("Inspected target navigated or closed"): asked again, not
	// failed.
	var body, href string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		href, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.location.href`))
		if err != nil || !strings.HasSuffix(href, "/feeds/ukraine.json") {
			continue
		}
		body, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err == nil && body != "" {
			break
		}
	}
	if !strings.Contains(body, `"version": "https://jsonfeed.org/version/1.1"`) || !strings.Contains(body, "Geneva") {
		t.Errorf("the subscribe link did not get the feed (at %s, last error %v): %s", href, err, body[:min(len(body), 300)])
	}
}

// browser starts headless Chromium at path, offline-minded, for at most
// timeout; it is stopped when the test ends.
func browser(t *testing.T, path string, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	return ctx
}
