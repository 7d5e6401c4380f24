package feed

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"tributary/internal/shared"
	"tributary/news"
)

var (
	dangerousTag = regexp.MustCompile(`(?i)<(script|iframe|object|embed|form|style|svg|math|base|meta|link)\b`)
	eventHandler = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`)
	// dangerousHref looks inside tags only: the text "href=javascript:" is
	// harmless words (FuzzParseNormalize found that the check said otherwise).
	dangerousHref = regexp.MustCompile(`(?i)<[^>]*\s(href|src|action|formaction)\s*=\s*["']?\s*(javascript|vbscript|data):`)
)

// TestRealAndHostileFeeds runs thousands of real, odd and hostile feeds
// through parsing and normalisation and checks what would be stored.
func TestRealAndHostileFeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("long: thousands of feeds")
	}
	sharedFeeds := shared.Path(t, "feeds")
	n := NewReader()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	var files, parsed, items int
	err := filepath.WalkDir(sharedFeeds, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".txt") {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil || len(body) > 10<<20 {
			return err
		}
		files++
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			return nil // unparseable input is a recorded error, never a crash
		}
		parsed++
		for _, it := range normalizeAll(n, news.Source{Name: "s"}, feed, "https://feeds.example/x", now) {
			items++
			checkItem(t, path, it, now)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files, %d parsed as feeds, %d items checked", files, parsed, items)
	if parsed < 1000 {
		t.Errorf("only %d feeds parsed: is the shared data complete?", parsed)
	}
}

func checkItem(t *testing.T, path string, it news.Item, now time.Time) {
	t.Helper()
	if it.GUID == "" {
		t.Errorf("%s: item without GUID: %+v", path, it)
	}
	for name, s := range map[string]string{"title": it.Title, "author": it.Author} {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
			t.Errorf("%s: %s has invalid UTF-8 or control characters: %q", path, name, s)
		}
		if strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
			t.Errorf("%s: %s whitespace not collapsed: %q", path, name, s)
		}
	}
	if len(it.Title) > maxTitle {
		t.Errorf("%s: title of %d bytes", path, len(it.Title))
	}
	for name, s := range map[string]string{"summary": it.Summary, "content": it.Content} {
		for _, re := range []*regexp.Regexp{dangerousTag, eventHandler, dangerousHref} {
			if m := re.FindString(s); m != "" {
				t.Errorf("%s: %s kept %q", path, name, m)
			}
		}
	}
	if it.Published.IsZero() || it.Published.After(now.Add(futureSlack)) || it.Published.Location() != time.UTC {
		t.Errorf("%s: published %v", path, it.Published)
	}
}
