package feed

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"tributary/fetch"
	"tributary/internal/shared"
	"tributary/news"
)

// TestCorpusSweep serves every file of the shared real, odd and hostile
// feed corpora over HTTP and takes each through fetch, parse and
// normalise as a poll would: no panic, each file within a deadline, every
// failure a clear error. It logs, per corpus, how many parsed and failed.
func TestCorpusSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("long: thousands of feeds")
	}
	sharedFeeds := shared.Path(t, "feeds")
	srv := httptest.NewServer(http.FileServer(http.Dir(sharedFeeds)))
	defer srv.Close()
	f := fetch.New(fetch.Options{UserAgent: "corpus", MaxBody: 10 << 20})
	n := NewReader()
	type tally struct{ files, parsed, failed int }
	corpora := map[string]*tally{}
	err := filepath.WalkDir(sharedFeeds, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".txt") || strings.Contains(path, "LICENSE") {
			return err
		}
		rel, _ := filepath.Rel(sharedFeeds, path)
		corpus := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		c := corpora[corpus]
		if c == nil {
			c = &tally{}
			corpora[corpus] = c
		}
		c.files++
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		u := srv.URL + "/" + strings.ReplaceAll(filepath.ToSlash(rel), "%", "%25")
		resp, err := f.Fetch(ctx, u, news.FetchState{}, 5*time.Second, fetch.Access{Private: true})
		if err == nil {
			var feed *gofeed.Feed
			if feed, _, err = parse(resp, 500); err == nil {
				for _, en := range entries(feed, u) {
					it := n.Item(news.Source{Name: "s"}, en, start)
					if it.Link != "" && news.SafeURL(it.Link) != it.Link {
						t.Errorf("%s: item link %q is not an http(s) URL", rel, it.Link)
					}
				}
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", rel, d)
		}
		if err != nil {
			c.failed++
			if msg := err.Error(); msg == "" || strings.Contains(msg, "\n") {
				t.Errorf("%s: unclear error %q", rel, msg)
			}
			return nil
		}
		c.parsed++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(corpora))
	for k := range corpora {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		c := corpora[k]
		t.Logf("%-28s files %5d  parsed %5d  failed %4d", k, c.files, c.parsed, c.failed)
	}
}
