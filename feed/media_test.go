package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tributary/fetch"
	"tributary/news"
)

// TestPictures: an item's picture is the one it declares (a
// media:thumbnail first), else the first safe picture of its text made
// absolute; files keep their media type, guessed when missing; unsafe
// URLs are dropped.
func TestPictures(t *testing.T) {
	const head = `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>c</title><link>https://site.example/</link>`
	tests := []struct {
		name, item, image, files string
	}{
		{"thumbnail first", `<media:thumbnail url="https://site.example/t.jpg"/><enclosure url="https://site.example/big.jpg" type="image/jpeg" length="5"/>`,
			"https://site.example/t.jpg", "https://site.example/big.jpg image/jpeg 5"},
		{"image enclosure", `<enclosure url="https://site.example/big.jpg" type="image/jpeg" length="0"/>`,
			"https://site.example/big.jpg", "https://site.example/big.jpg image/jpeg 0"},
		{"first picture of the text", `<description>&lt;p&gt;&lt;img src="javascript:x"&gt;&lt;img src="/pics/lead.png" alt=""&gt;&lt;/p&gt;</description>`,
			"https://site.example/pics/lead.png", ""},
		{"podcast, type guessed", `<enclosure url="https://site.example/ep1.mp3" length="9"/>`, "", "https://site.example/ep1.mp3 audio/mpeg 9"},
		{"unsafe everywhere", `<media:thumbnail url="data:image/png;base64,AA"/><enclosure url="javascript:alert(1)" type="image/png" length="1"/>`, "", ""},
		{"nothing", `<description>words</description>`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := head + `<item><guid>1</guid><title>t</title><link>https://site.example/a/b</link>` + tt.item + `</item></channel></rss>`
			feed, _, err := parse(&fetch.Response{Body: []byte(doc)}, 10)
			if err != nil {
				t.Fatal(err)
			}
			it := NewReader().Item(news.Source{Name: "s"}, entries(feed, "https://site.example/feed")[0], time.Now())
			var files []string
			for _, f := range it.Enclosures {
				files = append(files, fmt.Sprint(f.URL, " ", f.Type, " ", f.Length))
			}
			if it.Image != tt.image || strings.Join(files, ",") != tt.files {
				t.Errorf("image %q, files %q; want %q, %q", it.Image, files, tt.image, tt.files)
			}
		})
	}
}
