package cli

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"tributary/internal/fixture"
)

// What a reader sees, parsed as a reader would, in the three formats.
type (
	rssOut struct {
		Channel struct {
			Image struct {
				URL string `xml:"url"`
			} `xml:"image"`
			ManagingEditor string `xml:"managingEditor"`
			Items          []struct {
				Title   string `xml:"title"`
				Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Source  struct {
					URL   string `xml:"url,attr"`
					Title string `xml:",chardata"`
				} `xml:"source"`
				Enclosure struct {
					URL    string `xml:"url,attr"`
					Type   string `xml:"type,attr"`
					Length string `xml:"length,attr"`
				} `xml:"enclosure"`
				Thumbnail struct {
					URL string `xml:"url,attr"`
				} `xml:"http://search.yahoo.com/mrss/ thumbnail"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	atomOut struct {
		Icon    string   `xml:"icon"`
		Logo    string   `xml:"logo"`
		Authors []string `xml:"author>name"`
		Entries []struct {
			Title     string   `xml:"title"`
			Updated   string   `xml:"updated"`
			Published string   `xml:"published"`
			Authors   []string `xml:"author>name"`
			Links     []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
				Type string `xml:"type,attr"`
			} `xml:"link"`
			Source struct {
				ID      string `xml:"id"`
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
			} `xml:"source"`
		} `xml:"entry"`
	}
	jsonOut struct {
		Icon    string            `json:"icon"`
		Favicon string            `json:"favicon"`
		Authors []json.RawMessage `json:"authors"`
		Items   []struct {
			Title   string `json:"title"`
			Image   string `json:"image"`
			Authors []struct {
				Name string `json:"name"`
			} `json:"authors"`
			Attachments []struct {
				URL      string `json:"url"`
				MIMEType string `json:"mime_type"`
			} `json:"attachments"`
			Tributary struct {
				Outlet struct {
					Name string `json:"name"`
				} `json:"outlet"`
			} `json:"_tributary"`
		} `json:"items"`
	}
)

func (d *running) decode(t *testing.T, name string, v any) string {
	t.Helper()
	body, _ := io.ReadAll(d.get(t, "/feeds/"+name).Body)
	var err error
	if strings.HasSuffix(name, ".json") {
		err = json.Unmarshal(body, v)
	} else {
		err = xml.Unmarshal(body, v)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(body)
}

// TestWhatAReaderSees: every entry credits its outlet and names an author
// that is never the aggregator; pictures and enclosures are carried, and
// javascript: or data: ones dropped; the icon is served and referenced.
func TestWhatAReaderSees(t *testing.T) { fixture.AtClocks(t, testWhatAReaderSees) }

func testWhatAReaderSees(t *testing.T, now time.Time) {
	up := fixture.Upstream(t, now)
	d := startDaemon(t, writeConfig(t, t.TempDir(), up.URL, ""), 3, now)
	defer d.stop(t)
	const geneva, glaciers, quantum = "Ukraine and Russia agree to new round of peace talks in Geneva",
		"Glaciers in the Alps lost 4% of their ice this year", "Startup unveils quantum chip with 1,000 qubits"

	var rss rssOut
	body := d.decode(t, "all.rss", &rss)
	if rss.Channel.Image.URL != "http://news.example/icon.png" || rss.Channel.ManagingEditor != "" {
		t.Errorf("rss channel: image %q, managingEditor %q", rss.Channel.Image.URL, rss.Channel.ManagingEditor)
	}
	for _, it := range rss.Channel.Items {
		if it.Creator == "" || it.Creator == "tributary" || it.Source.URL == "" || it.Source.Title == "" {
			t.Errorf("rss %q: creator %q, source %+v", it.Title, it.Creator, it.Source)
		}
		switch it.Title {
		case geneva:
			if it.Enclosure.URL != "https://northwind.example/img/geneva-talks-large.jpg" || it.Enclosure.Length != "48213" ||
				it.Thumbnail.URL != "https://northwind.example/img/geneva-talks.jpg" || it.Source.Title != "Northwind Herald" || it.Creator != "Anna Kowal (Northwind Herald)" {
				t.Errorf("rss geneva: %+v", it)
			}
		case glaciers:
			if it.Enclosure.URL != "https://meridian.example/media/alps-glaciers.mp3" || it.Enclosure.Type != "audio/mpeg" {
				t.Errorf("rss glaciers: enclosure %+v", it.Enclosure)
			}
		}
	}
	for _, bad := range []string{"javascript", "data:image"} {
		if strings.Contains(body, bad) {
			t.Errorf("all.rss carries %q", bad)
		}
	}

	var atom atomOut
	body = d.decode(t, "all.atom", &atom)
	if atom.Icon != "http://news.example/favicon.ico" || atom.Logo != "http://news.example/icon.png" || len(atom.Authors) != 0 {
		t.Errorf("atom feed: icon %q, logo %q, authors %q (entries would inherit them)", atom.Icon, atom.Logo, atom.Authors)
	}
	for _, e := range atom.Entries {
		if len(e.Authors) != 1 || e.Authors[0] == "" || e.Authors[0] == "tributary" ||
			e.Source.ID == "" || e.Source.Title == "" || e.Source.Updated == "" {
			t.Errorf("atom %q: authors %q, source %+v", e.Title, e.Authors, e.Source)
		}
		var enclosures []string
		for _, l := range e.Links {
			if l.Rel == "enclosure" {
				enclosures = append(enclosures, l.Href)
			}
		}
		want := map[string]string{
			geneva:   "https://northwind.example/img/geneva-talks-large.jpg https://northwind.example/img/geneva-talks.jpg",
			glaciers: "https://meridian.example/media/alps-glaciers.mp3",
			quantum:  "https://harbor.example/media/quantum-briefing.mp4 https://harbor.example/img/quantum.png",
		}[e.Title]
		if strings.Join(enclosures, " ") != want {
			t.Errorf("atom %q: enclosures %q, want %q", e.Title, enclosures, want)
		}
	}
	if strings.Contains(body, "javascript") || strings.Contains(body, "data:image") {
		t.Error("all.atom carries an unsafe picture")
	}

	var jf jsonOut
	d.decode(t, "all.json", &jf)
	if jf.Icon != "http://news.example/icon.png" || jf.Favicon != "http://news.example/favicon.ico" || len(jf.Authors) != 0 {
		t.Errorf("json feed: icon %q, favicon %q, authors %s", jf.Icon, jf.Favicon, jf.Authors)
	}
	for _, it := range jf.Items {
		if len(it.Authors) != 1 || it.Authors[0].Name == "" || it.Authors[0].Name == "tributary" || it.Tributary.Outlet.Name == "" {
			t.Errorf("json %q: authors %+v, outlet %+v", it.Title, it.Authors, it.Tributary)
		}
		switch it.Title {
		case geneva:
			// The picture is an image attachment too, for readers that ignore image (Miniflux).
			if it.Image != "https://northwind.example/img/geneva-talks.jpg" || len(it.Attachments) != 2 ||
				it.Attachments[1].URL != it.Image || it.Attachments[1].MIMEType != "image/jpeg" {
				t.Errorf("json geneva: image %q, attachments %+v", it.Image, it.Attachments)
			}
		case quantum:
			if it.Image != "https://harbor.example/img/quantum.png" || len(it.Attachments) != 2 || it.Attachments[0].MIMEType != "video/mp4" ||
				it.Attachments[1].URL != it.Image {
				t.Errorf("json quantum: image %q, attachments %+v", it.Image, it.Attachments)
			}
		}
	}

	for _, path := range []string{"/favicon.ico", "/icon.png"} {
		resp := d.get(t, path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(body), "\x89PNG") {
			t.Errorf("%s: %s %q", path, resp.Status, resp.Header.Get("Content-Type"))
		}
	}
	front, _ := io.ReadAll(d.get(t, "/").Body)
	if !strings.Contains(string(front), `<link rel="icon" href="http://news.example/favicon.ico">`) {
		t.Error("the front page does not reference the icon")
	}
}
